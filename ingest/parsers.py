"""Read files into :class:`ParsedDocument`: text, Markdown, PDF, Word and initiative registers.

Text that came out of a PDF (like the bundled report) needs repair: numbered headings
(``4.1. Årets resultat``, also indented or wrapped onto a second line), page footers like
``21 (32)``, a blank line between every line and words hyphenated across lines. All formats go
through one line-stream reader (:class:`_LineReader`) so headings and pages are found the same way.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ingest.errors import DocumentParseError, DocumentTooLargeError, UnsupportedFileTypeError
from ingest.models import Block, ParsedDocument, TableRows, table_lines

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
REPORT_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx"}
REGISTER_SUFFIXES = {".csv", ".xlsx"}
SUPPORTED_SUFFIXES = REPORT_SUFFIXES | REGISTER_SUFFIXES


@dataclass(frozen=True)
class ParseLimits:
    """What one document may hold; a file over a limit is refused before it is parsed whole.

    Office files (.docx, .xlsx) are zip archives: the sizes their entries declare bound what
    reading them can expand to, so they are checked before anything is decompressed.
    """

    max_pages: int = 2_000
    max_chars: int = 5_000_000
    max_paragraphs: int = 20_000
    max_table_cells: int = 100_000
    max_expanded_mb: float = 100.0  # all entries of an Office file, uncompressed
    max_part_mb: float = 25.0  # one XML part (word/document.xml, a worksheet)
    max_seconds: float = 120.0  # reading one document (checked between pages and paragraphs)
    max_chunks: int = 10_000  # passages stored for one document

    def check_chunks(self, name: str, count: int) -> None:
        """Refuse a document that would be stored as more than :attr:`max_chunks` passages."""
        if count > self.max_chunks:
            raise _too_large(name, "antal textavsnitt", str(count), str(self.max_chunks))

    def clock(self, name: str) -> Callable[[], None]:
        """A check to call while reading ``name``: raises once the time budget is spent."""
        started = time.monotonic()

        def check() -> None:
            if time.monotonic() - started > self.max_seconds:
                raise _too_large(
                    name, "inläsningstid", f"över {self.max_seconds:g} s", f"{self.max_seconds:g} s"
                )

        return check


DEFAULT_LIMITS = ParseLimits()


def _too_large(name: str, what: str, found: str, limit: str) -> DocumentTooLargeError:
    return DocumentTooLargeError(
        f"Filen {name} är för stor för att läsas in: {what} {found}, gränsen är {limit}.",
        file=name,
        limit=what,
    )


def check_office_archive(data: bytes, name: str, limits: ParseLimits) -> None:
    """Refuse an Office file whose entries would expand past the limits (a zip bomb)."""
    import io
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        kind = {".docx": "Word-filen", ".xlsx": "Excel-filen"}.get(
            Path(name).suffix.lower(), "Filen"
        )
        raise DocumentParseError(
            f"{kind} {name} är skadad och kan inte läsas ({exc}).", file=name
        ) from exc
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        if total > limits.max_expanded_mb * 1e6:
            raise _too_large(
                name, "uppackad storlek", f"{total / 1e6:.0f} MB", f"{limits.max_expanded_mb:g} MB"
            )
        biggest = max(infos, key=lambda i: i.file_size, default=None)
        if biggest is not None and biggest.file_size > limits.max_part_mb * 1e6:
            raise _too_large(
                name,
                f"delen {biggest.filename}",
                f"{biggest.file_size / 1e6:.0f} MB",
                f"{limits.max_part_mb:g} MB",
            )


def _docx_counts(data: bytes) -> tuple[int, int]:
    """Paragraphs and table cells in word/document.xml (counted in the raw XML, not parsed)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            xml = archive.read("word/document.xml")
        except KeyError:
            return 0, 0
    paragraphs = len(re.findall(rb"<w:p[ >/]", xml))
    cells = len(re.findall(rb"<w:tc[ >/]", xml))
    return paragraphs, cells


_HEADING = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,4})(\.?)\s+(\S.*?)\s*$")
_PAGE_MARKER = re.compile(r"^\s*(\d{1,4})\s*\(\s*(\d{1,4})\s*\)\s*$")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_SENTENCE_END = re.compile(r"[.!?:;\"”»)]$")
_BULLET = re.compile(r"^\s*[•▪◦·\-\*–]\s+")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007\u2009]+")


