"""Split parsed documents into chunks that follow sections and fit the embedder.

Chunks never cross a section boundary. Inside a section, paragraphs are packed up to a target size
measured in the embedder's own tokens; a paragraph that is too long is split at sentence ends (and a
sentence that is too long at word boundaries). The embedded text is ``section + title + passage``
and is guaranteed to stay under the model's token limit.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest.models import Block, Chunk, ParsedDocument

#: Chunk size in model tokens chosen by measurement (scripts/bench_search.py --sizes; see report).
DEFAULT_TARGET_TOKENS = 380
#: Tokens kept free under the model limit for the heading line and tokenizer differences.
SAFETY_MARGIN = 8

#: Sentences shorter than this (characters) get no vector of their own.
MIN_SENTENCE_CHARS = 16

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÅÄÖ0-9\"”»(•*–-])|\n+")


@dataclass(frozen=True)
class ChunkingConfig:
    """How big chunks are."""

    target_tokens: int = DEFAULT_TARGET_TOKENS
    max_tokens: int = 512

    @property
    def budget(self) -> int:
        """The effective target: never above the model limit minus the margin."""
        return max(32, min(self.target_tokens, self.max_tokens - SAFETY_MARGIN))


def split_sentences(text: str) -> list[str]:
    """Sentences (rough, Swedish-aware enough: capital or digit after the end mark)."""
    return [s.strip() for s in _SENTENCE_SPLIT.split(text) if s and s.strip()]


def chunk_sentences(chunk: Chunk) -> list[str]:
    """The sentences of a chunk that get a vector of their own (the whole text if none is long)."""
    sentences = [s for s in split_sentences(chunk.text) if len(s) >= MIN_SENTENCE_CHARS]
    return sentences or [chunk.text]


def sentence_views(chunk: Chunk, sentences: Sequence[str] | None = None) -> list[str]:
    """The texts embedded per sentence: the heading path (titles only), a newline, the sentence.

    The heading gives a short sentence its topic ("svarsfrekvensen var 64,5 %" under "Hur har
    mätningen genomförts?"); measured on the retrieval questions, dropping it or keeping only the
    section title both rank worse. Section numbers are left out: the same results, 6 % fewer
    tokens to embed.
    """
    head = chunk.topic()
    if sentences is None:
        sentences = chunk_sentences(chunk)
    return [f"{head}\n{s}" if head else s for s in sentences]


def _split_long(text: str, limit: int, count: Callable[[str], int]) -> list[str]:
    """Split one over-long sentence at word boundaries into pieces of at most ``limit`` tokens."""
    words = text.split(" ")
    pieces: list[str] = []
    current: list[str] = []
    for word in words:
        trial = " ".join([*current, word])
        if current and count(trial) > limit:
            pieces.append(" ".join(current))
            current = [word]
        else:
            current.append(word)
    if current:
        pieces.append(" ".join(current))
    # a single enormous "word" (e.g. a URL or garbage): hard cut by characters
    out: list[str] = []
    for piece in pieces:
        while count(piece) > limit and len(piece) > 1:
            cut = max(1, len(piece) // 2)
            while count(piece[:cut]) > limit and cut > 1:
                cut //= 2
            out.append(piece[:cut])
            piece = piece[cut:]
        out.append(piece)
    return [p for p in out if p.strip()]


def _units(block: Block, limit: int, count: Callable[[str], int]) -> list[tuple[str, int, int]]:
    """A block as pieces that each fit ``limit``: (text, start, end) with document offsets.

    A table that does not fit is split between rows, never inside one while a row fits; every
    row line carries its column headers, so each piece reads on its own.
    """
    if count(block.text) <= limit:
        return [(block.text, block.start, block.end)]
    if block.table:
        return _table_units(block, limit, count)
    out: list[tuple[str, int, int]] = []
    cursor = 0
    for sentence in split_sentences(block.text):
        pieces = [sentence] if count(sentence) <= limit else _split_long(sentence, limit, count)
        for piece in pieces:
            pos = block.text.find(piece, cursor)
            if pos < 0:
                pos = cursor
            cursor = pos + len(piece)
            out.append((piece, block.start + pos, block.start + pos + len(piece)))
    return out


def _table_units(
    block: Block, limit: int, count: Callable[[str], int]
) -> list[tuple[str, int, int]]:
    """Rows of a table packed into pieces of at most ``limit`` tokens, in order."""
    rows: list[tuple[str, int, int]] = []
    cursor = 0
    for line in block.text.split("\n"):
        pos = block.text.find(line, cursor)
        cursor = pos + len(line)
        if count(line) <= limit:
            rows.append((line, pos, cursor))
        else:  # one row longer than a whole chunk: cut at words, the only way it fits
            piece_pos = pos
            for piece in _split_long(line, limit, count):
                piece_pos = block.text.find(piece, piece_pos)
                rows.append((piece, piece_pos, piece_pos + len(piece)))
                piece_pos += len(piece)
    out: list[tuple[str, int, int]] = []
    for text, start, end in rows:
        if out and count(f"{out[-1][0]}\n{text}") <= limit:
            out[-1] = (f"{out[-1][0]}\n{text}", out[-1][1], end)
        else:
            out.append((text, start, end))
    return [(text, block.start + start, block.start + end) for text, start, end in out]


def chunk_document(
    doc: ParsedDocument,
    count_tokens: Callable[[str], int],
    config: ChunkingConfig | None = None,
    *,
    version: str = "",
) -> list[Chunk]:
    """Cut a parsed report into chunks.

    Args:
        doc: The parsed document (``kind == "report"``).
        count_tokens: The embedder's token counter (passage prefix and specials included).
        config: Target and model limit.
        version: Version tag mixed into the chunk ids.

    Returns:
        Chunks in document order; each one's ``embed_text()`` fits the model limit.
    """
    config = config or ChunkingConfig()
    chunks: list[Chunk] = []
    groups: list[list[Block]] = []
    for block in doc.blocks:
        if (
            groups
            and groups[-1][0].section == block.section
            and (groups[-1][0].section_title == block.section_title)
        ):
            groups[-1].append(block)
        else:
            groups.append([block])
    for group in groups:
        first = group[0]
        own = " ".join(p for p in (first.section, first.section_title) if p)
        head = " > ".join(p for p in (first.context, own) if p)
        head_tokens = count_tokens(head) if head else 0
        hard = config.max_tokens - SAFETY_MARGIN - head_tokens
        target = max(24, min(config.budget - head_tokens, hard))
        units: list[tuple[str, int, int, int | None]] = []
        for block in group:
            for text, start, end in _units(block, target, count_tokens):
                units.append((text, start, end, block.page))
        # greedy packing, then balance the last two pieces so no tiny tail chunk is left
        packs: list[list[tuple[str, int, int, int | None]]] = []
        current: list[tuple[str, int, int, int | None]] = []
        for unit in units:
            trial = "\n".join(u[0] for u in [*current, unit])
            if current and count_tokens(trial) > target:
                packs.append(current)
                current = [unit]
            else:
                current.append(unit)
        if current:
            packs.append(current)
        if len(packs) >= 2 and len(packs[-1]) == 1 and len(packs[-2]) > 1:
            last_text = packs[-1][0][0]
            moved = packs[-2][-1]
            if count_tokens(moved[0] + "\n" + last_text) <= target and count_tokens(
                "\n".join(u[0] for u in packs[-2][:-1])
            ) >= count_tokens(last_text):
                packs[-1] = [moved, *packs[-1]]
                packs[-2] = packs[-2][:-1]
        for pack in packs:
            text = "\n".join(u[0] for u in pack)
            pages = [u[3] for u in pack if u[3] is not None]
            key = f"{doc.source}|{version}|{len(chunks)}"
            chunks.append(
                Chunk(
                    id=f"{version or 'v'}-{len(chunks):05d}-"
                    + hashlib.sha1(key.encode()).hexdigest()[:8],
                    text=text,
                    source=doc.source,
                    title=doc.title,
                    year=doc.year,
                    section=first.section,
                    section_title=first.section_title,
                    page=pages[0] if pages else None,
                    start=pack[0][1],
                    end=pack[-1][2],
                    kind="report",
                    context=first.context,
                )
            )
    return chunks


def initiative_chunks(doc: ParsedDocument, *, version: str = "") -> list[Chunk]:
    """One chunk per initiative of a register: title and description, searchable.

    The section field carries the initiative id and ``section_title`` its title.
    """
    chunks: list[Chunk] = []
    for i, rec in enumerate(doc.records):
        title = str(rec.get("title") or "").strip()
        desc = str(rec.get("description") or "").strip()
        objekt = str(rec.get("objekt") or "").strip()
        text = f"{title}. {desc}" if title and desc else (title or desc)
        if objekt:
            text = f"{text}\nObjekt: {objekt}"
        year = rec.get("year")
        chunks.append(
            Chunk(
                id=f"{version or 'v'}-{i:05d}",
                text=text,
                source=doc.source,
                title=doc.title,
                year=int(year) if isinstance(year, (int, float)) and year == year else doc.year,
                section=str(rec.get("id") or i + 1),
                section_title=title,
                page=None,
                start=0,
                end=len(text),
                kind="initiative",
            )
        )
    return chunks
