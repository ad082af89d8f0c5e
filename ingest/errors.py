"""Errors of ingestion. Every error names the file it is about.

IngestError                   base
├── UnsupportedFileTypeError  a type we do not read
├── FileTooLargeError         over the size limit
├── DocumentParseError        corrupt, encrypted, empty or binary content
├── InvalidLevelError         a security level that is not öppen, intern or känslig
├── DocumentNotFoundError     a document id or source that is not in the store
├── StoreError                the Chroma store could not be reached or written
└── EmbeddingError            the embedding model could not be loaded or did not answer
"""

from __future__ import annotations

from typing import Any


class IngestError(Exception):
    """Base class; ``to_dict`` gives the data for the API."""

    code = "ingest_error"

    def __init__(self, message: str, **data: Any) -> None:
        """Store the user-facing (Swedish) message and the data that explains it."""
        super().__init__(message)
        self.message = message
        self.data = data

    def to_dict(self) -> dict[str, Any]:
        """The error as JSON-able data."""
        return {"code": self.code, "message": self.message, **self.data}


class UnsupportedFileTypeError(IngestError):
    """The file type is not one we read."""

    code = "unsupported_file_type"


class FileTooLargeError(IngestError):
    """The file is over the size limit."""

    code = "file_too_large"


class DocumentTooLargeError(IngestError):
    """The document is over a parsing limit (pages, characters, paragraphs, expanded size)."""

    code = "document_too_large"


class DocumentParseError(IngestError):
    """The file could not be parsed: corrupt, password-protected, empty or not text."""

    code = "document_parse_error"


class InvalidLevelError(IngestError):
    """A security level that is not öppen, intern or känslig."""

    code = "invalid_level"


class DocumentNotFoundError(IngestError):
    """No document with that id or source in the store."""

    code = "document_not_found"


class StoreError(IngestError):
    """The vector store could not be reached or written."""

    code = "store_error"


class EmbeddingError(IngestError):
    """The embedding model could not be loaded or did not answer."""

    code = "embedding_error"
