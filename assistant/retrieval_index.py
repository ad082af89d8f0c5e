"""What retrieval keeps per document version, and how the versions are combined at query time.

A **segment** is one document version's share of the search index, built once (at ingest, by
:func:`install_indexer`'s hook, or by the first reader of a version that has none) and stored as a
snapshot (:mod:`ingest.snapshots`):

* the chunks in document order: each as JSON in ``chunk_blob`` (``chunk_offsets``), decoded only
  when a search returns or scores it; their ids, years, sections and levels as columns for the
  filters;
* BM25 *term frequencies* per chunk (CSR: ``tf_indptr``, ``tf_terms``, ``tf_values``), the
  version's own term list ``terms`` (JSON) and which of them occur in a body text (``term_body``:
  compound words are split against those); ``lengths`` (weighted terms per chunk);
* the sentence vectors as float16 (``sent_vectors``, rows per chunk in ``sent_indptr``; a chunk
  whose stored vectors were not made from its sentence views has no rows and is embedded by the
  reader) and whether each sentence states a figure (``sent_figure``).

Nothing in a segment depends on another version: compound words are split against the version's
own body vocabulary, and the BM25 statistics that do span versions (document frequencies, the
number of chunks, the average length) are sums :class:`CombinedIndex` adds a version to or takes
it away from; the BM25 weights themselves are computed at query time from them. The postings are
*tiered*: a merged base (cached locally once merged, so a new process maps it instead of
combining), a small delta per version ingested since and a mask over a deleted version's rows. So
an ingest or a delete touches only its own version's postings, and a new process maps the
snapshots instead of reading every record.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from assistant.lang.stopwords import FUNCTION_WORDS
from assistant.lang.text import ANALYSER_VERSION, analyse, analyse_words, expand_compounds, words
from ingest.chunking import chunk_sentences, sentence_views
from ingest.models import Chunk

if TYPE_CHECKING:
    from ingest.snapshots import SnapshotStore
    from ingest.store import SentenceBlock, Store

#: BM25 parameters (standard values).
K1 = 1.2
B = 0.75
#: Weight of section-title terms relative to body terms.
TITLE_WEIGHT = 1.0
#: Weight of compound parts relative to whole words.
COMPOUND_WEIGHT = 0.5

#: A figure in a sentence: a decimal, a percentage or a number of two or more digits (not a year).
_FIGURE = re.compile(r"\d+[,.]\d+|\d+\s?%|\b(?!(?:19|20)\d\d\b)\d{2,}\b")


def has_figure(sentence: str) -> bool:
    """Whether a sentence states a figure (8,2; 64,5 %; 220), not just a year."""
    return bool(_FIGURE.search(sentence))


def _layout() -> str:
    """The segment layout: a snapshot tagged otherwise was made by another build and is rebuilt.

    Bump ``segment-N`` when the arrays change; the analyser's version, the weights and a digest of
    the stopwords are part of it, so a changed analyser never reads postings made by the old one.
    """
    words_digest = hashlib.sha256("\n".join(sorted(FUNCTION_WORDS)).encode()).hexdigest()[:10]
    return f"segment-2/an{ANALYSER_VERSION}/tw{TITLE_WEIGHT}/cw{COMPOUND_WEIGHT}/sw{words_digest}"


LAYOUT = _layout()


def _json_bytes(value: object) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def _from_json_bytes(arr: np.ndarray) -> list[Any]:
    return list(json.loads(np.asarray(arr).tobytes().decode("utf-8")))


def build_segment(
    chunks: Sequence[Chunk], vectors: Sequence[np.ndarray | None], dim: int
) -> dict[str, np.ndarray]:
    """The arrays of one document version's segment.

    Args:
        chunks: The version's chunks (any order; stored in document order).
        vectors: Each chunk's sentence vectors (one row per :func:`sentence_views`), or None when
            the store holds none made from its views.
        dim: The embedding size.
    """
    order = sorted(range(len(chunks)), key=lambda i: (chunks[i].start, chunks[i].id))
    chunks = [chunks[i] for i in order]
    vectors = [vectors[i] for i in order]
    raw_tokens = [words(c.text) for c in chunks]
    body_terms = [analyse_words(toks) for toks in raw_tokens]
    vocabulary = frozenset(t for terms in body_terms for t in terms)
    splits: dict[str, list[str]] = {}
    title_cache: dict[str, tuple[list[str], list[str]]] = {}
    term_ids: dict[str, int] = {}
    indptr = [0]
    cols: list[int] = []
    vals: list[float] = []
    lengths = np.zeros(len(chunks), dtype=np.float64)
    for i, c in enumerate(chunks):
        counts: dict[str, float] = defaultdict(float)
        for t in body_terms[i]:
            counts[t] += 1.0
        for t in expand_compounds(raw_tokens[i], vocabulary, splits):
            counts[t] += COMPOUND_WEIGHT
        head = " ".join(p for p in (c.context, c.section_title) if p)
        if head not in title_cache:
            title_cache[head] = (analyse(head), expand_compounds(words(head), vocabulary, splits))
        t_terms, t_parts = title_cache[head]
        for t in t_terms:
            counts[t] += TITLE_WEIGHT
        for t in t_parts:
            counts[t] += TITLE_WEIGHT * COMPOUND_WEIGHT
        lengths[i] = sum(counts.values())
        for term, weight in counts.items():
            cols.append(term_ids.setdefault(term, len(term_ids)))
            vals.append(weight)
        indptr.append(len(cols))
    terms = list(term_ids)
    sent_indptr = [0]
    blocks: list[np.ndarray] = []
    figures: list[bool] = []
    for c, vecs in zip(chunks, vectors, strict=True):
        if vecs is not None and len(vecs):
            blocks.append(np.asarray(vecs, dtype=np.float16).reshape(len(vecs), dim))
            sentences = chunk_sentences(c)
            figures.extend(has_figure(s) for s in sentences[: len(vecs)])
            figures.extend(False for _ in range(len(vecs) - len(sentences)))
        sent_indptr.append(sent_indptr[-1] + (len(vecs) if vecs is not None else 0))
    records = [json.dumps(asdict(c), ensure_ascii=False).encode("utf-8") for c in chunks]
    return {
        **chunk_columns(chunks, records),
        "terms": _json_bytes(terms),
        "term_body": np.array([t in vocabulary for t in terms], dtype=np.bool_),
        "tf_indptr": np.asarray(indptr, dtype=np.int64),
        "tf_terms": np.asarray(cols, dtype=np.int32),
        "tf_values": np.asarray(vals, dtype=np.float32),
        "lengths": lengths,
        "sent_indptr": np.asarray(sent_indptr, dtype=np.int64),
        "sent_vectors": np.concatenate(blocks) if blocks else np.zeros((0, dim), np.float16),
        "sent_figure": np.asarray(figures, dtype=np.bool_),
    }


def chunk_columns(chunks: Sequence[Chunk], records: Sequence[bytes]) -> dict[str, np.ndarray]:
    """The chunk arrays of a segment: ``records`` (each chunk as JSON) and the filter columns."""
    return {
        "chunk_blob": np.frombuffer(b"".join(records), dtype=np.uint8),
        "chunk_offsets": np.cumsum([0, *map(len, records)], dtype=np.int64),
        "chunk_ids": _json_bytes([c.id for c in chunks]),
        "chunk_sections": _json_bytes([c.section for c in chunks]),
        "chunk_source": _json_bytes(chunks[0].source if chunks else ""),
        "chunk_years": np.array([-1 if c.year is None else c.year for c in chunks], np.int64),
        "chunk_levels": np.array([int(c.level) for c in chunks], dtype=np.int8),
    }


class Segment:
    """One document version's segment, read from its (memory-mapped) snapshot."""

    def __init__(self, arrays: dict[str, np.ndarray], version: str = "") -> None:
        """Wrap the arrays of :func:`build_segment` (ids, sections and terms are decoded now).

        Args:
            arrays: The segment's arrays (mapped or in memory).
            version: The document version it is the segment of.
        """
        self.version = version
        self.chunk_blob = np.asarray(arrays["chunk_blob"])
        self.chunk_offsets = np.asarray(arrays["chunk_offsets"])
        self.ids: list[str] = _from_json_bytes(arrays["chunk_ids"])
        self.sections = np.array(_from_json_bytes(arrays["chunk_sections"]), dtype=object)
        self.section_set = frozenset(self.sections.tolist())
        self.source = str(json.loads(np.asarray(arrays["chunk_source"]).tobytes()))
        self.years = np.asarray(arrays["chunk_years"], dtype=np.int64)
        self.levels = np.asarray(arrays["chunk_levels"], dtype=np.int8)
        self.terms: list[str] = _from_json_bytes(arrays["terms"])
        self.term_body = np.asarray(arrays["term_body"], dtype=np.bool_)
        self.tf_indptr = arrays["tf_indptr"]
        self.tf_terms = arrays["tf_terms"]
        self.tf_values = arrays["tf_values"]
        self.lengths = np.asarray(arrays["lengths"], dtype=np.float64)
        # plain views of the mapped files (a memmap slice costs more than the rows it reads)
        self.sent_indptr = np.asarray(arrays["sent_indptr"])
        self.sent_vectors = np.asarray(arrays["sent_vectors"])
        self.sent_figure = np.asarray(arrays["sent_figure"], dtype=np.bool_)
        #: Global term ids of :attr:`terms` in the vocabulary they were mapped into.
        self._gids: tuple[dict[str, int], np.ndarray] | None = None

    def global_ids(self, vocab: dict[str, int]) -> np.ndarray:
        """Ids of this segment's terms in ``vocab`` (which grows by the terms it lacks)."""
        if self._gids is None or self._gids[0] is not vocab:
            ids = np.fromiter(
                (vocab.setdefault(t, len(vocab)) for t in self.terms),
                dtype=np.int64,
                count=len(self.terms),
            )
            self._gids = (vocab, ids)
        return self._gids[1]

    def __len__(self) -> int:
        """Number of chunks."""
        return len(self.ids)

    @cached_property
    def outline(self) -> tuple[tuple[str, str], ...]:
        """The document's sections in order: (number, title), each once."""
        out: dict[str, str] = {}
        for i, section in enumerate(self.sections.tolist()):
            if section and section not in out:  # only a section's first chunk is decoded
                out[section] = self.chunk(i).section_title
        return tuple(out.items())

    @cached_property
    def term_counts(self) -> dict[str, int]:
        """Each term of the segment with the number of its chunks that hold it."""
        counts = np.bincount(np.asarray(self.tf_terms, dtype=np.int64), minlength=len(self.terms))
        return {t: int(n) for t, n in zip(self.terms, counts.tolist(), strict=True) if n}

    def chunk(self, i: int) -> Chunk:
        """Chunk ``i`` (decoded from the mapped snapshot)."""
        lo, hi = self.chunk_offsets[i : i + 2].tolist()
        return Chunk(**json.loads(self.chunk_blob[lo:hi].tobytes()))

    def sentences(self, i: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Chunk ``i``'s sentence vectors (float32) and figure flags, or None when it has none."""
        lo, hi = self.sent_indptr[i : i + 2].tolist()
        if hi <= lo:
            return None
        return self.sent_vectors[lo:hi].astype(np.float32), self.sent_figure[lo:hi]


def segment_from_store(store: Store, collection: str, version: str) -> dict[str, np.ndarray]:
    """Build a version's segment from its records (a version without a usable snapshot)."""
    chunks = store.version_chunks(collection, version)
    block: SentenceBlock = store.version_sentences(collection, version)
    vectors = [block.chunk(c) for c in chunks]
    return build_segment(chunks, vectors, store.embedder.dim)


def write_segment(
    store: Store,
    collection: str,
    version: str,
    chunks: list[Chunk],
    views: list[list[str]],
    vectors: np.ndarray,
) -> None:
    """The store's indexer: build a new version's segment from what ingest just embedded."""
    per_chunk: list[np.ndarray | None] = []
    lo = 0
    for c, vs in zip(chunks, views, strict=True):
        per_chunk.append(vectors[lo : lo + len(vs)] if vs == sentence_views(c) else None)
        lo += len(vs)
    arrays = build_segment(chunks, per_chunk, int(vectors.shape[1]) if vectors.ndim == 2 else 0)
    store.snapshots.put(collection, version, LAYOUT, arrays)


def install_indexer(store: Store) -> None:
    """Make ``store`` write a retrieval snapshot for every version it ingests."""
    if store.indexer is None:
        store.indexer = lambda coll, version, chunks, views, vectors: write_segment(
            store, coll, version, chunks, views, vectors
        )


def load_segment(store: Store, collection: str, version: str, count: int) -> Segment:
    """A version's segment: its snapshot (local, then shared), else built from its records.

    A snapshot of another layout counts as missing. A built one is stored for the next reader
    only when it holds the version's ``count`` chunks (a version deleted while it was read is not).
    """
    arrays = store.snapshots.get(collection, version, LAYOUT)
    if arrays is None:
        arrays = segment_from_store(store, collection, version)
        if len(arrays["tf_indptr"]) - 1 == count:
            store.snapshots.put(collection, version, LAYOUT, arrays)
            arrays = store.snapshots.get(collection, version, LAYOUT) or arrays
    return Segment(arrays, version)


class _BodyVocabulary:
    """The stems occurring in some current chunk's body (what compound parts must be)."""

    def __init__(self, vocab: dict[str, int], body_df: np.ndarray) -> None:
        self._vocab = vocab
        self._body_df = body_df

    def __contains__(self, term: object) -> bool:
        g = self._vocab.get(term) if isinstance(term, str) else None
        return g is not None and g < len(self._body_df) and bool(self._body_df[g] > 0)


def _norm(lengths: np.ndarray, avgdl: float) -> np.ndarray:
    """BM25's length normalisation of chunks of ``lengths``."""
    return K1 * (1.0 - B + B * lengths / max(avgdl, 1e-9))


def _saturation(tf: np.ndarray, norm: np.ndarray) -> np.ndarray:
    """The term-frequency part of BM25 weights (at most ``K1 + 1``)."""
    tf = tf.astype(np.float64)  # stored float32: halves exact
    return tf * (K1 + 1.0) / (tf + norm)


def _widen(values: np.ndarray, width: int) -> np.ndarray:
    """A copy of ``values`` padded with zeros to ``width`` entries."""
    out = np.zeros(max(width, len(values)), dtype=values.dtype)
    out[: len(values)] = values
    return out


def _concat(parts: Sequence[np.ndarray], dtype: Any) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)


