"""Hybrid retrieval: Swedish BM25 (stems, compounds, numbers) fused with sentence-level vectors.

* BM25 is built in memory from the store's current chunks (a sparse term matrix) and rebuilt when
  the store's ``generation`` moves; only document versions not read before are read from the
  store. The section title counts as part of every chunk of the section (heading boost). Compound
  words are split into known stems on both sides, and English or colloquial query words are
  expanded with a small general glossary.
* The dense side scores a chunk by its *best sentence*: the cosine between the query and each of
  the chunk's sentence views (heading titles + one sentence), stored at ingest time. The retriever
  reads each document version's sentence vectors once (:meth:`ingest.store.Store.version_sentences`)
  and holds them in memory as float16 (~0.8 KB per sentence), so a query reads no vectors from
  Chroma. Candidates are BM25's top list plus the Chroma query's top list (chunk vectors = the mean
  of their sentence vectors), with the same filters.
* ``hybrid`` (default): both scores z-normalised over the candidates and combined convexly.
* Two general query-side aids, each measured on the dev questions: an English question is
  embedded as its Swedish keywords (glossary; words without an entry kept), since the model
  matches Swedish text better from Swedish; a question that asks for a figure ("hur stor andel",
  "how many") scores a chunk by its best sentence *that holds a figure*.

Thread-safe: an index is an immutable snapshot swapped under a lock.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from scipy import sparse

from assistant.access import current_clearance
from assistant.lang.glossary import GLOSSARY, english_bases
from assistant.lang.stopwords import ENGLISH_FUNCTION_WORDS
from assistant.lang.text import analyse, analyse_words, expand_compounds, is_english, stem, words
from ingest.chunking import chunk_sentences, sentence_views
from ingest.models import SecurityLevel

if TYPE_CHECKING:
    from ingest.models import Chunk
    from ingest.store import SentenceBlock, Store

Mode = Literal["hybrid", "bm25", "dense"]

#: BM25 parameters (standard values).
K1 = 1.2
B = 0.75
#: Weight of section-title terms relative to body terms.
TITLE_WEIGHT = 1.0
#: Weight of compound parts relative to whole words.
COMPOUND_WEIGHT = 0.5
#: Weights of the z-normalised BM25 and best-sentence scores in ``hybrid``: the middle of the
#: plateau measured on the 44 dev questions (a BM25 share from 0.10 to 0.25 is within one question
#: of the best; 0.05 and 0.30 lose two). Adding the whole-chunk cosine as a third score measured
#: worse at rank 1.
W_BM25 = 0.2
W_SENTENCE = 0.8
#: For a question that asks for a figure, the best-sentence score of a chunk none of whose
#: sentences holds a figure, minus this (cosine units).
FIGURE_PENALTY = 0.03
#: Candidates taken from each list before fusion (30 and 50 measure the same on every question
#: set; fewer candidates means fewer sentence vectors to read per query).
CANDIDATES = 30
#: Chunks whose sentence vectors are kept in memory (LRU; ~10 KB per chunk).
SENTENCE_CACHE_CHUNKS = 5_000

#: A question asking for a figure (a share, a count, a score, a rate), Swedish or English.
_ASKS_FOR_FIGURE = re.compile(
    r"\b(?:hur (?:stor|stort|stora|många|mycket|högt|hög|lågt|låg)\b"
    r"|vilk(?:et|en|a) (?:värde|andel|betyg|siffr|resultat|nivå|poäng)"
    r"|andel|procent|svarsfrekvens|hur skatta"
    r"|what (?:share|percentage|proportion|was the (?:score|value|result|rate|level))"
    r"|how (?:many|much|high)|rate\b|score|figure|percent)",
    re.IGNORECASE,
)
#: A figure in a sentence: a decimal, a percentage or a number of two or more digits (not a year).
_FIGURE = re.compile(r"\d+[,.]\d+|\d+\s?%|\b(?!(?:19|20)\d\d\b)\d{2,}\b")


def asks_for_figure(query: str) -> bool:
    """Whether the question asks for a figure ("Hur stor andel ...", "How many ...")."""
    return bool(_ASKS_FOR_FIGURE.search(query))


def has_figure(sentence: str) -> bool:
    """Whether a sentence states a figure (8,2; 64,5 %; 220), not just a year."""
    return bool(_FIGURE.search(sentence))


def swedish_keywords(query: str) -> str:
    """An English question as Swedish keywords from the glossary ("" for a Swedish question).

    Function words are dropped; words without a glossary entry are kept as they are.
    """
    toks = words(query)
    if not is_english(toks):
        return ""
    out: list[str] = []
    for t in toks:
        if t in ENGLISH_FUNCTION_WORDS:
            continue
        forms = [t, *english_bases(t)]
        swedish = next((GLOSSARY[f] for f in forms if f in GLOSSARY), None)
        out.append(swedish.split()[0] if swedish else t)
    return " ".join(out)


@dataclass(frozen=True)
class SearchHit:
    """One retrieved passage.

    Attributes:
        text: The passage.
        source: File name of the document.
        title: Document title.
        section: Section number (``"5.4.1"``).
        section_title: Heading of the section.
        page: Page when known.
        score: Fused (hybrid), BM25 or cosine score; higher is better.
        chunk_id: Id of the chunk in the store.
        year: Year of the report, when known.
        best_sentences: The passage's sentences nearest to the query by the embedder, best first,
            with their cosine (hybrid and dense search; empty for BM25 alone).
    """

    text: str
    source: str
    title: str
    section: str
    section_title: str
    page: int | None
    score: float
    chunk_id: str
    year: int | None
    best_sentences: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """As JSON-able data."""
        return asdict(self)


def section_matches(section: str, wanted: str) -> bool:
    """``5.4.1`` is inside ``5.4`` and ``5``; ``5.4`` is not inside ``5.41``."""
    wanted = wanted.strip().rstrip(".")
    return section == wanted or section.startswith(wanted + ".")


class _Bm25Index:
    """An immutable BM25 index over a list of chunks."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.chunks = list(chunks)
        self.by_id = {c.id: i for i, c in enumerate(self.chunks)}
        body_terms: list[list[str]] = []
        raw_tokens: list[list[str]] = []
        for c in self.chunks:
            toks = words(c.text)
            raw_tokens.append(toks)
            body_terms.append(analyse_words(toks))
        self.vocabulary: frozenset[str] = frozenset(t for terms in body_terms for t in terms)
        self._splits: dict[str, list[str]] = {}
        title_cache: dict[str, tuple[list[str], list[str]]] = {}
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        lengths = np.zeros(len(self.chunks), dtype=np.float64)
        for i, c in enumerate(self.chunks):
            counts: dict[str, float] = defaultdict(float)
            for t in body_terms[i]:
                counts[t] += 1.0
            for t in expand_compounds(raw_tokens[i], self.vocabulary, self._splits):
                counts[t] += COMPOUND_WEIGHT
            head = " ".join(p for p in (c.context, c.section_title) if p)
            if head not in title_cache:
                title_words = words(head)
                title_cache[head] = (
                    analyse(head),
                    expand_compounds(title_words, self.vocabulary, self._splits),
                )
            t_terms, t_parts = title_cache[head]
            for t in t_terms:
                counts[t] += TITLE_WEIGHT
            for t in t_parts:
                counts[t] += TITLE_WEIGHT * COMPOUND_WEIGHT
            lengths[i] = sum(counts.values())
            for term, weight in counts.items():
                j = vocab.setdefault(term, len(vocab))
                rows.append(i)
                cols.append(j)
                vals.append(weight)
        self.term_ids = vocab
        n = len(self.chunks)
        avgdl = float(lengths.mean()) if n else 1.0
        tf = np.asarray(vals, dtype=np.float64)
        row_idx = np.asarray(rows, dtype=np.int64)
        col_idx = np.asarray(cols, dtype=np.int64)
        df = np.bincount(col_idx, minlength=len(vocab)).astype(np.float64)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        denom = tf + K1 * (1.0 - B + B * lengths[row_idx] / max(avgdl, 1e-9))
        weights = idf[col_idx] * tf * (K1 + 1.0) / denom
        self.matrix = sparse.csc_matrix(
            (weights, (row_idx, col_idx)), shape=(n, max(1, len(vocab)))
        )
        self.years = np.array(
            [c.year if c.year is not None else -1 for c in self.chunks], dtype=np.int64
        )
        self.sources = np.array([c.source for c in self.chunks], dtype=object)
        self.sections = np.array([c.section for c in self.chunks], dtype=object)
        self.levels = np.array([int(c.level) for c in self.chunks], dtype=np.int8)
        self.all_sections = sorted(set(self.sections.tolist()))

    def query_terms(self, query: str, expand: bool = True) -> dict[str, float]:
        """Weighted query terms: stems, numbers, compound parts and glossary expansions."""
        toks = words(query)
        weights: dict[str, float] = {}
        for t in analyse(query):
            weights[t] = weights.get(t, 0.0) + 1.0
        for t in expand_compounds(toks, self.vocabulary, self._splits):
            weights[t] = weights.get(t, 0.0) + COMPOUND_WEIGHT
        if expand:
            lowered = query.lower()
            forms = set(toks) | {f for t in toks for f in english_bases(t)}
            for key, expansion in GLOSSARY.items():
                if (" " in key and key in lowered) or key in forms:
                    for t in analyse(expansion):
                        if t not in weights:
                            weights[t] = 0.5
        return weights

    def mask(
        self,
        year: int | None,
        source: str | None,
        section: str | None,
        max_level: int = int(SecurityLevel.KANSLIG),
    ) -> np.ndarray | None:
        """Boolean mask of chunks that pass the filters (None = all)."""
        restricted = max_level < int(SecurityLevel.KANSLIG)
        if year is None and not source and not section and not restricted:
            return None
        m = np.ones(len(self.chunks), dtype=bool)
        if restricted:
            m &= self.levels <= max_level
        if year is not None:
            m &= self.years == int(year)
        if source:
            m &= self.sources == source
        if section:
            m &= np.array([section_matches(s, section) for s in self.sections], dtype=bool)
        return m

    def search(self, query: str, k: int, mask: np.ndarray | None) -> list[tuple[int, float]]:
        """Top ``k`` (chunk index, score)."""
        if not self.chunks:
            return []
        terms = self.query_terms(query)
        ids = [self.term_ids[t] for t in terms if t in self.term_ids]
        if not ids:
            return []
        q = np.array([terms[t] for t in terms if t in self.term_ids], dtype=np.float64)
        scores = np.asarray(self.matrix[:, ids] @ q).ravel()
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        positive = np.flatnonzero(scores > 0)
        if positive.size == 0:
            return []
        if positive.size > k:
            top = positive[np.argpartition(-scores[positive], k - 1)[:k]]
        else:
            top = positive
        order = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in order]