def detect_year(*texts: str) -> int | None:
    """The first plausible year (1950–2099) in the given texts, in order."""
    for text in texts:
        m = _YEAR.search(text or "")
        if m:
            return int(m.group(1))
    return None


def title_from_filename(name: str) -> str:
    """``nacka-digitaliseringsrapport-2025.txt`` -> ``Nacka digitaliseringsrapport 2025``."""
    stem = Path(name).stem.replace("_", " ").replace("-", " ").strip()
    stem = re.sub(r"\s+", " ", stem)
    return stem[:1].upper() + stem[1:] if stem else name


def _clean_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    line = line.replace("\u00ad", "")  # soft hyphen
    return _SPACES.sub(" ", line).rstrip()


def _numbers(section: str) -> list[int]:
    return [int(p) for p in section.split(".") if p]


def _is_successor(prev: list[int] | None, cand: list[int]) -> bool:
    """Whether ``cand`` can follow ``prev`` in a numbered outline (one skipped number allowed)."""
    if prev is None:
        return cand[0] <= 3 and all(n <= 3 for n in cand[1:])
    if len(cand) == len(prev) + 1 and cand[:-1] == prev and cand[-1] in (1, 2):
        return True
    for depth in range(1, len(prev) + 1):
        if len(cand) == depth and cand[:-1] == prev[: depth - 1]:
            if prev[depth - 1] < cand[-1] <= prev[depth - 1] + 2:
                return True
        if len(cand) == depth + 1 and cand[:-2] == prev[: depth - 1]:
            # a new parent and its first child at once (e.g. 5.4.1 -> 6.1.)
            if prev[depth - 1] < cand[-2] <= prev[depth - 1] + 2 and cand[-1] == 1:
                return True
    return False


@dataclass
class _Para:
    lines: list[str]
    page: int | None


class _LineReader:
    """Turns a stream of (line, page) into blocks under numbered or styled headings."""

    def __init__(self, *, blank_is_break: bool) -> None:
        self.blank_is_break = blank_is_break
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.offset = 0
        self.section = ""
        self.section_title = ""
        self.outline: list[int] | None = None
        self.para: _Para | None = None
        self.page_markers: list[tuple[int, int]] = []  # (block index at marker, page number)
        self.titles: dict[str, str] = {}  # section number -> title, for the heading path
        self.width = 80

    # -- text assembly -------------------------------------------------------------------------
    def _emit(self, text: str, page: int | None, table: TableRows = ()) -> None:
        text = text.strip()
        if not text:
            return
        start = self.offset
        self.parts.append(text)
        self.offset += len(text) + 2
        self.blocks.append(
            Block(
                text,
                self.section,
                self.section_title,
                page,
                start,
                start + len(text),
                self._context(),
                table,
            )
        )

    def _context(self) -> str:
        parts = self.section.split(".") if self.section else []
        path = []
        for i in range(1, len(parts)):
            number = ".".join(parts[:i])
            if number in self.titles:
                path.append(f"{number} {self.titles[number]}")
        return " > ".join(path)

    def flush(self) -> None:
        """Close the paragraph being read."""
        if self.para and self.para.lines:
            self._emit(_join_lines(self.para.lines), self.para.page)
        self.para = None

    def heading(self, number: str, title: str, page: int | None) -> None:
        """Start a new section."""
        self.flush()
        self.section = number
        self.section_title = title.strip()
        if number:
            self.titles[number] = self.section_title
        head = f"{number} {self.section_title}".strip()
        self.parts.append(head)
        self.offset += len(head) + 2

    def page_marker(self, page: int) -> None:
        """A footer ``N (M)``: the text before it is on page N."""
        self.flush()
        self.page_markers.append((len(self.blocks), page))

    def add(self, line: str, page: int | None) -> None:
        """One line of body text."""
        if _BULLET.match(line):
            self.flush()
        elif self.para and self.para.lines:
            last = self.para.lines[-1]
            ends = bool(_SENTENCE_END.search(last.rstrip()))
            short_last = len(last.rstrip()) < 0.8 * self.width
            looks_subheading = (
                not ends
                and short_last
                and len(self.para.lines) == 1
                and line[:1].isupper()
                and len(last.split()) <= 10
            )
            if (ends and short_last) or looks_subheading:
                self.flush()
        if self.para is None:
            self.para = _Para([], page)
        self.para.lines.append(line.strip())

    def subheading(self, line: str, page: int | None) -> None:
        """A short unnumbered heading inside a section: a paragraph of its own."""
        self.flush()
        self._emit(line, page)

    def table(self, rows: TableRows, page: int | None) -> None:
        """A table in its place: one block, its rows rendered with their headers."""
        self.flush()
        self._emit("\n".join(table_lines(rows)), page, rows)

    def finish(self) -> list[Block]:
        """All blocks, with pages inferred from footers where the format has no pages."""
        self.flush()
        if not self.page_markers:
            return self.blocks
        blocks = list(self.blocks)
        prev_index = None
        for index, page in self.page_markers:
            lo = prev_index if prev_index is not None else max(0, index - 1)
            for i in range(lo, index):
                if blocks[i].page is None:
                    blocks[i] = _with_page(blocks[i], page)
            if index < len(blocks) and blocks[index].page is None:
                blocks[index] = _with_page(blocks[index], page + 1)
            prev_index = index
        return blocks