class _Tier:
    """Term-major BM25 postings of consecutive rows of a :class:`CombinedIndex`: a base or a delta.

    ``indptr`` runs over the term ids known when the tier was built (a later term has no postings
    here); ``rows`` are the tier's own (add :attr:`first`), ascending per term. ``fmax`` is, per
    term, the largest :func:`_saturation` of its postings at the average length ``avgdl``; at
    another average length ``d`` none exceeds ``fmax * max(1, d / avgdl)`` (the normalisation is
    ``a + b / d``): the bound MaxScore prunes with.
    """

    def __init__(self, first: int, n: int, arrays: dict[str, np.ndarray]) -> None:
        """Wrap the arrays of :meth:`build` (``indptr``, ``rows``, ``tf``, ``fmax``, ``avgdl``)."""
        self.first = first
        self.n = n
        self.indptr = np.asarray(arrays["indptr"])
        self.rows = np.asarray(arrays["rows"])
        self.tf = np.asarray(arrays["tf"])
        self.fmax = np.asarray(arrays["fmax"])
        self.avgdl = float(arrays["avgdl"][0])

    @classmethod
    def build(
        cls,
        segments: Sequence[Segment],
        gids: Sequence[np.ndarray],
        first: int,
        width: int,
        avgdl: float,
    ) -> _Tier:
        """The postings of ``segments`` (rows from ``first`` on) over ``width`` term ids.

        Concatenation of their term frequencies (no text is analysed again) and one CSR-to-CSC
        conversion: O(their postings).
        """
        from scipy import sparse  # imported here: a CLI command that only ingests starts light

        n = sum(len(s) for s in segments)
        offsets = np.cumsum([0] + [int(s.tf_indptr[-1]) for s in segments])
        indptr = _concat(
            [np.zeros(1, np.int64)]
            + [
                np.asarray(s.tf_indptr[1:]) + off for s, off in zip(segments, offsets, strict=False)
            ],
            np.int64,
        )
        pairs = zip(segments, gids, strict=True)
        cols = _concat([g[np.asarray(s.tf_terms)] for s, g in pairs], np.int64)
        tf = _concat([np.asarray(s.tf_values) for s in segments], np.float32)
        csc = sparse.csr_matrix((tf, cols, indptr), shape=(n, max(1, width))).tocsc()
        rows = csc.indices.astype(np.int32, copy=False)
        fmax = np.zeros(max(1, width), dtype=np.float64)
        nonempty = np.flatnonzero(np.diff(csc.indptr) > 0)
        if nonempty.size:
            lengths = _concat([s.lengths for s in segments], np.float64)
            f = _saturation(csc.data, _norm(lengths[rows], avgdl))
            fmax[nonempty] = np.maximum.reduceat(f, csc.indptr[nonempty])
        arrays = {"indptr": csc.indptr.astype(np.int64), "rows": rows, "tf": csc.data}
        return cls(first, n, {**arrays, "fmax": fmax, "avgdl": np.array([avgdl])})

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays :meth:`__init__` takes."""
        return {
            "indptr": self.indptr,
            "rows": self.rows,
            "tf": self.tf,
            "fmax": self.fmax,
            "avgdl": np.array([self.avgdl]),
        }

    def _slice(self, g: int) -> tuple[np.ndarray, np.ndarray]:
        if g + 1 >= len(self.indptr):
            return self.rows[:0], self.tf[:0]
        lo, hi = int(self.indptr[g]), int(self.indptr[g + 1])
        return self.rows[lo:hi], self.tf[lo:hi]

    def postings(self, g: int) -> tuple[np.ndarray, np.ndarray]:
        """Term ``g``'s postings here: combined rows and term frequencies."""
        rows, tf = self._slice(g)
        return (rows + self.first if self.first else rows), tf

    def probe(self, g: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which of ``rows`` (combined, ascending) hold term ``g`` here, and its tf there.

        Returns:
            Positions in ``rows`` and the term frequencies (a binary search per row: a long
            posting list is probed, not read).
        """
        mine, tf = self._slice(g)
        lo, hi = np.searchsorted(rows, [self.first, self.first + self.n])
        if not len(mine) or lo == hi:
            return np.zeros(0, np.int64), tf[:0]
        local = (rows[lo:hi] - self.first).astype(mine.dtype)  # not the whole list cast to int64
        at = np.minimum(np.searchsorted(mine, local), len(mine) - 1)
        hit = np.flatnonzero(mine[at] == local)
        return lo + hit, tf[at[hit]]

    def bound(self, g: int, avgdl: float) -> float:
        """An upper bound of term ``g``'s :func:`_saturation` here at average length ``avgdl``."""
        if g >= len(self.fmax):
            return 0.0
        return float(self.fmax[g]) * max(1.0, avgdl / max(self.avgdl, 1e-9))


@dataclass(frozen=True)
class _Totals:
    """BM25 statistics over the live rows, as sums over segments (added and subtracted exactly).

    Attributes:
        df: Chunks per term id holding the term.
        body_df: Segments per term id whose bodies hold the term (compound parts must be one).
        n: Live chunks.
        length: Their total length.
    """

    df: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    body_df: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    n: int = 0
    length: float = 0.0

    def add(
        self, segments: Sequence[Segment], gids: Sequence[np.ndarray], width: int, sign: int = 1
    ) -> _Totals:
        """These totals with ``segments`` added (``sign`` 1) or taken away (-1).

        O(their postings); ``gids`` are their term ids, ``width`` the number of term ids.
        """
        df, body = _widen(self.df, width), _widen(self.body_df, width)
        n, length = self.n, self.length
        for s, g in zip(segments, gids, strict=True):
            df += sign * np.bincount(g[np.asarray(s.tf_terms)], minlength=len(df))
            body += sign * np.bincount(g[s.term_body], minlength=len(body))
            n += sign * len(s)
            length += sign * float(s.lengths.sum())
        return _Totals(df, body, n, length)

    @property
    def avgdl(self) -> float:
        """The average length of a live chunk (1 when there is none)."""
        return self.length / self.n if self.n else 1.0


@dataclass(frozen=True)
class _Rows:
    """The combined rows: the segments in row order (deleted ones too) and their chunks' columns."""

    segments: tuple[Segment, ...] = ()
    first: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    where: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    lengths: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float64))
    years: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    levels: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    sections: np.ndarray = field(default_factory=lambda: np.zeros(0, object))
    sources: np.ndarray = field(default_factory=lambda: np.zeros(0, object))

    def extend(self, segments: Sequence[Segment]) -> _Rows:
        """These rows followed by the chunks of ``segments`` (copies: O(rows) memory only)."""
        sizes = [len(s) for s in segments]
        start = len(self.segments)
        new_sources = np.repeat(np.array([s.source for s in segments], dtype=object), sizes)
        return _Rows(
            segments=(*self.segments, *segments),
            first=np.concatenate([self.first, self.first[-1] + np.cumsum(sizes, dtype=np.int64)]),
            where=_concat(
                [self.where, np.repeat(np.arange(start, start + len(sizes)), sizes)], np.int64
            ),
            lengths=_concat([self.lengths, *(s.lengths for s in segments)], np.float64),
            years=_concat([self.years, *(s.years for s in segments)], np.int64),
            levels=_concat([self.levels, *(s.levels for s in segments)], np.int8),
            sections=_concat([self.sections, *(s.sections for s in segments)], object),
            sources=_concat([self.sources, new_sources], object),
        )


