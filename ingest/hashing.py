"""Content hashes that decide whether a file must be ingested again."""

from __future__ import annotations

import hashlib

#: Bump when parsing or chunking changes so stored documents are rebuilt on the next ingest.
PIPELINE_VERSION = "5"
#: Bump when what is stored per chunk changes (e.g. its sentence-view vectors).
VECTOR_LAYOUT = "sentence-views-2"


def content_hash(data: bytes, *, embedder: str, settings: str = "") -> str:
    """SHA-256 of the file bytes plus everything that shapes its chunks and vectors.

    Args:
        data: The file's bytes.
        embedder: Name of the embedding model (other vectors = other content).
        settings: Chunking settings that change the result.

    Returns:
        A hex digest.
    """
    h = hashlib.sha256()
    h.update(data)
    h.update(f"\x00{PIPELINE_VERSION}\x00{embedder}\x00{settings}".encode())
    return h.hexdigest()


def hash_settings(budget: int) -> str:
    """The chunking settings a stored document's hash covers (its chunk budget, the layout)."""
    return f"{budget}/{VECTOR_LAYOUT}"
