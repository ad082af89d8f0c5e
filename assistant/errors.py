"""Errors of the assistant package.

    AssistantError                 base: every error here carries data and a Swedish message
    ├── ConversationNotFoundError  an unknown conversation id
    ├── InvalidInputError          a question, title or description that cannot be used
    └── ModelError                 the language model failed (timeout, rate limit, bad answer)
"""

from __future__ import annotations

from typing import Any


class AssistantError(Exception):
    """Base class of the assistant's errors; ``to_dict`` gives the data for the API."""

    code = "assistant_error"

    def __init__(self, message: str, **data: Any) -> None:
        """Store the user-facing (Swedish) message and the data that explains it."""
        super().__init__(message)
        self.message = message
        self.data = data

    def to_dict(self) -> dict[str, Any]:
        """The error as JSON-able data."""
        return {"code": self.code, "message": self.message, **self.data}


class ConversationNotFoundError(AssistantError):
    """The conversation id is unknown."""

    code = "conversation_not_found"

    def __init__(self, conversation_id: str) -> None:
        """Name the missing conversation."""
        super().__init__(
            f"Konversationen {conversation_id!r} finns inte.", conversation_id=conversation_id
        )


class InvalidInputError(AssistantError):
    """Input that cannot be used: empty, too long, too short, not text."""

    code = "invalid_input"

    def __init__(self, message: str, field: str, **data: Any) -> None:
        """Name the field that is wrong and why."""
        super().__init__(message, field=field, **data)


class ModelError(AssistantError):
    """The language model could not answer (timeout, rate limit, connection, invalid output)."""

    code = "model_error"
