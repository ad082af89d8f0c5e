"""Plain data of ingestion: parsed blocks, chunks and the results of an ingest run."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Literal

from ingest.errors import InvalidLevelError

FileStatus = Literal["added", "unchanged", "replaced", "failed"]


class SecurityLevel(IntEnum):
    """How sensitive a document is; a caller cleared for a level sees that level and below.

    Stored with every chunk (``level`` in its metadata) and every document record.
    """

    OPPEN = 0
    INTERN = 1
    KANSLIG = 2

    @property
    def label(self) -> str:
        """The Swedish name users see: ``öppen``, ``intern`` or ``känslig``."""
        return _LEVEL_LABELS[self]

    @classmethod
    def parse(cls, value: str | int | SecurityLevel, *, field: str = "level") -> SecurityLevel:
        """A level from its Swedish or English name (any case, with or without å/ä/ö) or number.

        Raises:
            InvalidLevelError: An unknown level; it names ``field`` and the allowed values.
        """
        if isinstance(value, int):
            try:
                return cls(value)
            except ValueError:
                pass
        else:
            key = unicodedata.normalize("NFKD", str(value).strip().lower())
            key = "".join(ch for ch in key if not unicodedata.combining(ch))
            if key in _LEVEL_NAMES:
                return _LEVEL_NAMES[key]
        allowed = [level.label for level in cls]
        raise InvalidLevelError(
            f"Okänd säkerhetsnivå {value!r} i {field}: välj {', '.join(allowed)}.",
            field=field,
            value=str(value),
            allowed=allowed,
        )


_LEVEL_LABELS = {
    SecurityLevel.OPPEN: "öppen",
    SecurityLevel.INTERN: "intern",
    SecurityLevel.KANSLIG: "känslig",
}
_LEVEL_NAMES = {
    "oppen": SecurityLevel.OPPEN,
    "open": SecurityLevel.OPPEN,
    "public": SecurityLevel.OPPEN,
    "intern": SecurityLevel.INTERN,
    "internal": SecurityLevel.INTERN,
    "kanslig": SecurityLevel.KANSLIG,
    "sensitive": SecurityLevel.KANSLIG,
    "confidential": SecurityLevel.KANSLIG,
}
#: The level of an upload or ingest that names none, and of chunks stored before levels existed.
DEFAULT_LEVEL = SecurityLevel.INTERN


@dataclass(frozen=True)
class Block:
    """A run of text inside one section (a paragraph or a page of a paragraph).

    Attributes:
        text: The cleaned text.
        section: Section number (``"4.1"``) or ``""`` before the first numbered heading.
        section_title: The heading text without the number.
        page: Page number when known.
        start: Character offset in the document's cleaned text.
        end: End offset (exclusive).
        context: Titles of the enclosing sections (``"5 Förutsättningar > 5.2 Medarbetare"``).
        table: For a table: its rows, header first (``text`` is then :func:`table_lines`);
            the chunker keeps a table whole or splits it between rows.
    """

    text: str
    section: str
    section_title: str
    page: int | None
    start: int
    end: int
    context: str = ""
    table: tuple[tuple[str, ...], ...] = ()


#: A table's rows, the header row first (cells cleaned, empty rows and columns dropped).
TableRows = tuple[tuple[str, ...], ...]


def table_row_text(header: tuple[str, ...], row: tuple[str, ...]) -> str:
    """One data row as a line that carries its header: ``Mått: Svarsfrekvens; 2024: 64,5 %``.

    A cell under an empty header cell (often the row label column) stands alone; empty cells
    are left out.
    """
    parts = []
    for i, cell in enumerate(row):
        if not cell:
            continue
        name = header[i] if i < len(header) else ""
        parts.append(f"{name}: {cell}" if name and name != cell else cell)
    return "; ".join(parts)


def table_lines(rows: TableRows) -> list[str]:
    """A table as readable lines: one line per data row, each with its column headers.

    A table of one row or one column has no header to repeat: its rows are joined with ``|``.
    """
    width = max((len(r) for r in rows), default=0)
    if len(rows) < 2 or width < 2:
        return [" | ".join(c for c in row if c) for row in rows if any(row)]
    header = rows[0]
    return [line for line in (table_row_text(header, row) for row in rows[1:]) if line]


@dataclass(frozen=True)
class ParsedDocument:
    """A parsed file before chunking.

    Attributes:
        source: The file name the document is stored under.
        title: The document title.
        year: The report year when the name or title gives one.
        kind: ``report`` (chunked by sections) or ``initiative`` (one record per initiative).
        blocks: The text blocks in document order.
        records: For initiative registers: one dict per initiative (id, title, description...).
    """

    source: str
    title: str
    year: int | None
    kind: str
    blocks: list[Block] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)


#: The number in front of an enclosing section's title in ``Chunk.context`` ("5.2 ").
_SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s+")


@dataclass(frozen=True)
class Chunk:
    """One searchable passage as stored in Chroma.

    Attributes:
        id: Stable id inside the store.
        text: The passage text (what the user sees and BM25 indexes).
        source: File name of the document.
        title: Document title.
        year: Report year, if known.
        section: Section number (``"5.4.1"``), ``""`` if none.
        section_title: Heading text of the section.
        page: Page number when known.
        start: Character offset of the passage in the document's cleaned text.
        end: End offset (exclusive).
        kind: ``report`` or ``initiative``.
        context: Titles of the enclosing sections, used for embedding and BM25 (not shown).
        level: The document's security level (a caller sees only chunks up to its clearance).
    """

    id: str
    text: str
    source: str
    title: str
    year: int | None
    section: str
    section_title: str
    page: int | None
    start: int
    end: int
    kind: str = "report"
    context: str = ""
    level: int = int(DEFAULT_LEVEL)

    def heading(self) -> str:
        """Enclosing section titles and this section's number and title, on one line."""
        own = " ".join(p for p in (self.section, self.section_title) if p)
        return " > ".join(p for p in (self.context, own) if p)

    def topic(self) -> str:
        """The heading path without section numbers (``Förutsättningar > Medarbetare``)."""
        titles = [_SECTION_NUMBER.sub("", p) for p in self.context.split(" > ")]
        return " > ".join(t for t in (*titles, self.section_title) if t)

    def embed_text(self) -> str:
        """The text given to the embedding model: heading path first, then the passage."""
        head = self.heading()
        return f"{head}\n{self.text}" if head else self.text


