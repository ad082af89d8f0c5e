"""``/api/feedback``: thumbs up or down (and a comment) on an answer; the editors' list.

Anyone who may chat rates answers of their own conversations (``POST``, role ``reader``); the
answer is named by the conversation id and its index in the conversation's messages (as
``GET /api/conversations/{id}`` lists them, from 0: the first answer is 1). The question, answer,
mode, sources and tool calls are stored with the rating, so editors can read it even after the
conversation is deleted. Rating the same answer again replaces the earlier rating.

Editors (``GET``, role ``editor``, ``web.auth.EDITOR_GETS``) list all feedback, the negative
first and most recent first, and open one with the conversation it was given on (audited): the
user is told in the UI that a rating shares the conversation with the editors.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import FeedbackNotFoundError, InvalidInputError
from assistant.lang.text import is_valid_text
from web.deps import CallerDep, ServicesDep
from web.routes.conversations import conversation_body

router = APIRouter(tags=["omdömen"])

#: Longest comment kept.
MAX_COMMENT_CHARS = 2000
#: Largest message index and feedback id accepted (a database integer holds them).
MAX_INDEX = 1_000_000
MAX_ID = 2**31 - 1


class FeedbackRequest(BaseModel):
    """A rating of one answer."""

    model_config = ConfigDict(extra="forbid")

    conversation_id: str = Field(max_length=64, description="Konversationen svaret finns i.")
    message_index: int = Field(
        ge=0, le=MAX_INDEX, description="Svarets plats bland konversationens meddelanden (från 0)."
    )
    rating: Literal["up", "down"] = Field(description="up (bra svar) eller down (dåligt svar).")
    comment: str | None = Field(
        default=None, max_length=MAX_COMMENT_CHARS, description="Valfri kommentar."
    )


@router.post("/api/feedback", summary="Lämna omdöme om ett svar")
def give_feedback(
    body: FeedbackRequest, services: ServicesDep, caller: CallerDep
) -> dict[str, Any]:
    """Store a rating of one of the caller's answers (a second rating replaces the first)."""
    storage = services.storage
    comment = (body.comment or "").strip() or None
    if comment is not None and not is_valid_text(comment):
        raise InvalidInputError(
            "Kommentaren innehåller ogiltiga tecken (NUL-tecken eller ensamma surrogattecken).",
            field="comment",
        )
    question, answer = storage.answer_at(body.conversation_id, body.message_index, caller.owner)
    data = answer.data or {}
    record = storage.save_feedback(
        {
            "conversation_id": body.conversation_id,
            "message_index": body.message_index,
            "rating": body.rating,
            "comment": comment,
            "question": question,
            "answer": answer.content,
            "mode": data.get("mode"),
            "sources": data.get("sources") or [],
            "tool_calls": data.get("tool_calls") or [],
            "owner": caller.stored_owner,
            "created_by": caller.name,
        }
    )
    storage.audit(
        "feedback",
        {
            "id": record["id"],
            "conversation_id": body.conversation_id,
            "message_index": body.message_index,
            "rating": body.rating,
        },
    )
    return _summary(record)


@router.get("/api/feedback", summary="Omdömen om svar (redaktörer)")
def list_feedback(
    services: ServicesDep, limit: int = Query(default=200, ge=1, le=1000)
) -> dict[str, Any]:
    """All feedback: the negative first, each group most recent first."""
    return {"feedback": [_summary(r) for r in services.storage.list_feedback(limit)]}


@router.get("/api/feedback/{feedback_id}", summary="Ett omdöme med sitt samtal (redaktörer)")
def get_feedback(services: ServicesDep, feedback_id: int = Path(ge=1, le=MAX_ID)) -> dict[str, Any]:
    """One feedback record with its sources and tool calls, and the conversation (audited).

    ``conversation`` is None when its owner has deleted it since.
    """
    storage = services.storage
    record = storage.get_feedback(feedback_id)
    if record is None:
        raise FeedbackNotFoundError(feedback_id)
    conversation = None
    if storage.has_conversation(record["conversation_id"]):
        conversation = conversation_body(record["conversation_id"], services, owner=None)
    storage.audit(
        "feedback_conversation_read",
        {"id": feedback_id, "conversation_id": record["conversation_id"], "of": record["owner"]},
    )
    return {**_summary(record), "conversation": conversation}


def _summary(record: dict[str, Any]) -> dict[str, Any]:
    """A feedback record as the API shows it (without the owner id)."""
    return {k: v for k, v in record.items() if k != "owner"}