def _zscores(values: Sequence[float]) -> np.ndarray:
    """``values`` standardised by their own mean and spread (all zero when they do not vary)."""
    arr = np.asarray(values, dtype=np.float64)
    spread = float(arr.std()) if arr.size else 0.0
    if spread < 1e-9:
        return np.zeros(arr.size, dtype=np.float64)
    return (arr - float(arr.mean())) / spread


def _cache_key(chunk: Chunk) -> str:
    """Sentence-cache key: the chunk id plus its text (an id reused for new text misses)."""
    return f"{chunk.id}:{hash((chunk.heading(), chunk.text))}"


#: Sentences per hit named in ``SearchHit.best_sentences``.
BEST_SENTENCES = 3


def _nearest(chunk: Chunk, vectors: np.ndarray, qvec: np.ndarray) -> tuple[tuple[str, float], ...]:
    """The chunk's sentences nearest to the query (its sentence vectors are in chunk order)."""
    sentences = chunk_sentences(chunk)
    if len(sentences) != len(vectors):
        return ()
    scores = vectors @ qvec
    order = np.argsort(-scores)[:BEST_SENTENCES]
    return tuple((sentences[i], round(float(scores[i]), 4)) for i in order)


def _hit(chunk: Chunk, score: float, best: tuple[tuple[str, float], ...] = ()) -> SearchHit:
    return SearchHit(
        text=chunk.text,
        source=chunk.source,
        title=chunk.title,
        section=chunk.section,
        section_title=chunk.section_title,
        page=chunk.page,
        score=float(score),
        chunk_id=chunk.id,
        year=chunk.year,
        best_sentences=best,
    )