@dataclass(frozen=True)
class FileResult:
    """The outcome for one file of an ingest run.

    Attributes:
        source: File name the document is stored under.
        status: ``added``, ``unchanged``, ``replaced`` or ``failed``.
        chunks: Number of chunks now stored for it (0 when failed).
        error: Swedish error message when failed.
        title: Document title, when parsed.
        collection: ``reports`` or ``initiatives``.
    """

    source: str
    status: FileStatus
    chunks: int = 0
    error: str | None = None
    title: str | None = None
    collection: str = "reports"

    def to_dict(self) -> dict[str, Any]:
        """As JSON-able data."""
        return {
            "source": self.source,
            "status": self.status,
            "chunks": self.chunks,
            "title": self.title,
            "error": self.error,
        }


@dataclass(frozen=True)
class IngestSummary:
    """All file results of one ingest run, with counts per status."""

    files: list[FileResult]

    def count(self, status: FileStatus) -> int:
        """Number of files with ``status``."""
        return sum(1 for f in self.files if f.status == status)

    @property
    def added(self) -> int:
        """Files stored for the first time."""
        return self.count("added")

    @property
    def unchanged(self) -> int:
        """Files skipped because their content hash was unchanged."""
        return self.count("unchanged")

    @property
    def replaced(self) -> int:
        """Files whose previous version was replaced."""
        return self.count("replaced")

    @property
    def failed(self) -> int:
        """Files that could not be ingested (store unchanged for them)."""
        return self.count("failed")

    def to_dict(self) -> dict[str, Any]:
        """As JSON-able data."""
        return {
            "added": self.added,
            "unchanged": self.unchanged,
            "replaced": self.replaced,
            "failed": self.failed,
            "files": [f.to_dict() for f in self.files],
        }
