"""Hybrid retrieval: Swedish BM25 (stems, compounds, numbers) fused with sentence-level vectors.

* Each document version has a *segment* (:mod:`assistant.retrieval_index`): its chunks, BM25 term
  frequencies and float16 sentence vectors, written as a snapshot at ingest and shared through the
  store (:mod:`ingest.snapshots`). The retriever maps the current versions' segments (a new version
  once, when the store's ``generation`` moves) and combines them in tiers: a merged base (mapped
  from the local cache when it holds one of exactly these versions), a delta per version ingested
  since and a mask over deleted versions, merged in the background once they grow. Document
  frequencies, chunk count and average length are sums over the live versions and BM25 weights
  are computed at query time, so an ingest or a delete costs only its own version; the BM25 top
  list is found by MaxScore (exact). The section title counts as part of every
  chunk of the section (heading boost). Compound words are split into known stems on both sides
  (at index time against the version's own vocabulary), and English or colloquial query words are
  expanded with a small general glossary.
* The dense side scores a chunk by its *best sentence*: the cosine between the query and each of
  the chunk's sentence views (heading titles + one sentence), stored at ingest time and mapped from
  the segment (float16, ~0.8 KB per sentence), so a query reads no vectors from Chroma. Candidates
  are BM25's top list plus the Chroma query's top list (chunk vectors = the mean of their sentence
  vectors), with the same filters.
* ``hybrid`` (default): both scores z-normalised over the candidates and combined convexly.
* Two general query-side aids, each measured on the dev questions: an English question is
  embedded as its Swedish keywords (glossary; words without an entry kept), since the model
  matches Swedish text better from Swedish; a question that asks for a figure ("hur stor andel",
  "how many") scores a chunk by its best sentence *that holds a figure*.

Thread-safe: an index is an immutable snapshot swapped under a lock.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from assistant.access import current_clearance
from assistant.lang.glossary import GLOSSARY, english_bases
from assistant.lang.stopwords import ENGLISH_FUNCTION_WORDS
from assistant.lang.text import StemRestorer, analyse, expand_compounds, is_english, stem, words
from assistant.retrieval_index import (
    COMPOUND_WEIGHT,
    K1,
    TITLE_WEIGHT,
    B,
    CombinedIndex,
    Segment,
    has_figure,
    install_indexer,
    load_base,
    load_segment,
    save_base,
)
from ingest.chunking import chunk_sentences, sentence_views
from ingest.models import SecurityLevel

if TYPE_CHECKING:
    from ingest.models import Chunk
    from ingest.store import Store

Mode = Literal["hybrid", "bm25", "dense"]

log = logging.getLogger(__name__)

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
#: Chunks without stored sentence vectors whose embedded ones are kept in memory (LRU).
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


def asks_for_figure(query: str) -> bool:
    """Whether the question asks for a figure ("Hur stor andel ...", "How many ...")."""
    return bool(_ASKS_FOR_FIGURE.search(query))


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
    """BM25 over a collection's current segments, with the filter columns of their chunks."""

    def __init__(self, combined: CombinedIndex) -> None:
        """Wrap the combined segments."""
        self.combined = combined
        self.chunks = combined.chunks
        self.by_id = combined.by_id
        self.vocabulary = combined.vocabulary
        self._splits: dict[str, list[str]] = {}
        self.years = combined.years
        self.sources = combined.sources
        self.sections = combined.sections
        self.levels = combined.levels
        self.all_sections = combined.all_sections

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
        """Boolean mask of chunks that pass the filters, deleted ones never (None = all live)."""
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
        if self.combined.alive is not None:
            m &= self.combined.alive
        return m

    def search(self, query: str, k: int, mask: np.ndarray | None) -> list[tuple[int, float]]:
        """Top ``k`` (chunk index, score); equal scores in chunk-id order."""
        return self.combined.top(self.query_terms(query), k, mask)


def canonical_question(query: str) -> str:
    """A question as it is usually written: spaces collapsed, a capital first, a final "?".

    Casing and end marks change an embedding without changing what is asked; a query that
    already ends with ".", "!" or "?" keeps its mark.
    """
    text = " ".join(query.split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}?"


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
class _Index:
    """A collection at one store generation: BM25 over its segments, their sentence vectors."""

    collection: str
    generation: int
    versions: dict[str, int]
    bm25: _Bm25Index
    built_at: float = field(default_factory=time.monotonic)


