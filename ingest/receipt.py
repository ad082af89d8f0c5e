"""A local copy of an embedded store's document records: an unchanged re-ingest without Chroma.

``digirapport ingest`` run again on files that have not changed (a nightly job over a folder of
reports, the setup script run twice) used to spend almost all of its time importing and opening
Chroma only to learn that every file was already stored. An embedded store (all its writers on
this host) therefore keeps its document records also in a small JSON file beside it, and the
command answers from that file when every file it was given is stored with the same content and
level; anything else (a new or changed file, a missing or unreadable receipt) takes the normal
path through the store.

The receipt can never claim more than the store holds: a writer takes an exclusive lock on
``<receipt>.lock``, removes the receipt, changes the store, and writes the receipt afresh from the
store's records before it lets go; a reader reads under a shared lock. A writer that dies in
between leaves no receipt, and the next ingest through the store writes it again. A Chroma server
has writers on other hosts, so a store on a server keeps no receipt.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ingest.hashing import content_hash, hash_settings
from ingest.models import FileResult, SecurityLevel
from ingest.parsers import REGISTER_SUFFIXES, SUPPORTED_SUFFIXES

#: The file beside an embedded store's data.
RECEIPT_NAME = "digirapport-documents.json"
#: Bump when the receipt's content changes meaning (another layout is ignored, then rewritten).
RECEIPT_LAYOUT = 1

#: What the store hands over when it writes the receipt: its document records by key.
Records = Callable[[], dict[str, dict[str, Any]]]


def receipt_for(data_dir: Path, chroma_url: str | None) -> Receipt | None:
    """The receipt of the store at ``data_dir`` (None for a Chroma server: see the module docs)."""
    return None if chroma_url else Receipt(Path(data_dir) / "chroma" / RECEIPT_NAME)


def iter_files(paths: Iterable[Path]) -> list[Path]:
    """Files to ingest: the given files, and supported files inside given folders (recursive)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file()
                    and f.suffix.lower() in SUPPORTED_SUFFIXES
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                )
            )
        else:
            out.append(p)
    return out


def document_key(name: str) -> tuple[str, str]:
    """The collection a file goes to (by its suffix) and its record key ``collection::name``."""
    collection = "initiatives" if Path(name).suffix.lower() in REGISTER_SUFFIXES else "reports"
    return collection, f"{collection}::{name}"


def unchanged_result(
    existing: dict[str, Any] | None, digest: str, name: str, level: SecurityLevel
) -> FileResult | None:
    """The result for a file stored with this content and level (None: it is not).

    A record from before security levels (no ``level``) counts as changed, so that the next
    ingest gives its chunks a level.
    """
    if existing and existing.get("hash") == digest and existing.get("level") == int(level):
        return FileResult(
            source=name,
            status="unchanged",
            chunks=int(existing.get("chunks", 0)),
            title=str(existing.get("title", "")),
            collection=document_key(name)[0],
        )
    return None


class Receipt:
    """The JSON copy of an embedded store's document records (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        """Args: path: The receipt file (its lock file is ``<path>.lock``)."""
        self.path = Path(path)

    @contextlib.contextmanager
    def _locked(self, mode: int) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as handle:
            fcntl.flock(handle, mode)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def changing(self, records: Records) -> Iterator[None]:
        """Around a change of the store: no receipt while it runs, a fresh one after it.

        Args:
            records: Reads the store's document records (called after the change).
        """
        with self._locked(fcntl.LOCK_EX):
            self.path.unlink(missing_ok=True)
            yield
            self._write(records())

    def refresh(self, records: Records) -> None:
        """Write the receipt if it is missing (a store from before receipts, a writer that died)."""
        if self.path.exists():
            return
        with self._locked(fcntl.LOCK_EX):
            self._write(records())

    def _write(self, docs: dict[str, dict[str, Any]]) -> None:
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(
            json.dumps({"layout": RECEIPT_LAYOUT, "documents": docs}, ensure_ascii=False),
            encoding="utf-8",
        )
        os.replace(tmp, self.path)

    def documents(self) -> dict[str, dict[str, Any]] | None:
        """The records as the store last wrote them (None: no usable receipt)."""
        if not self.path.exists():
            return None
        try:
            with self._locked(fcntl.LOCK_SH):
                data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("layout") != RECEIPT_LAYOUT:
            return None
        docs = data.get("documents")
        return docs if isinstance(docs, dict) else None


def all_unchanged(
    docs: dict[str, dict[str, Any]],
    paths: Iterable[Path],
    *,
    embedder: str,
    budget: int,
    level: SecurityLevel,
) -> list[FileResult] | None:
    """Each file's ``unchanged`` result when every file is stored as it is; else None.

    Args:
        docs: The store's document records (:meth:`Receipt.documents`).
        paths: Files or folders, as given to the ingest.
        embedder: The configured embedding model's name.
        budget: The configured chunk budget in tokens.
        level: The security level the files are ingested at.
    """
    results: list[FileResult] = []
    for path in iter_files(paths):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            return None  # the store's path names the error
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest = content_hash(data, embedder=embedder, settings=hash_settings(budget))
        existing = docs.get(document_key(path.name)[1])
        result = unchanged_result(existing, digest, path.name, level)
        if result is None:
            return None
        results.append(result)
    return results or None
