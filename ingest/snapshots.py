"""Per-version retrieval snapshots: kept in Chroma for every process, cached locally memory-mapped.

A snapshot is a set of named numpy arrays (the reader decides what they mean: see
``assistant/retrieval_index.py``) for one document version of one collection, tagged with a
*layout* string. It is written once, when the version is ingested, and never changed; a version
that is replaced or deleted takes its snapshot with it.

* **Shared copy**: the ``digirapport-snapshots`` Chroma collection (on the ``chroma run`` server
  when one is configured, so every API instance reaches it). The arrays are saved as one ``.npz``
  byte string, cut into parts of :data:`PART_BYTES`, each part base64 in a *metadata* value of one
  record (``<collection>::<version>::<n>``). Not in the record's document: Chroma indexes documents
  for full-text search, which made a 4 MB part take 17 s to write instead of 0,4 s.
* **Local cache**: ``<cache_dir>/<collection>/<version>/`` holds one ``.npy`` per array and
  ``layout.txt``, written to a temporary folder and renamed into place, read with
  ``mmap_mode="r"``: a process maps the arrays instead of reading them, and processes on one host
  share the pages.

A snapshot whose layout is not the reader's (written by another build) is not trusted: :meth:`get`
answers None and the reader rebuilds it from the version's records.

*Derived* arrays that a reader computes from several versions (retrieval's merged postings) are
cached only locally, under ``<cache_dir>/<collection>/.derived/<name>/`` in the same form; the
reader names them by what they were derived from, and one of another layout is removed.
"""

from __future__ import annotations

import base64
import io
import logging
import shutil
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from ingest.errors import StoreError

log = logging.getLogger(__name__)

#: Raw bytes per Chroma record (base64 makes a metadata value of ~2,7 MB).
PART_BYTES = 2 * 1024 * 1024
#: Parts per Chroma call (~11 MB of base64 per request to a server).
PARTS_PER_CALL = 4
#: Name of the Chroma collection holding the shared copies (+ the store's embedder suffix).
SNAPSHOTS = "digirapport-snapshots"
_LAYOUT_FILE = "layout.txt"
#: Folder (in a collection's local cache) of arrays derived from several versions.
_DERIVED = ".derived"

Arrays = dict[str, np.ndarray]


def _pack(arrays: Arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)  # type: ignore[arg-type]
    return buf.getvalue()


def _unpack(data: bytes) -> Arrays:
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def _read_dir(local: Path, layout: str) -> Arrays | None:
    """The arrays cached in ``local``, memory-mapped.

    None when there are none; when they are of another layout or unreadable (not trusted), the
    folder is removed too.
    """
    if not local.is_dir():
        return None
    try:
        if (local / _LAYOUT_FILE).read_text(encoding="utf-8") == layout:
            return {
                p.stem: np.load(p, mmap_mode="r", allow_pickle=False)
                for p in sorted(local.glob("*.npy"))
            }
    except (OSError, ValueError) as exc:
        log.warning("Lokalt sökindex %s oläsbart, hämtas igen: %s", local, exc)
    shutil.rmtree(local, ignore_errors=True)  # another layout or broken: not trusted
    return None


def _write_dir(local: Path, layout: str, arrays: Arrays) -> None:
    """Write ``arrays`` as ``.npy`` files into ``local`` (a temporary folder renamed into place)."""
    tmp = local.parent / f".{local.name}-{uuid.uuid4().hex[:8]}"
    try:
        tmp.mkdir(parents=True)
        for name, arr in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        (tmp / _LAYOUT_FILE).write_text(layout, encoding="utf-8")
        shutil.rmtree(local, ignore_errors=True)
        tmp.rename(local)
    except OSError as exc:  # a full or read-only disk: the arrays are still in memory
        log.warning("Sökindexet kunde inte sparas lokalt i %s: %s", local, exc)
        shutil.rmtree(tmp, ignore_errors=True)


