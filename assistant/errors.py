"""Errors of the assistant package.

AssistantError                 base: every error here carries data and a Swedish message
├── ConversationNotFoundError  an unknown conversation id
├── InvalidInputError          a question, title or description that cannot be used
│   ├── UnknownChapterError    a draft chapter that does not exist (lists the valid ones)
│   └── UnknownChartError      a chart name that does not exist (lists the valid ones)
├── DraftDataMissingError      a chapter or chart whose figures are missing for the year
├── VerifiedNotFoundError      an unknown (or deleted) verified answer
├── FeedbackNotFoundError      an unknown feedback id
├── ModelError                 the language model failed (timeout, rate limit, bad answer)
├── SchemaOutdatedError        the database is behind the code and automatic upgrades are off
└── WordListError              the klarspråk list of words to avoid cannot be read (file, row)
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


class UnknownChapterError(InvalidInputError):
    """A draft chapter key that does not exist."""

    code = "unknown_chapter"

    def __init__(self, chapter: str, valid: dict[str, str]) -> None:
        """Name the unknown chapter and list the valid ones (key -> title)."""
        listed = ", ".join(f"{k} ({t})" for k, t in valid.items())
        super().__init__(
            f"Okänt kapitel {chapter!r}. Giltiga kapitel: {listed}.",
            field="chapter",
            chapter=chapter,
            valid=list(valid),
        )


class UnknownChartError(InvalidInputError):
    """A chart name that does not exist."""

    code = "unknown_chart"

    def __init__(self, name: str, valid: list[str]) -> None:
        """Name the unknown chart and list the valid ones."""
        super().__init__(
            f"Okänt diagram {name!r}. Giltiga diagram: {', '.join(valid)}.",
            field="name",
            name=name,
            valid=valid,
        )


class DraftDataMissingError(AssistantError):
    """A chapter or chart needs figures that the year does not have."""

    code = "draft_data_missing"

    def __init__(
        self,
        what: str,
        year: int,
        missing: list[str],
        available: list[int] | None = None,
        action: str = "skrivas",
    ) -> None:
        """Name the chapter or chart, the year, what is missing and the years that would work."""
        years = ""
        if available is not None:
            listed = ", ".join(str(y) for y in available) or "inga"
            years = f" År med det som behövs: {listed}."
        super().__init__(
            f"{what} kan inte {action} för {year}: {', '.join(missing)} saknas för året.{years}",
            what=what,
            year=year,
            missing=missing,
            available=available or [],
        )


class SchemaOutdatedError(AssistantError):
    """The database's schema is older than the code and may not be upgraded automatically."""

    code = "schema_outdated"

    def __init__(self, current: str | None, head: str) -> None:
        """Name the database's revision and the one the code needs."""
        shown = current or "ingen (skapad före migreringarna)"
        super().__init__(
            f"Databasens schema är inte uppdaterat (version {shown}, koden kräver {head}). "
            "Kör 'digirapport db upgrade', eller slå på DIGI_DB_AUTO_UPGRADE.",
            current=current,
            head=head,
        )


class WordListError(AssistantError):
    """The klarspråk list of words to avoid cannot be read (names the file, row and column)."""

    code = "word_list_invalid"


class VerifiedNotFoundError(AssistantError):
    """A verified answer id that is unknown or deleted."""

    code = "verified_not_found"

    def __init__(self, verified_id: str) -> None:
        """Name the missing verified answer."""
        super().__init__(f"Det verifierade svaret {verified_id!r} finns inte.", id=verified_id)


class FeedbackNotFoundError(AssistantError):
    """A feedback id that is unknown."""

    code = "feedback_not_found"

    def __init__(self, feedback_id: int) -> None:
        """Name the missing feedback."""
        super().__init__(f"Omdömet {feedback_id} finns inte.", id=feedback_id)