class HybridRetriever:
    """Search the store with BM25, dense vectors or both (default)."""

    def __init__(self, store: Store) -> None:
        """Map the ``reports`` segments now (other collections on first use).

        The store is also made to write a segment for every version it ingests from now on.
        """
        self.store = store
        install_indexer(store)
        self._lock = threading.Lock()
        self._indexes: dict[str, _Index] = {}
        self._segments: dict[tuple[str, str], Segment] = {}
        self._restorers: dict[tuple[str, int], tuple[int, StemRestorer]] = {}
        self._sentences: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._merging: set[str] = set()
        self._workers: list[threading.Thread] = []
        self._index("reports")

    def _index(self, collection: str) -> _Index:
        """The collection's index, updated when the store's generation has moved.

        A version's segment is loaded once (mapped from its snapshot; built from its records only
        when it has none of this layout). The first index maps the merged base of the current
        versions from the local cache, or combines their segments; a change adds the new versions
        as a delta and masks the deleted ones, without analysing any text, and merges in the
        background once the deltas have grown (:meth:`CombinedIndex.needs_merge`).
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
            segments: list[Segment] = []
            for version, count in versions.items():
                key = (collection, version)
                segment = self._segments.get(key)
                if segment is None:
                    segment = load_segment(self.store, collection, version, count)
                    if len(segment) == count:  # complete (a snapshot always is)
                        self._segments[key] = segment
                segments.append(segment)
            gone = [k for k in self._segments if k[0] == collection and k[1] not in versions]
            for key in gone:
                del self._segments[key]
                self.store.snapshots.drop_local(collection, key[1])
            segments.sort(key=lambda s: s.source)
            if current is None:  # first use: local copies left by versions gone meanwhile
                self.store.snapshots.prune_local(collection, set(versions))
                combined = load_base(self.store.snapshots, collection, segments)
                if combined is None:
                    combined = CombinedIndex.build(segments)
                    self._in_background(save_base, self.store.snapshots, collection, combined)
            else:
                combined = current.bm25.combined.updated(segments)
                if combined.needs_merge() and collection not in self._merging:
                    self._merging.add(collection)
                    self._in_background(self._merge, collection, combined.live_segments())
            index = _Index(collection, generation, versions, _Bm25Index(combined))
            self._indexes[collection] = index
            return index

    def _in_background(self, work: Callable[..., None], *args: Any) -> None:
        """Run ``work(*args)`` in a thread of its own (logged when it fails)."""

        def run() -> None:
            try:
                work(*args)
            except Exception:  # noqa: BLE001 - a failed merge leaves the tiered index in use
                log.exception("Sökindexet kunde inte slås samman")

        self._workers = [t for t in self._workers if t.is_alive()]
        thread = threading.Thread(target=run, name="retrieval-merge")
        self._workers.append(thread)
        thread.start()

    def _merge(self, collection: str, live: list[Segment]) -> None:
        """Build a new base from the collection's ``live`` segments, cache it and swap it in.

        Versions added or deleted while it was built are applied to it as a delta and a mask.
        """
        try:
            merged = CombinedIndex.build(sorted(live, key=lambda s: s.source))
            save_base(self.store.snapshots, collection, merged)
            with self._lock:
                latest = self._indexes[collection]
                combined = merged.updated(latest.bm25.combined.live_segments())
                self._indexes[collection] = replace(latest, bm25=_Bm25Index(combined))
        finally:
            with self._lock:
                self._merging.discard(collection)

    def settle(self) -> None:
        """Wait for the merges and cache writes running in the background."""
        for thread in list(self._workers):
            thread.join()

    def outline(self, source: str, collection: str = "reports") -> tuple[tuple[str, str], ...]:
        """The sections of a document's current version in order: (number, title)."""
        segment = self._document_segment(source, collection)
        return segment.outline if segment is not None else ()

    def _document_segment(self, source: str, collection: str) -> Segment | None:
        """The segment of a document's current version (None when it is not stored)."""
        index = self._index(collection)
        for version in index.versions:
            segment = self._segments.get((collection, version))
            if segment is not None and segment.source == source:
                return segment
        return None

    def restorer(self, collection: str = "reports") -> StemRestorer:
        """Puts å, ä and ö back into question words by the stems of the caller's documents.

        Only documents the current caller may read lend their words
        (:func:`assistant.access.current_clearance`), so a question's spelling never depends
        on a passage the caller could not see. Built once per store generation and clearance.
        """
        index = self._index(collection)
        clearance = int(current_clearance())
        key = (collection, clearance)
        cached = self._restorers.get(key)
        if cached is not None and cached[0] == index.generation:
            return cached[1]
        counts: dict[str, int] = {}
        for version in index.versions:
            segment = self._segments.get((collection, version))
            if segment is None or not len(segment) or int(segment.levels.max()) > clearance:
                continue
            for term, n in segment.term_counts.items():
                counts[term] = counts.get(term, 0) + n
        restorer = StemRestorer(counts)
        self._restorers[key] = (index.generation, restorer)
        return restorer

    def section_text(self, source: str, section: str, collection: str = "reports") -> str:
        """A section's passages of a document's current version, in order, joined by newlines.

        Only passages the current caller may read (:func:`assistant.access.current_clearance`);
        "" when the document or the section is not there.
        """
        segment = self._document_segment(source, collection)
        if segment is None:
            return ""
        clearance = int(current_clearance())
        rows = np.flatnonzero((segment.sections == section) & (segment.levels <= clearance))
        return "\n".join(segment.chunk(int(i)).text for i in rows)

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
        if not index.combined.n:
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
        if len(found) < min(n, index.combined.n if mask is None else int(mask.sum())):
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
        """The query's vector; an English question is embedded as its Swedish keywords.

        A question is embedded in one written form (:func:`canonical_question`), so "vad ska vi
        prioritera framöver" and "Vad ska vi prioritera framöver?" find the same passages.
        """
        text = swedish_keywords(query) or canonical_question(query)
        return np.asarray(self.store.embedder.embed_query(text), dtype=np.float32)

    def _sentence_vectors(
        self, chunks: Sequence[Chunk], snapshot: _Index
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each chunk's sentence vectors and figure flags.

        Mapped from the chunk's segment; a chunk without stored vectors (a store written by an
        older build) is embedded, and those are cached.
        """
        index = snapshot.bm25
        found: dict[str, tuple[np.ndarray, np.ndarray] | None] = {
            c.id: index.combined.sentences(index.by_id[c.id]) for c in chunks
        }
        missing = [c for c in chunks if found[c.id] is None]
        if missing:
            self._embed_sentences(missing, found)
        return [got for c in chunks if (got := found[c.id]) is not None]

    def _embed_sentences(
        self, chunks: Sequence[Chunk], found: dict[str, tuple[np.ndarray, np.ndarray] | None]
    ) -> None:
        """Fill ``found`` for chunks without stored sentence vectors (embedded, then cached)."""
        keys = {c.id: _cache_key(c) for c in chunks}
        with self._lock:
            for c in chunks:
                if (got := self._sentences.get(keys[c.id])) is not None:
                    found[c.id] = got
                    self._sentences.move_to_end(keys[c.id])
        absent = [c for c in chunks if found[c.id] is None]
        if not absent:
            return
        sentences = {c.id: chunk_sentences(c) for c in absent}
        views = {c.id: sentence_views(c, sentences[c.id]) for c in absent}
        flat = [t for c in absent for t in views[c.id]]
        matrix = np.asarray(self.store.embedder.embed_documents(flat), dtype=np.float32)
        lo = 0
        with self._lock:
            for c in absent:
                vecs = matrix[lo : lo + len(views[c.id])]
                lo += len(views[c.id])
                flags = np.array([has_figure(t) for t in sentences[c.id]], dtype=bool)
                found[c.id] = self._sentences[keys[c.id]] = (vecs, flags)
            while len(self._sentences) > SENTENCE_CACHE_CHUNKS:
                self._sentences.popitem(last=False)


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
    "B",
    "COMPOUND_WEIGHT",
    "K1",
    "TITLE_WEIGHT",
    "EvalQuestion",
    "HybridRetriever",
    "SearchHit",
    "evaluate",
    "has_figure",
    "load_questions",
    "section_matches",
    "stem",
]