def _with_page(block: Block, page: int) -> Block:
    return replace(block, page=page)


def _join_lines(lines: list[str]) -> str:
    """Join lines of one paragraph, repairing words hyphenated across lines."""
    out = ""
    for line in lines:
        line = line.strip()
        if not out:
            out = line
            continue
        if out.endswith("-") and not out.endswith(" -") and line[:1].islower():
            fragment = re.split(r"[\s(/]", out[:-1])[-1]
            keep = len(fragment) <= 3 or any(c.isupper() for c in fragment) or "-" in fragment
            out = (out if keep else out[:-1]) + line
        elif _BULLET.match(line):
            out = out + "\n" + line
        else:
            out = out + " " + line
    return out


def _measure(reader: _LineReader, lines: Iterable[str]) -> None:
    """Set the reader's line width: the 90th percentile of the non-blank line lengths."""
    widths = sorted(len(t) for t in lines if t.strip())
    if widths:
        reader.width = max(40, widths[int(len(widths) * 0.9)])


def _read_lines(
    lines: Iterable[tuple[str, int | None]],
    reader: _LineReader,
    *,
    detect_markers: bool = True,
    measure: bool = True,
) -> None:
    """Feed lines to ``reader``: headings, page markers, wrapped headings and body lines.

    ``measure=False`` keeps the reader's width (a caller feeding a document in pieces).
    """
    items = [(_clean_line(line), page) for line, page in lines]
    if measure:
        _measure(reader, (t for t, _ in items))
    i = 0
    n = len(items)
    while i < n:
        text, page = items[i]
        if not text.strip():
            if reader.blank_is_break:
                reader.flush()
            i += 1
            continue
        marker = _PAGE_MARKER.match(text) if detect_markers else None
        if marker and int(marker.group(1)) <= int(marker.group(2)):
            reader.page_marker(int(marker.group(1)))
            i += 1
            continue
        m = _HEADING.match(text)
        if m:
            number, dot, title = m.group(1), m.group(2), m.group(3)
            cand = _numbers(number)
            plausible = (
                (dot or "." in number or cand[0] <= 30)
                and title[:1].isupper()
                and len(title) <= 110
                and len(title.split()) <= 16
                and not title.endswith((",", ";"))
                and _is_successor(reader.outline, cand)
            )
            if plausible:
                # A heading that wraps: the next line is short and starts in lower case.
                j = i + 1
                while j < n and not items[j][0].strip():
                    j += 1
                if (
                    j < n
                    and not re.search(r"[.!?:]$", title)
                    and items[j][0].strip()[:1].islower()
                    and len(items[j][0].strip()) <= 50
                ):
                    title = f"{title} {items[j][0].strip()}"
                    i = j
                reader.outline = cand
                reader.heading(number, title, page)
                i += 1
                continue
        if _is_subheading(items, i, reader):
            reader.subheading(text, page)
        else:
            reader.add(text, page)
        i += 1