class _RowsById(Mapping[str, int]):
    """Chunk id to its live row: one dict per tier, the newest first (an id ingested again)."""

    def __init__(self, layers: Sequence[dict[str, int]], alive: np.ndarray | None, n: int) -> None:
        self.layers = list(layers)
        self.alive = alive
        self._n = n

    def row(self, cid: object) -> int | None:
        """The live row of chunk ``cid`` (None: not a current chunk)."""
        for layer in reversed(self.layers):
            row = layer.get(cid) if isinstance(cid, str) else None
            if row is not None and (self.alive is None or self.alive[row]):
                return row
        return None

    def __getitem__(self, cid: str) -> int:
        row = self.row(cid)
        if row is None:
            raise KeyError(cid)
        return row

    def __contains__(self, cid: object) -> bool:
        return self.row(cid) is not None

    def __iter__(self) -> Iterator[str]:
        return (cid for layer in self.layers for cid, i in layer.items() if self.row(cid) == i)

    def __len__(self) -> int:
        return self._n


#: Merge the deltas into a new base once their rows and the deleted rows exceed this share of the
#: base's rows ...
MERGE_SHARE = 0.10
#: ... or once there are more deltas than this (each is scored beside the base).
MAX_DELTAS = 8
#: Relative slack of MaxScore's pruning and of the candidates it rescores (float rounding).
_SLACK = 1e-9
#: Layout of a merged base cached locally; a base of another one is rebuilt.
BASE_LAYOUT = f"base-1/{LAYOUT}/k{K1}/b{B}"