@dataclass(frozen=True)
class _Segment:
    """One document version as read from the store: its chunks and sentence vectors."""

    chunks: list[Chunk]
    sentences: SentenceBlock


@dataclass(frozen=True)
class _Index:
    """A collection at one store generation: BM25 over its chunks, their sentence vectors."""

    collection: str
    generation: int
    versions: dict[str, int]
    bm25: _Bm25Index
    sentences: dict[str, SentenceBlock]
    built_at: float = field(default_factory=time.monotonic)


class HybridRetriever:
    """Search the store with BM25, dense vectors or both (default)."""

    def __init__(self, store: Store) -> None:
        """Build the index for ``reports`` now; other collections on first use."""
        self.store = store
        self._lock = threading.Lock()
        self._indexes: dict[str, _Index] = {}
        self._segments: dict[tuple[str, str], _Segment] = {}
        self._sentences: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._index("reports")

    def _index(self, collection: str) -> _Index:
        """The collection's index, rebuilt when the store's generation has moved.

        Each document version is read from the store once and kept (chunks and sentence vectors),
        so after an ingest only the new version is read; BM25 is rebuilt over all chunks.
        """
        generation = self.store.generation
        current = self._indexes.get(collection)
        if current is not None and current.generation == generation:
            return current
        with self._lock:
            current = self._indexes.get(collection)
            if current is not None and current.generation == generation:
                return current
            versions = self.store.current_versions(collection)
            segments: list[_Segment] = []
            for version, count in versions.items():
                key = (collection, version)
                segment = self._segments.get(key)
                if segment is None:
                    segment = _Segment(
                        self.store.version_chunks(collection, version),
                        self.store.version_sentences(collection, version),
                    )
                    if len(segment.chunks) == count:  # not a version being replaced mid-read
                        self._segments[key] = segment
                segments.append(segment)
            for key in [k for k in self._segments if k[0] == collection and k[1] not in versions]:
                del self._segments[key]
            chunks = sorted(
                (c for s in segments for c in s.chunks), key=lambda c: (c.source, c.start, c.id)
            )
            index = _Index(
                collection,
                generation,
                versions,
                _Bm25Index(chunks),
                {c.id: s.sentences for s in segments for c in s.chunks},
            )
            self._indexes[collection] = index
            return index

    def snapshot_ages(self) -> dict[str, float]:
        """Seconds since each built collection's index (snapshot) was built, by collection."""
        now = time.monotonic()
        return {name: now - index.built_at for name, index in list(self._indexes.items())}

    def _dense_where(
        self,
        bm25: _Bm25Index,
        year: int | None,
        source: str | None,
        section: str | None,
        max_level: int = int(SecurityLevel.KANSLIG),
    ) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if max_level < int(SecurityLevel.KANSLIG):
            clauses.append({"level": {"$lte": int(max_level)}})
        if year is not None:
            clauses.append({"year": int(year)})
        if source:
            clauses.append({"source": source})
        if section:
            matching = [s for s in bm25.all_sections if section_matches(s, section)]
            clauses.append({"section": {"$in": matching or [section]}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        year: int | None = None,
        source: str | None = None,
        section: str | None = None,
        mode: Mode = "hybrid",
        collection: str = "reports",
    ) -> list[SearchHit]:
        """The ``k`` best passages for ``query``.

        Args:
            query: The question or keywords (Swedish or English).
            k: Number of hits.
            year: Only chunks of this report year.
            source: Only this document (file name).
            section: Only this section and its subsections (``"5"`` includes ``5.4.1``).
            mode: ``hybrid`` (default), ``bm25`` or ``dense`` (best sentence alone).
            collection: ``reports`` or ``initiatives``.

        Returns:
            Hits, best first; never a passage above the current caller's clearance
            (:func:`assistant.access.current_clearance`).
        """
        query = (query or "").strip()
        if not query or k <= 0:
            return []
        snapshot = self._index(collection)
        index = snapshot.bm25
        if not index.chunks:
            return []
        n_cand = max(CANDIDATES, 4 * k)
        clearance = int(current_clearance())
        mask = index.mask(year, source, section, clearance)
        bm25: list[tuple[int, float]] = []
        if mode != "dense":
            bm25 = index.search(query, n_cand, mask)
            if mode == "bm25":
                return [_hit(index.chunks[i], s) for i, s in bm25[:k]]
        where = self._dense_where(index, year, source, section, clearance)
        qvec = self.query_vector(query)
        near = self._dense_candidates(snapshot, qvec, n_cand, where, mask)
        chunks: dict[str, Chunk] = {c.id: c for c in near}
        b_scores: dict[str, float] = {}
        for i, score in bm25:
            c = index.chunks[i]
            chunks.setdefault(c.id, c)
            b_scores[c.id] = score
        if not chunks:
            return []
        ids = sorted(chunks)
        vectors = self._sentence_vectors([chunks[cid] for cid in ids], snapshot)
        figure = asks_for_figure(query)
        sentence = np.array(
            [_best_sentence(vecs, flags, qvec, figure) for vecs, flags in vectors],
            dtype=np.float64,
        )
        if mode == "dense":
            fused = sentence
        else:
            # A candidate BM25 did not list scores 0 (no query term), or at most the list's lowest
            # score when the list was cut at ``n_cand``.
            missing = min(b_scores.values()) if len(bm25) >= n_cand else 0.0
            lexical = [b_scores.get(cid, missing) for cid in ids]
            fused = W_BM25 * _zscores(lexical) + W_SENTENCE * _zscores(sentence.tolist())
        final = sorted(range(len(ids)), key=lambda j: (-fused[j], ids[j]))[:k]
        return [
            _hit(chunks[ids[j]], float(fused[j]), _nearest(chunks[ids[j]], vectors[j][0], qvec))
            for j in final
        ]

    def _dense_candidates(
        self,
        snapshot: _Index,
        qvec: np.ndarray,
        n: int,
        where: dict[str, Any] | None,
        mask: np.ndarray | None,
    ) -> list[Chunk]:
        """The ``n`` chunks nearest to ``qvec`` that pass the filters, from the Chroma index.

        The filters are given twice: ``where`` for Chroma and ``mask`` over the snapshot's chunks.
        Chroma returns only ids; the chunks are the snapshot's (so only current versions count).
        Only when records of other versions (being written, or left by a crash) crowd the list,
        Chroma is asked again with a version filter (slower at 100k chunks).
        """
        index = snapshot.bm25
        collection = snapshot.collection
        near = self.store.nearest_ids(qvec.tolist(), n + 10, where=where, collection=collection)
        found = [
            index.chunks[index.by_id[cid]]
            for cid, _ in near
            if cid in index.by_id and (mask is None or mask[index.by_id[cid]])
        ][:n]
        if len(found) < min(n, len(index.chunks) if mask is None else int(mask.sum())):
            dense = self.store.dense_query(
                "",
                n,
                where=where,
                collection=collection,
                query_embedding=qvec.tolist(),
                current=snapshot.versions,
            )
            found = [
                c
                for c, _ in dense
                if c.id in index.by_id and (mask is None or mask[index.by_id[c.id]])
            ]
        return found

    def query_vector(self, query: str) -> np.ndarray:
        """The query's vector; an English question is embedded as its Swedish keywords."""
        text = swedish_keywords(query) or query
        return np.asarray(self.store.embedder.embed_query(text), dtype=np.float32)

    def _sentence_vectors(
        self, chunks: Sequence[Chunk], snapshot: _Index
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each chunk's sentence vectors and figure flags.

        Taken from the snapshot's stored vectors once they match the chunk's sentence views, then
        cached; a chunk without stored vectors (a store written by an older build) is embedded.
        """
        keys = {c.id: _cache_key(c) for c in chunks}
        with self._lock:
            found = {c.id: self._sentences.get(keys[c.id]) for c in chunks}
            for c in chunks:
                if found[c.id] is not None:
                    self._sentences.move_to_end(keys[c.id])
        missing = [c for c in chunks if found[c.id] is None]
        if missing:
            sentences = {c.id: chunk_sentences(c) for c in missing}
            views = {c.id: sentence_views(c, sentences[c.id]) for c in missing}
            stored: dict[str, np.ndarray] = {}
            for c in missing:
                block = snapshot.sentences.get(c.id)
                vecs = block.chunk(c, views[c.id]) if block is not None else None
                if vecs is not None:
                    stored[c.id] = vecs.astype(np.float32)
            absent = [c for c in missing if c.id not in stored]
            flat = [t for c in absent for t in views[c.id]]
            matrix = np.asarray(
                self.store.embedder.embed_documents(flat) if flat else [], dtype=np.float32
            )
            lo = 0
            for c in absent:
                stored[c.id] = matrix[lo : lo + len(views[c.id])]
                lo += len(views[c.id])
            with self._lock:
                for c in missing:
                    flags = np.array([has_figure(t) for t in sentences[c.id]], dtype=bool)
                    found[c.id] = self._sentences[keys[c.id]] = (stored[c.id], flags)
                while len(self._sentences) > SENTENCE_CACHE_CHUNKS:
                    self._sentences.popitem(last=False)
        return [got for c in chunks if (got := found[c.id]) is not None]


def _best_sentence(
    vectors: np.ndarray, figures: np.ndarray, qvec: np.ndarray, figure: bool
) -> float:
    """The best cosine between the query and one sentence of a chunk.

    With ``figure`` (the question asks for a figure), only sentences that hold one count; a chunk
    with none scores its best sentence minus :data:`FIGURE_PENALTY`.
    """
    scores = vectors @ qvec
    if figure:
        if figures.any():
            return float(np.max(scores[figures]))
        return float(np.max(scores)) - FIGURE_PENALTY
    return float(np.max(scores))


@dataclass(frozen=True)
class EvalQuestion:
    """One retrieval question with its answer key.

    Attributes:
        id: Question id.
        question: The question text.
        section: The section whose passage answers it.
        phrase: A phrase the answering passage must contain.
        split: ``dev`` (used while developing) or ``heldout`` (never tuned on).
        lang: ``sv`` or ``en``.
    """

    id: str
    question: str
    section: str
    phrase: str
    split: str = "dev"
    lang: str = "sv"


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read a JSONL file of questions (fields of :class:`EvalQuestion`)."""
    out: list[EvalQuestion] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            fields = EvalQuestion.__dataclass_fields__
            out.append(EvalQuestion(**{k: d[k] for k in fields if k in d}))
    return out


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def is_relevant(hit: SearchHit, q: EvalQuestion) -> bool:
    """A hit answers ``q`` when it is in the key section and contains the key phrase."""
    return hit.section == q.section and _norm(q.phrase) in _norm(hit.text)


def evaluate(
    retriever: HybridRetriever,
    questions: Sequence[EvalQuestion],
    modes: Sequence[Mode] = ("bm25", "dense", "hybrid"),
    k: int = 5,
) -> dict[str, dict[str, float]]:
    """Recall@1/3/5 and MRR@k per mode.

    Returns:
        ``{mode: {"R@1", "R@3", "R@5", "MRR", "n"}}``.
    """
    results: dict[str, dict[str, float]] = {}
    for mode in modes:
        ranks: list[int | None] = []
        for q in questions:
            hits = retriever.search(q.question, k=k, mode=mode)
            rank = next((i + 1 for i, h in enumerate(hits) if is_relevant(h, q)), None)
            ranks.append(rank)
        n = max(1, len(ranks))
        results[mode] = {
            "R@1": sum(1 for r in ranks if r is not None and r <= 1) / n,
            "R@3": sum(1 for r in ranks if r is not None and r <= 3) / n,
            "R@5": sum(1 for r in ranks if r is not None and r <= 5) / n,
            "MRR": sum(1.0 / r for r in ranks if r is not None) / n,
            "n": float(len(ranks)),
        }
    return results


__all__ = [
    "EvalQuestion",
    "HybridRetriever",
    "SearchHit",
    "evaluate",
    "load_questions",
    "section_matches",
    "stem",
]