class SnapshotStore:
    """Snapshots of document versions: shared in Chroma, cached locally as ``.npy`` files."""

    def __init__(self, collection: Any, cache_dir: Path | None) -> None:
        """Use the Chroma ``collection`` for shared copies and ``cache_dir`` for local ones.

        Args:
            collection: The Chroma collection of snapshot parts.
            cache_dir: Where to keep memory-mapped copies (None: read into memory each time).
        """
        self._coll = collection
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None

    def _local(self, collection: str, version: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / collection / version

    def put(self, collection: str, version: str, layout: str, arrays: Arrays) -> None:
        """Store a version's snapshot in Chroma and in the local cache.

        Raises:
            StoreError: Chroma refused the write.
        """
        data = _pack(arrays)
        parts = [data[i : i + PART_BYTES] for i in range(0, len(data), PART_BYTES)] or [b""]
        ids = [f"{collection}::{version}::{n}" for n in range(len(parts))]
        metas = [
            {
                "collection": collection,
                "version": version,
                "layout": layout,
                "part": n,
                "parts": len(parts),
                "data": base64.b64encode(part).decode("ascii"),
            }
            for n, part in enumerate(parts)
        ]
        try:
            for lo in range(0, len(ids), PARTS_PER_CALL):
                self._coll.upsert(
                    ids=ids[lo : lo + PARTS_PER_CALL],
                    embeddings=[np.ones(1, dtype=np.float32)] * len(ids[lo : lo + PARTS_PER_CALL]),
                    metadatas=metas[lo : lo + PARTS_PER_CALL],
                )
        except Exception as exc:  # noqa: BLE001 - chroma raises many kinds
            raise StoreError(
                f"Sökindexet för version {version} kunde inte sparas i vektorlagret: {exc}",
                collection=collection,
                version=version,
            ) from exc
        self._write_local(collection, version, layout, arrays)

    def get(self, collection: str, version: str, layout: str) -> Arrays | None:
        """The version's snapshot (memory-mapped when cached); None: missing or of another layout.

        The local cache is tried first, then Chroma (whose copy is then cached locally).
        """
        local = self._local(collection, version)
        if local is not None:
            cached = _read_dir(local, layout)
            if cached is not None:
                return cached
        arrays = self._fetch(collection, version, layout)
        if arrays is None:
            return None
        if local is None:
            return arrays
        self._write_local(collection, version, layout, arrays)
        return self.get(collection, version, layout) if local.is_dir() else arrays

    def _fetch(self, collection: str, version: str, layout: str) -> Arrays | None:
        """The shared copy from Chroma (None: missing, incomplete or of another layout)."""
        first = f"{collection}::{version}::0"
        try:
            head = self._coll.get(ids=[first], include=["metadatas"])
            metas = head.get("metadatas") or []
            if not metas or (metas[0] or {}).get("layout") != layout:
                return None
            n = int((metas[0] or {}).get("parts", 1))
            ids = [f"{collection}::{version}::{k}" for k in range(n)]
            parts: dict[str, str] = {first: str(metas[0]["data"])}
            for lo in range(1, n, PARTS_PER_CALL):
                res = self._coll.get(ids=ids[lo : lo + PARTS_PER_CALL], include=["metadatas"])
                for rid, meta in zip(res["ids"], res.get("metadatas") or [], strict=False):
                    if (meta or {}).get("layout") == layout:
                        parts[rid] = str(meta["data"])
        except Exception as exc:  # noqa: BLE001
            raise StoreError(
                f"Sökindexet för version {version} kunde inte läsas ur vektorlagret: {exc}",
                collection=collection,
                version=version,
            ) from exc
        if len(parts) != n:
            return None  # being written (or rewritten under another layout) right now
        data = b"".join(base64.b64decode(parts[i]) for i in ids)
        try:
            return _unpack(data)
        except (OSError, ValueError, KeyError) as exc:
            log.warning("Sökindexet för version %s är trasigt och byggs om: %s", version, exc)
            return None

    def _write_local(self, collection: str, version: str, layout: str, arrays: Arrays) -> None:
        local = self._local(collection, version)
        if local is not None:
            _write_dir(local, layout, arrays)

    def _derived(self, collection: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / collection / _DERIVED

    def get_derived(self, collection: str, name: str, layout: str) -> Arrays | None:
        """Arrays a reader derived from several versions (memory-mapped); None: missing or stale.

        Derived arrays (such as retrieval's merged postings) live only in the local cache, under
        ``<cache_dir>/<collection>/.derived/<name>/``; one of another layout is removed.
        """
        folder = self._derived(collection)
        return None if folder is None else _read_dir(folder / name, layout)

    def put_derived(
        self, collection: str, name: str, layout: str, arrays: Arrays, keep: int = 2
    ) -> None:
        """Cache derived arrays locally, keeping only the ``keep`` most recently written."""
        folder = self._derived(collection)
        if folder is None:
            return
        _write_dir(folder / name, layout, arrays)
        if folder.is_dir():
            entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
            entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
            for old in entries[keep:]:
                shutil.rmtree(old, ignore_errors=True)

    def drop(self, collection: str, version: str) -> None:
        """Remove a version's snapshot (shared and local); best effort."""
        try:
            self._coll.delete(where={"$and": [{"collection": collection}, {"version": version}]})
        except Exception as exc:  # noqa: BLE001 - leftovers are never read (versions are unique)
            log.warning("Sökindexet för version %s kunde inte tas bort: %s", version, exc)
        self.drop_local(collection, version)

    def drop_local(self, collection: str, version: str) -> None:
        """Remove the local copy of a version's snapshot (the shared one stays)."""
        local = self._local(collection, version)
        if local is not None:
            shutil.rmtree(local, ignore_errors=True)

    def prune_local(self, collection: str, keep: set[str]) -> None:
        """Remove locally cached snapshots of versions not in ``keep`` (shared copies stay)."""
        if self.cache_dir is None or not (self.cache_dir / collection).is_dir():
            return
        for path in (self.cache_dir / collection).iterdir():
            if path.name not in keep and not path.name.startswith("."):
                shutil.rmtree(path, ignore_errors=True)