class CombinedIndex:
    """BM25 over the current segments: a merged base, small deltas beside it, deleted rows masked.

    The combined rows are the segments' chunks in order: the base's (built by :meth:`build`, or
    mapped from the local cache by :func:`load_base`), then each delta's (versions ingested since,
    added by :meth:`updated`). A deleted version's rows stay but are masked (``alive``), and its
    document frequencies, chunks and lengths are subtracted from the totals, so an ingest or a
    delete costs that version's postings, not everyone's. The statistics are sums over the live
    segments whatever the tiers, so every score equals a fresh :meth:`build`'s. Once the deltas and
    the deleted rows outgrow :data:`MERGE_SHARE` of the base (:meth:`needs_merge`), a new base is
    built from the live segments (the retriever does that in the background).

    BM25 weights are computed when a query asks for them, from the totals: :meth:`top` finds the
    best rows by MaxScore, :meth:`scores` scores every posting (the reference).
    """

    def __init__(
        self,
        rows: _Rows,
        tiers: Sequence[_Tier],
        totals: _Totals,
        vocab: dict[str, int],
        by_id: _RowsById,
        dead: frozenset[int] = frozenset(),
    ) -> None:
        """Assemble an index (made by :meth:`build`, :meth:`updated` or :func:`load_base`).

        Args:
            rows: The segments in row order and their chunks' columns.
            tiers: The base's postings, then the deltas'.
            totals: The statistics over the live segments.
            vocab: Term to term id (shared with the indexes updated from this one; it grows).
            by_id: Chunk id to live row; its ``alive`` masks the deleted rows (None: none).
            dead: Positions in ``rows.segments`` of the deleted segments.
        """
        self.rows = rows
        self.tiers = list(tiers)
        self.totals = totals
        self.vocab = vocab
        self.by_id = by_id
        self.dead = dead
        self.alive = by_id.alive
        self.segments = list(rows.segments)
        self.size = len(rows.where)
        self.chunks = _Chunks(self, self.size)
        self.n = totals.n
        self.df = totals.df.astype(np.float64)
        self.avgdl = totals.avgdl
        self.idf = np.log(1.0 + (self.n - self.df + 0.5) / (self.df + 0.5))
        self.vocabulary = _BodyVocabulary(vocab, totals.body_df)
        self.lengths = rows.lengths
        self.years = rows.years
        self.levels = rows.levels
        self.sections = rows.sections
        self.sources = rows.sources
        live = self.live_segments()
        self.all_sections = sorted(frozenset[str]().union(*(s.section_set for s in live)))

    @classmethod
    def build(cls, segments: Sequence[Segment]) -> CombinedIndex:
        """One base over ``segments`` (in the order given), with a vocabulary of their terms."""
        vocab: dict[str, int] = {}
        gids = [s.global_ids(vocab) for s in segments]
        totals = _Totals().add(segments, gids, len(vocab))
        tier = _Tier.build(segments, gids, 0, len(vocab), totals.avgdl)
        by_id = {cid: i for i, cid in enumerate(c for s in segments for c in s.ids)}
        return cls(
            _Rows().extend(segments), [tier], totals, vocab, _RowsById([by_id], None, totals.n)
        )

    def live_segments(self) -> list[Segment]:
        """The segments whose rows count (not deleted), in row order."""
        return [s for i, s in enumerate(self.segments) if i not in self.dead]

    def updated(self, segments: Sequence[Segment]) -> CombinedIndex:
        """This index for the current ``segments``: the new ones as a delta, the missing masked.

        O(the changed segments' postings), plus copies of the row columns (O(rows) memory).
        """
        have = {id(s) for s in self.live_segments()}
        wanted = {id(s) for s in segments}
        new = [s for s in segments if id(s) not in have]
        gone = [
            i for i, s in enumerate(self.segments) if i not in self.dead and id(s) not in wanted
        ]
        if not new and not gone:
            return self
        old = [self.segments[i] for i in gone]
        totals = self.totals.add(old, [s.global_ids(self.vocab) for s in old], 0, sign=-1)
        gids = [s.global_ids(self.vocab) for s in new]
        totals = totals.add(new, gids, len(self.vocab))
        alive = np.ones(self.size, np.bool_) if self.alive is None else self.alive.copy()
        for i in gone:
            alive[self.rows.first[i] : self.rows.first[i + 1]] = False
        alive = np.concatenate([alive, np.ones(sum(len(s) for s in new), np.bool_)])
        tiers, layers = self.tiers, self.by_id.layers
        if new:
            tiers = [*tiers, _Tier.build(new, gids, self.size, len(self.vocab), totals.avgdl)]
            ids = (c for s in new for c in s.ids)
            layers = [*layers, {cid: self.size + i for i, cid in enumerate(ids)}]
        by_id = _RowsById(layers, None if alive.all() else alive, totals.n)
        dead = self.dead | frozenset(gone)
        return CombinedIndex(self.rows.extend(new), tiers, totals, self.vocab, by_id, dead)

    def needs_merge(self) -> bool:
        """Whether the deltas and the deleted rows have grown enough to build a new base."""
        extra = (self.size - self.tiers[0].n) + (self.size - self.n)  # delta rows + deleted rows
        return extra > MERGE_SHARE * self.tiers[0].n or len(self.tiers) - 1 > MAX_DELTAS

    def _terms(self, weights: dict[str, float]) -> list[tuple[int, float]]:
        """The indexed query terms as (term id, query weight), in the query's order."""
        out: list[tuple[int, float]] = []
        for term, qw in weights.items():
            g = self.vocab.get(term)
            if g is not None and g < len(self.df) and self.df[g] > 0:
                out.append((g, qw))
        return out

    def _weights(self, g: int, qw: float, rows: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """BM25 weights of term ``g`` (query weight ``qw``) in ``rows`` of frequencies ``tf``."""
        return qw * (self.idf[g] * _saturation(tf, _norm(self.lengths[rows], self.avgdl)))

    def _add_scored(self, out: np.ndarray, g: int, qw: float) -> np.ndarray:
        """Add term ``g``'s weights to ``out`` (one entry per row), reading all its postings.

        Returns:
            The rows it occurs in.
        """
        found = []
        for tier in self.tiers:
            rows, tf = tier.postings(g)
            out[rows] += self._weights(g, qw, rows, tf)
            found.append(rows)
        return found[0] if len(found) == 1 else np.concatenate(found)

    def _add_probed(
        self, out: np.ndarray, terms: Sequence[tuple[int, float]], rows: np.ndarray
    ) -> None:
        """Add the weights of ``terms`` in ``rows`` (ascending) to ``out``, term by term."""
        for g, qw in terms:
            for tier in self.tiers:
                at, tf = tier.probe(g, rows)
                out[at] += self._weights(g, qw, rows[at], tf)

    def scores(self, weights: dict[str, float]) -> np.ndarray | None:
        """BM25 of every row for weighted query terms, scoring every posting (the reference).

        A deleted version's rows score 0; None when no term is indexed.
        """
        terms = self._terms(weights)
        if not terms:
            return None
        out = np.zeros(self.size, dtype=np.float64)
        for g, qw in terms:
            self._add_scored(out, g, qw)
        if self.alive is not None:
            out[~self.alive] = 0.0
        return out

    def top(
        self,
        weights: dict[str, float],
        k: int,
        mask: np.ndarray | None = None,
        exhaustive: bool = False,
    ) -> list[tuple[int, float]]:
        """The ``k`` best rows for weighted query terms, as (row, BM25), best first.

        Only live rows that pass ``mask`` and score above 0; equal scores in chunk-id order. The
        rows and scores of sorting :meth:`scores`, found by MaxScore (``exhaustive``: by scoring
        every posting).
        """
        terms = self._terms(weights)
        if not terms or k <= 0:
            return []
        allowed = self.allowed(mask)
        if exhaustive:
            full = np.zeros(self.size, dtype=np.float64)
            for g, qw in terms:
                self._add_scored(full, g, qw)
            rows = _passing(full, allowed)
            return self._best(terms, rows, full[rows], k)
        return self._best(terms, *self._maxscore(terms, k, allowed), k)

    def allowed(self, mask: np.ndarray | None) -> np.ndarray | None:
        """The rows that may be returned: live ones passing ``mask`` (None: all)."""
        if mask is None or self.alive is None:
            return self.alive if mask is None else mask
        return mask & self.alive

    def _maxscore(
        self, terms: list[tuple[int, float]], k: int, allowed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Candidate rows holding the top ``k``, with their scores (summed in another order).

        MaxScore: the terms are read whole in the order of their upper bounds, highest first (the
        rare ones), while ``theta`` (a lower bound of the ``k``-th best score) rises; once the
        bounds of the terms left sum below it, a row only they hold cannot reach the top. The
        terms left are then only probed for the rows found, and a row whose score so far plus
        the bounds still to come is below ``theta`` is dropped before each probe.
        """
        bounds = [
            qw * self.idf[g] * max(t.bound(g, self.avgdl) for t in self.tiers) for g, qw in terms
        ]
        left = sorted(range(len(terms)), key=lambda j: -bounds[j])
        acc = np.zeros(self.size, dtype=np.float64)
        theta = 0.0
        while left:
            rows = self._add_scored(acc, *terms[left.pop(0)])
            if allowed is not None:
                rows = rows[allowed[rows]]
            theta = max(theta, _kth(acc[rows], k))  # k rows of one list: no duplicates
            if sum(bounds[j] for j in left) * (1.0 + _SLACK) < theta:
                break
        found = _passing(acc, allowed)
        part = acc[found]
        theta = max(theta, _kth(part, k))
        for i, j in enumerate(left):
            keep = (part + sum(bounds[r] for r in left[i:])) * (1.0 + _SLACK) >= theta
            found, part = found[keep], part[keep]
            self._add_probed(part, [terms[j]], found)
            theta = max(theta, _kth(part, k))
        return found, part

    def _best(
        self, terms: list[tuple[int, float]], rows: np.ndarray, approx: np.ndarray, k: int
    ) -> list[tuple[int, float]]:
        """The top ``k`` of candidate ``rows``: those near the ``k``-th score, rescored.

        Rescoring adds the terms in the query's order, as :meth:`scores` does, so the scores are
        its own to the bit, and equal ones are ordered by chunk id whatever found them.
        """
        if rows.size > k:
            kth = _kth(approx, k)
            rows = rows[approx >= kth - _SLACK * abs(kth)]
        exact = np.zeros(rows.size, dtype=np.float64)
        self._add_probed(exact, terms, rows)
        order = sorted(range(rows.size), key=lambda j: (-exact[j], self.chunk_id(int(rows[j]))))
        return [(int(rows[j]), float(exact[j])) for j in order[:k] if exact[j] > 0]

    def _segment_of(self, i: int) -> tuple[Segment, int]:
        s = int(self.rows.where[i])
        return self.segments[s], i - int(self.rows.first[s])

    def chunk_id(self, i: int) -> str:
        """The id of the chunk in row ``i``."""
        segment, j = self._segment_of(i)
        return segment.ids[j]

    def chunk(self, i: int) -> Chunk:
        """Chunk ``i`` of the combined order."""
        segment, j = self._segment_of(i)
        return segment.chunk(j)

    def sentences(self, i: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Chunk ``i``'s stored sentence vectors and figure flags (None: it has none)."""
        segment, j = self._segment_of(i)
        return segment.sentences(j)


def _passing(scores: np.ndarray, allowed: np.ndarray | None) -> np.ndarray:
    """Rows scoring above 0 that are ``allowed`` (None: all), ascending."""
    return np.flatnonzero(scores > 0 if allowed is None else (scores > 0) & allowed)


def _kth(values: np.ndarray, k: int) -> float:
    """The ``k``-th largest of ``values`` (0 when there are fewer)."""
    if values.size < k:
        return 0.0
    return float(np.partition(values, values.size - k)[values.size - k])


def base_name(versions: Sequence[str]) -> str:
    """The local cache name of the merged base of a set of versions."""
    return hashlib.sha256("\n".join(sorted(versions)).encode()).hexdigest()[:20]


def save_base(snapshots: SnapshotStore, collection: str, index: CombinedIndex) -> None:
    """Cache a merged index (one base, nothing deleted) locally, for the next process to map."""
    if len(index.tiers) != 1 or index.dead:
        return
    versions = [s.version for s in index.segments]
    arrays = {
        **index.tiers[0].arrays(),
        "df": index.totals.df,
        "body_df": index.totals.body_df,
        "totals": np.array([index.totals.n, index.totals.length], dtype=np.float64),
        "terms": _json_bytes(list(index.vocab)),
        "versions": _json_bytes(versions),
    }
    snapshots.put_derived(collection, base_name(versions), BASE_LAYOUT, arrays)


def load_base(
    snapshots: SnapshotStore, collection: str, segments: Sequence[Segment]
) -> CombinedIndex | None:
    """The index of ``segments`` mapped from their merged base in the local cache, if it is there.

    Only a base of this layout and of exactly these versions counts (anything else is missing);
    its rows are in the base's order.
    """
    by_version = {s.version: s for s in segments}
    arrays = snapshots.get_derived(collection, base_name(list(by_version)), BASE_LAYOUT)
    if arrays is None:
        return None
    versions = _from_json_bytes(arrays["versions"])
    n, length = np.asarray(arrays["totals"]).tolist()
    if sorted(versions) != sorted(by_version) or len(by_version) != len(segments):
        return None
    ordered = [by_version[v] for v in versions]
    if sum(len(s) for s in ordered) != n:
        return None
    vocab = {t: i for i, t in enumerate(_from_json_bytes(arrays["terms"]))}
    totals = _Totals(np.asarray(arrays["df"]), np.asarray(arrays["body_df"]), int(n), length)
    by_id = {cid: i for i, cid in enumerate(c for s in ordered for c in s.ids)}
    tier = _Tier(0, int(n), arrays)
    rows = _Rows().extend(ordered)
    return CombinedIndex(rows, [tier], totals, vocab, _RowsById([by_id], None, int(n)))


class _Chunks(Sequence[Chunk]):
    """The combined chunks as a sequence, each decoded when it is asked for."""

    def __init__(self, index: CombinedIndex, n: int) -> None:
        self._index = index
        self._n = n

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> Chunk: ...
    @overload
    def __getitem__(self, i: slice) -> list[Chunk]: ...
    def __getitem__(self, i: int | slice) -> Chunk | list[Chunk]:
        if isinstance(i, slice):
            return [self._index.chunk(j) for j in range(*i.indices(self._n))]
        if not -self._n <= i < self._n:
            raise IndexError(i)
        return self._index.chunk(i % self._n)
