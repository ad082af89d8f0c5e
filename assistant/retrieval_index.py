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
number of chunks, the average length) are sums :class:`CombinedIndex` takes when the set of
current versions changes; the BM25 weights themselves are computed at query time from them. So an
ingest or a delete touches only its own version's postings, and a new process maps the snapshots
instead of reading every record.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, overload

import numpy as np
from scipy import sparse

from assistant.lang.stopwords import FUNCTION_WORDS
from assistant.lang.text import analyse, analyse_words, expand_compounds, words
from ingest.chunking import chunk_sentences, sentence_views
from ingest.models import Chunk

if TYPE_CHECKING:
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

    Bump ``segment-N`` when the arrays change; the weights and a digest of the stopwords are part
    of it, so a changed analyser never reads postings made by the old one.
    """
    words_digest = hashlib.sha256("\n".join(sorted(FUNCTION_WORDS)).encode()).hexdigest()[:10]
    return f"segment-2/tw{TITLE_WEIGHT}/cw{COMPOUND_WEIGHT}/sw{words_digest}"


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

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        """Wrap the arrays of :func:`build_segment` (ids, sections and terms are decoded now)."""
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
    return Segment(arrays)


class _BodyVocabulary:
    """The stems occurring in some current chunk's body (what compound parts must be)."""

    def __init__(self, vocab: dict[str, int], body_df: np.ndarray) -> None:
        self._vocab = vocab
        self._body_df = body_df

    def __contains__(self, term: object) -> bool:
        g = self._vocab.get(term) if isinstance(term, str) else None
        return g is not None and g < len(self._body_df) and bool(self._body_df[g] > 0)


class CombinedIndex:
    """BM25 over the current segments: their term frequencies side by side, statistics summed.

    Combining is concatenation (no text is analysed again): O(postings) memory copies and one
    CSR-to-CSC conversion. The BM25 weight of a posting is computed when a query asks for it, from
    the combined document frequencies, chunk count and average length.
    """

    def __init__(self, segments: Sequence[Segment], vocab: dict[str, int]) -> None:
        """Combine ``segments`` (in the order given) over the shared growing ``vocab``."""
        self.segments = list(segments)
        n = sum(len(s) for s in self.segments)
        self.chunks = _Chunks(self, n)
        gids = [s.global_ids(vocab) for s in self.segments]
        self.vocab = vocab
        width = max(1, len(vocab))
        if self.segments:
            offsets = np.cumsum([0] + [int(s.tf_indptr[-1]) for s in self.segments])
            indptr = np.concatenate(
                [np.zeros(1, np.int64)]
                + [
                    np.asarray(s.tf_indptr[1:]) + off
                    for s, off in zip(self.segments, offsets[:-1], strict=True)
                ]
            )
            cols = np.concatenate(
                [g[np.asarray(s.tf_terms)] for s, g in zip(self.segments, gids, strict=True)]
            )
            tf = np.concatenate([np.asarray(s.tf_values, np.float32) for s in self.segments])
            body = np.concatenate(
                [g[s.term_body] for s, g in zip(self.segments, gids, strict=True)]
            )
            self.lengths = np.concatenate([s.lengths for s in self.segments])
        else:
            indptr, cols, tf = np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
            body = np.zeros(0, np.int64)
            self.lengths = np.zeros(0)
        self.tf = sparse.csr_matrix((tf, cols, indptr), shape=(n, width)).tocsc()
        self.df = np.diff(self.tf.indptr).astype(np.float64)
        self.n = n
        self.avgdl = float(self.lengths.mean()) if n else 1.0
        self.idf = np.log(1.0 + (n - self.df + 0.5) / (self.df + 0.5))
        self.vocabulary = _BodyVocabulary(vocab, np.bincount(body, minlength=width))
        self.by_id = {cid: i for i, cid in enumerate(c for s in self.segments for c in s.ids)}
        sizes = [len(s) for s in self.segments]
        self._where = np.repeat(np.arange(len(self.segments)), sizes).astype(np.int64)
        self._first = np.cumsum([0, *sizes])
        self.years = _concat([s.years for s in self.segments], np.int64)
        self.levels = _concat([s.levels for s in self.segments], np.int8)
        self.sections = _concat([s.sections for s in self.segments], object)
        self.sources = np.repeat(np.array([s.source for s in self.segments], dtype=object), sizes)
        self.all_sections = sorted(frozenset().union(*(s.section_set for s in self.segments)))

    def scores(self, weights: dict[str, float]) -> np.ndarray | None:
        """BM25 of every chunk for weighted query terms (None when no term is indexed)."""
        norm = K1 * (1.0 - B + B * self.lengths / max(self.avgdl, 1e-9))
        out = np.zeros(self.n, dtype=np.float64)
        found = False
        for term, qw in weights.items():
            g = self.vocab.get(term)
            if g is None or g >= len(self.df) or self.df[g] == 0:
                continue
            found = True
            lo, hi = self.tf.indptr[g], self.tf.indptr[g + 1]
            rows = self.tf.indices[lo:hi]
            tf = self.tf.data[lo:hi].astype(np.float64)  # stored float32: halves exact
            out[rows] += qw * (self.idf[g] * tf * (K1 + 1.0) / (tf + norm[rows]))
        return out if found else None

    def chunk(self, i: int) -> Chunk:
        """Chunk ``i`` of the combined order."""
        s = int(self._where[i])
        return self.segments[s].chunk(i - int(self._first[s]))

    def sentences(self, i: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Chunk ``i``'s stored sentence vectors and figure flags (None: it has none)."""
        s = int(self._where[i])
        return self.segments[s].sentences(i - int(self._first[s]))


def _concat(parts: Sequence[np.ndarray], dtype: Any) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)


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