def _is_subheading(items: list[tuple[str, int | None]], i: int, reader: _LineReader) -> bool:
    """A short line without end punctuation between a finished sentence and a capital start."""
    text = items[i][0].strip()
    if (
        len(text) > 0.7 * reader.width
        or not text[:1].isupper()
        or _SENTENCE_END.search(text)
        or _BULLET.match(text)
        or text.endswith(("-", "–", ","))
    ):
        return False
    para = reader.para
    if para is not None and para.lines and not _SENTENCE_END.search(para.lines[-1]):
        return False
    j = i + 1
    while j < len(items) and not items[j][0].strip():
        j += 1
    return j < len(items) and items[j][0].strip()[:1].isupper()


def _double_spaced(lines: list[str]) -> bool:
    """PDF extractions with a blank line after every line: blank lines are not paragraph breaks."""
    if len(lines) < 10:
        return False
    blank = sum(1 for ln in lines if not ln.strip())
    return blank >= 0.35 * len(lines)


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise DocumentParseError(f"Filen {name} är tom.", file=name)
    sample = data[:8192]
    if b"\x00" in sample:
        raise DocumentParseError(
            f"Filen {name} innehåller binärdata och är inte en textfil.", file=name
        )
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise DocumentParseError(f"Filen {name} har en okänd teckenkodning.", file=name)
    head = text[:8192]
    controls = sum(1 for c in head if unicodedata.category(c) == "Cc" and c not in "\r\n\t\f")
    if controls > 0.02 * min(len(text), 8192):
        raise DocumentParseError(
            f"Filen {name} innehåller binärdata och är inte en textfil.", file=name
        )
    if not text.strip():
        raise DocumentParseError(f"Filen {name} är tom.", file=name)
    return text


def parse_text(text: str, name: str) -> ParsedDocument:
    """Parse plain text (also PDF-to-text extractions) into blocks under numbered headings."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    reader = _LineReader(blank_is_break=not _double_spaced(lines))
    _read_lines(((ln, None) for ln in lines), reader)
    blocks = reader.finish()
    title = title_from_filename(name)
    return _document(name, title, blocks)


def parse_markdown(text: str, name: str) -> ParsedDocument:
    """Parse Markdown: ``#`` headings (numbered or not) start sections."""
    lines = text.replace("\r\n", "\n").split("\n")
    reader = _LineReader(blank_is_break=True)
    title = ""
    buffer: list[tuple[str, int | None]] = []
    in_code = False

    def feed() -> None:
        _read_lines(buffer, reader, detect_markers=False)
        buffer.clear()

    for line in lines:
        if line.strip().startswith("```"):
            in_code = not in_code
            continue
        m = _MD_HEADING.match(line) if not in_code else None
        if m:
            feed()
            text_h = m.group(2).strip()
            if not title and len(m.group(1)) == 1:
                title = text_h
            num = re.match(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(.*)$", text_h)
            if num:
                reader.outline = _numbers(num.group(1))
                reader.heading(num.group(1), num.group(2), None)
            else:
                reader.heading("", text_h, None)
            continue
        buffer.append((line, None))
    feed()
    return _document(name, title or title_from_filename(name), reader.finish())


def _declared_pages(pdf: Any) -> int:
    """The page count the PDF's page tree declares (read before the tree is walked)."""
    try:
        count = pdf.trailer["/Root"]["/Pages"].get("/Count", 0)
        return int(count)
    except (KeyError, TypeError, ValueError, AttributeError):
        return 0


def parse_pdf(data: bytes, name: str, limits: ParseLimits = DEFAULT_LIMITS) -> ParsedDocument:
    """Parse a PDF with pypdf: text per page, so every block knows its page."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pdf = PdfReader(io.BytesIO(data))
        if pdf.is_encrypted:
            raise DocumentParseError(
                f"PDF-filen {name} är lösenordsskyddad och kan inte läsas.", file=name
            )
        declared = _declared_pages(pdf)
        if declared > limits.max_pages:
            raise _too_large(name, "antal sidor", str(declared), str(limits.max_pages))
        pages: list[str] = []
        chars = 0
        in_time = limits.clock(name)
        for page in pdf.pages:
            in_time()
            text = page.extract_text() or ""
            chars += len(text)
            if chars > limits.max_chars:
                raise _too_large(
                    name, "antal tecken", f"över {limits.max_chars}", str(limits.max_chars)
                )
            pages.append(text)
        meta_title = ""
        if pdf.metadata is not None and pdf.metadata.title:
            meta_title = str(pdf.metadata.title).strip()
    except (DocumentParseError, DocumentTooLargeError):
        raise
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        OSError,
        AttributeError,
        RecursionError,
        MemoryError,
    ) as exc:
        raise DocumentParseError(
            f"PDF-filen {name} är skadad och kan inte läsas ({type(exc).__name__})."
            if isinstance(exc, (RecursionError, MemoryError))
            else f"PDF-filen {name} är skadad och kan inte läsas ({exc}).",
            file=name,
        ) from exc
    if not any(p.strip() for p in pages):
        raise DocumentParseError(
            f"PDF-filen {name} innehåller ingen text (skannad bild eller tom).", file=name
        )
    layout = _pdf_layout(data, pages, limits, in_time)
    all_lines = [ln for p in pages for ln in p.split("\n")]
    reader = _LineReader(blank_is_break=not _double_spaced(all_lines))
    _measure(reader, (_clean_line(ln) for ln in all_lines))
    stream: list[tuple[str | _PdfTable, int]] = []
    for i, text in enumerate(pages):
        lines: list[str | _PdfTable] = list(text.split("\n"))
        for rows in layout.tables.get(i, []):
            lines = _splice_table(lines, rows)
        stream.extend((item, i + 1) for item in lines)
    _read_pdf_stream(stream, reader, layout)
    # The PDF knows its pages: footer lines "N (M)" are dropped but not needed for numbering.
    reader.page_markers.clear()
    blocks = reader.finish()
    title = meta_title or layout.title(pages[0]) or title_from_filename(name)
    return _document(name, title, blocks)


#: Pages with more extracted characters than this are not laid out by pdfplumber (pypdf only).
PDF_LAYOUT_MAX_CHARS = 30_000
#: Pages with more ruling lines and box edges than this get no table search (a map or drawing).
PDF_LAYOUT_MAX_EDGES = 3_000
#: A line this much larger than the body text (and at least 1 pt) is a heading.
HEADING_SIZE_RATIO = 1.15


@dataclass(frozen=True)
class _PdfTable:
    rows: TableRows


@dataclass
class _PdfLayout:
    """What pdfplumber sees that pypdf's text does not: tables and the font size of lines."""

    tables: dict[int, list[TableRows]] = field(default_factory=dict)  # page index -> tables
    sizes: dict[str, float] = field(default_factory=dict)  # line key -> font size
    body_size: float = 0.0
    running: set[str] = field(default_factory=set)  # line keys repeated on many pages

    def heading_size(self, line: str) -> float | None:
        """The font size of ``line`` when it is set larger than the body text, else None.

        A running header (the same line on at least three pages and a third of them) and a line
        with fewer than three letters (a key figure like ``8,2`` set large) are no headings.
        """
        key = _line_key(line)
        size = self.sizes.get(key)
        if size is None or not self.body_size or key in self.running:
            return None
        if sum(c.isalpha() for c in line) < 3:
            return None
        if size >= self.body_size * HEADING_SIZE_RATIO and size - self.body_size >= 1.0:
            return size
        return None

    def title(self, first_page: str) -> str:
        """The first line of the first page when it is set in the document's largest size."""
        first = next((ln.strip() for ln in first_page.split("\n") if ln.strip()), "")
        size = self.heading_size(first)
        if size is None or size < max(self.sizes.values()) or len(first) > 110:
            return ""
        return _clean_line(first).strip()


def _line_key(line: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", line)).lower()


def _table_rows(raw: Iterable[Iterable[str | None]]) -> TableRows:
    """Clean cells (one line each); drop empty rows and columns that are empty everywhere."""
    rows = [[_clean_line((cell or "").replace("\n", " ")).strip() for cell in row] for row in raw]
    rows = [row for row in rows if any(row)]
    width = max((len(r) for r in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    keep = [j for j in range(width) if any(row[j] for row in rows)]
    return tuple(tuple(row[j] for j in keep) for row in rows)


def _pdf_layout(
    data: bytes, pages: list[str], limits: ParseLimits, in_time: Callable[[], None]
) -> _PdfLayout:
    """Tables and line font sizes per page with pdfplumber.

    pypdf stays the text source (its reading order follows the content stream, which keeps
    columns apart, and it is fast); pdfplumber only adds what needs positions. A page pdfplumber
    cannot read, or one too big to lay out within the limits, keeps its pypdf text alone.
    """
    import io

    import pdfplumber

    layout = _PdfLayout()
    char_sizes: Counter[float] = Counter()
    pages_with: Counter[str] = Counter()  # line key -> pages it is on
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for index, text in enumerate(pages[: limits.max_pages]):
                in_time()
                if not text.strip() or len(text) > PDF_LAYOUT_MAX_CHARS:
                    continue
                try:
                    tables, sizes, chars = _pdf_page_layout(pdf, index)
                except Exception:  # noqa: BLE001 - this page keeps pypdf's text alone
                    continue
                if tables:
                    layout.tables[index] = tables
                for key, size in sizes.items():
                    layout.sizes[key] = max(size, layout.sizes.get(key, 0.0))
                pages_with.update(sizes.keys())
                char_sizes.update(chars)
    except DocumentTooLargeError:
        raise
    except Exception:  # noqa: BLE001 - pdfminer raises many kinds; pypdf's text still stands
        pass
    if char_sizes:
        layout.body_size = char_sizes.most_common(1)[0][0]
    layout.running = {k for k, n in pages_with.items() if n >= max(3, len(pages) / 3)}
    return layout


def _pdf_page_layout(
    pdf: Any, index: int
) -> tuple[list[TableRows], dict[str, float], Counter[float]]:
    """One page: its tables top to bottom, each line's font size, and how many chars per size."""
    page = pdf.pages[index]
    try:
        return _page_layout(page)
    finally:
        page.close()  # drop the page's cached layout objects


def _page_layout(page: Any) -> tuple[list[TableRows], dict[str, float], Counter[float]]:
    tables: list[TableRows] = []
    if len(page.edges) <= PDF_LAYOUT_MAX_EDGES:
        for found in sorted(page.find_tables(), key=lambda t: (t.bbox[1], t.bbox[0])):
            rows = _table_rows(found.extract())
            if len(rows) >= 2 and len(rows[0]) >= 2:
                tables.append(rows)
    sizes: dict[str, float] = {}
    for line in page.extract_text_lines(return_chars=True):
        line_sizes = sorted(round(float(c["size"]), 1) for c in line["chars"] if c["text"].strip())
        if line_sizes:
            sizes[_line_key(line["text"])] = line_sizes[len(line_sizes) // 2]
    chars: Counter[float] = Counter(
        round(float(c["size"]), 1) for c in page.chars if c["text"].strip()
    )
    return tables, sizes, chars


_WORD = re.compile(r"\w+")


def _splice_table(lines: list[str | _PdfTable], rows: TableRows) -> list[str | _PdfTable]:
    """Put a table in place of the pypdf lines that hold its cells (its first run of them).

    pypdf gives a table as loose lines of cell words. The run of consecutive lines made only of
    the table's words that covers most of them is replaced by the table; when no run covers at
    least 60 % of its words the lines stay as they are (the table is then not added again).
    """
    vocab = Counter(w.lower() for row in rows for cell in row for w in _WORD.findall(cell))
    total = sum(vocab.values())
    if not total:
        return lines
    best: tuple[int, int, int] | None = None  # covered words, start, end
    i = 0
    while i < len(lines):
        j, covered = i, 0
        while j < len(lines):
            item = lines[j]
            if not isinstance(item, str):
                break
            words = [w.lower() for w in _WORD.findall(item)]
            if words and not all(w in vocab for w in words):
                break
            if not words and j == i:
                break
            covered += len(words)
            j += 1
        while j > i and isinstance(lines[j - 1], str) and not str(lines[j - 1]).strip():
            j -= 1  # trailing blank lines stay
        if covered and (best is None or covered > best[0]):
            best = (covered, i, j)
        i = max(j, i + 1)
    if best is None or best[0] < 0.6 * total:
        return lines
    _, start, end = best
    return [*lines[:start], _PdfTable(rows), *lines[end:]]


def _read_pdf_stream(
    stream: list[tuple[str | _PdfTable, int]], reader: _LineReader, layout: _PdfLayout
) -> None:
    """Feed a PDF's lines to ``reader``; tables and lines set larger than the body are placed.

    A large line with a plausible number (``2 Resultat``) is a numbered heading; a large line
    without one starts an unnumbered section, unless it is smaller than the numbered heading it
    follows: then it is a subheading inside that section. Running headers and footers are dropped.
    """
    buffer: list[tuple[str, int | None]] = []
    numbered_size: float | None = None

    def feed() -> None:
        _read_lines(buffer, reader, measure=False)
        buffer.clear()

    i = 0
    while i < len(stream):
        item, page = stream[i]
        i += 1
        if isinstance(item, _PdfTable):
            feed()
            reader.table(item.rows, page)
            continue
        text = _clean_line(item).strip()
        if text and _line_key(text) in layout.running:
            continue  # a running header or footer: the same line on page after page
        size = layout.heading_size(text) if text else None
        if (
            size is None
            or len(text) > 110
            or len(text.split()) > 16
            or text.endswith((",", ";", ".", "!"))
        ):
            buffer.append((item, page))
            continue
        # a heading set over two lines: the next non-blank line in the same size
        j = i
        while j < len(stream) and isinstance(stream[j][0], str) and not str(stream[j][0]).strip():
            j += 1
        if j < len(stream) and isinstance(stream[j][0], str):
            nxt = _clean_line(str(stream[j][0])).strip()
            if (
                layout.heading_size(nxt) == size
                and not _HEADING.match(nxt)
                and len(text) + len(nxt) <= 110
            ):
                text, i = f"{text} {nxt}", j + 1
        feed()
        m = _HEADING.match(text)
        if m and m.group(3)[:1].isupper():
            reader.outline = _numbers(m.group(1))
            reader.heading(m.group(1), m.group(3), page)
            numbered_size = size
        elif numbered_size is not None and size < numbered_size and reader.section:
            reader.subheading(text, page)
        else:
            reader.heading("", text, page)
    feed()


def parse_docx(data: bytes, name: str, limits: ParseLimits = DEFAULT_LIMITS) -> ParsedDocument:
    """Parse Word: paragraphs styled ``Heading N``/``Rubrik N`` (or ``Title``) start sections."""
    import io
    import zipfile

    check_office_archive(data, name, limits)
    n_paragraphs, n_cells = _docx_counts(data)
    if n_paragraphs > limits.max_paragraphs:
        raise _too_large(name, "antal stycken", str(n_paragraphs), str(limits.max_paragraphs))
    if n_cells > limits.max_table_cells:
        raise _too_large(name, "antal tabellceller", str(n_cells), str(limits.max_table_cells))
    try:
        import docx
        from docx.table import Table as DocxTable

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DocumentParseError(
            f"Word-filen {name} är skadad och kan inte läsas ({exc}).", file=name
        ) from exc
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on bad files
        raise DocumentParseError(
            f"Word-filen {name} kan inte läsas ({type(exc).__name__}).", file=name
        ) from exc
    reader = _LineReader(blank_is_break=True)
    title = (document.core_properties.title or "").strip()
    # style names by id, looked up once (Paragraph.style resolves the styles part every time)
    names = {st.style_id: st.name or "" for st in document.styles}
    default = next(
        (st.name or "" for st in document.styles if st.type == 1 and st._element.default), ""
    )
    in_time = limits.clock(name)
    # Body content in document order: a table stays under the heading it follows.
    for number, item in enumerate(document.iter_inner_content()):
        if number % 200 == 0:
            in_time()
        if isinstance(item, DocxTable):
            rows = _docx_table_rows(item)
            if rows:
                reader.table(rows, None)
            continue
        para = item
        text = _clean_line(para.text).strip()
        style_id = para._p.style
        style = names.get(style_id, "") if style_id else default
        level = re.match(r"^(?:Heading|Rubrik)\s*(\d)", style, re.IGNORECASE)
        if style.lower() in ("title", "rubrik") and text:
            title = title or text
            continue
        if level and text:
            num = re.match(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(.*)$", text)
            if num:
                reader.outline = _numbers(num.group(1))
                reader.heading(num.group(1), num.group(2), None)
            else:
                reader.heading("", text, None)
            continue
        reader.flush()
        if text:
            reader.add(text, None)
            reader.flush()
    blocks = reader.finish()
    if not blocks:
        raise DocumentParseError(f"Word-filen {name} innehåller ingen text.", file=name)
    return _document(name, title or title_from_filename(name), blocks)


def _docx_table_rows(table: Any) -> TableRows:
    """A Word table's rows; a merged cell counts once (python-docx repeats it per grid column)."""
    raw: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is not previous:
                cells.append(cell.text)
            previous = cell._tc
        raw.append(cells)
    return _table_rows(raw)


def parse_register(path: Path, name: str) -> ParsedDocument:
    """An initiative register (CSV/XLSX) through the index engine's loader: one record each."""
    from index_engine.errors import IndexEngineError
    from index_engine.loaders import load_initiatives_file

    try:
        frame = load_initiatives_file(path)
    except IndexEngineError as exc:
        raise DocumentParseError(
            f"Initiativregistret {name} kunde inte läsas: {getattr(exc, 'message', exc)}",
            file=name,
        ) from exc
    records: list[dict[str, Any]] = []
    for row in frame.to_dict(orient="records"):
        clean = {str(k): _plain(v) for k, v in row.items()}
        if not str(clean.get("description") or clean.get("title") or "").strip():
            continue
        records.append(clean)
    if not records:
        raise DocumentParseError(f"Initiativregistret {name} innehåller inga initiativ.", file=name)
    years = [int(r["year"]) for r in records if isinstance(r.get("year"), int)]
    return ParsedDocument(
        source=name,
        title=title_from_filename(name),
        year=max(years) if years else detect_year(name),
        kind="initiative",
        records=records,
    )


def _plain(value: Any) -> Any:
    """Numpy/pandas scalars and NaN to plain Python values."""
    if value is None:
        return None
    try:
        import math

        if isinstance(value, float) and math.isnan(value):
            return None
    except TypeError:  # pragma: no cover
        pass
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return item()
        except (ValueError, TypeError):
            return str(value)
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _document(name: str, title: str, blocks: list[Block]) -> ParsedDocument:
    if not blocks:
        raise DocumentParseError(f"Filen {name} innehåller ingen läsbar text.", file=name)
    return ParsedDocument(
        source=name,
        title=title,
        year=detect_year(name, title),
        kind="report",
        blocks=blocks,
    )


def supported_suffix(name: str, fallback: str = "") -> str:
    """The file's type (lower-case suffix, ``fallback`` when ``name`` has none) if we read it.

    Raises:
        UnsupportedFileTypeError: A type we do not read; the message names the file.
    """
    suffix = Path(name).suffix.lower() or fallback.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFileTypeError(
            f"Filtypen {suffix or '(ingen)'} för {name} stöds inte. "
            f"Tillåtna: {', '.join(sorted(SUPPORTED_SUFFIXES))}.",
            file=name,
            suffix=suffix,
        )
    return suffix


def parse_file(
    path: Path, *, display_name: str | None = None, limits: ParseLimits = DEFAULT_LIMITS
) -> ParsedDocument:
    """Parse one file by its suffix.

    Args:
        path: The file on disk.
        display_name: The name to store it under (default: the file name).
        limits: What one document may hold (pages, characters, paragraphs, expanded size).

    Returns:
        The parsed document.

    Raises:
        UnsupportedFileTypeError: A type we do not read.
        DocumentParseError: Empty, binary, corrupt or encrypted content.
        DocumentTooLargeError: Over one of ``limits`` (pages, characters, paragraphs, cells,
            expanded size); the message names the file and the limit.
    """
    name = display_name or path.name
    suffix = supported_suffix(name, fallback=path.suffix)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentParseError(f"Filen {name} kunde inte läsas: {exc}", file=name) from exc
    if not data.strip():
        raise DocumentParseError(f"Filen {name} är tom.", file=name)
    if suffix in REGISTER_SUFFIXES:
        if suffix == ".xlsx":
            check_office_archive(data, name, limits)
        return parse_register(path, name)
    if suffix == ".pdf":
        if not data.lstrip().startswith(b"%PDF"):
            raise DocumentParseError(f"Filen {name} är inte en giltig PDF.", file=name)
        return parse_pdf(data, name, limits)
    if suffix == ".docx":
        if not data.startswith(b"PK"):
            raise DocumentParseError(f"Filen {name} är inte en giltig Word-fil.", file=name)
        return parse_docx(data, name, limits)
    text = _decode(data, name)
    if len(text) > limits.max_chars:
        raise _too_large(name, "antal tecken", str(len(text)), str(limits.max_chars))
    if suffix in (".md", ".markdown"):
        return parse_markdown(text, name)
    return parse_text(text, name)
