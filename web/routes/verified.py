"""``/api/verified``: answers an editor vouched for (``assistant.verified``).

Readers list them (``GET``); editors create them (``POST``) from an answer of their own
conversation (``conversation_id`` + ``message_index``) or from a feedback record
(``feedback_id``: an answer someone rated), optionally with an edited question or text; and
delete them (``DELETE``). The stored answer keeps its tool calls and sources; its figures are
recomputed whenever it is served, and numbers of the text that no tool gives are listed in
``unlinked_numbers`` (they are not recomputed).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.errors import FeedbackNotFoundError, InvalidInputError, VerifiedNotFoundError
from assistant.lang.text import is_valid_text
from web.deps import CallerDep, ServicesDep

router = APIRouter(tags=["verifierade svar"])

#: Longest question and answer text accepted.
MAX_QUESTION_CHARS = 2000
MAX_ANSWER_CHARS = 20000
#: Largest message index and feedback id accepted (a database integer holds them).
MAX_INDEX = 1_000_000
MAX_ID = 2**31 - 1


class VerifyRequest(BaseModel):
    """Which answer to verify, and optionally its edited question and text."""

    model_config = ConfigDict(extra="forbid")

    conversation_id: str | None = Field(default=None, max_length=64)
    message_index: int | None = Field(default=None, ge=0, le=MAX_INDEX)
    feedback_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    question: str | None = Field(default=None, max_length=MAX_QUESTION_CHARS)
    answer: str | None = Field(default=None, max_length=MAX_ANSWER_CHARS)

    @model_validator(mode="after")
    def _one_origin(self) -> VerifyRequest:
        from_conversation = self.conversation_id is not None and self.message_index is not None
        if from_conversation == (self.feedback_id is not None):
            raise ValueError("ange antingen conversation_id och message_index eller feedback_id")
        return self


@router.get("/api/verified", summary="Verifierade svar")
def list_verified(services: ServicesDep) -> dict[str, Any]:
    """The verified answers in use, newest first."""
    services.verified  # noqa: B018  (loads the bundled ones on first use)
    return {"verified": services.storage.list_verified()}


@router.post("/api/verified", summary="Verifiera ett svar (redaktörer)", status_code=201)
def create_verified(body: VerifyRequest, services: ServicesDep, caller: CallerDep) -> JSONResponse:
    """Store an answer as verified; returns its record (201) and the numbers not recomputed."""
    storage = services.storage
    if body.feedback_id is not None:
        rated = storage.get_feedback(body.feedback_id)
        if rated is None:
            raise FeedbackNotFoundError(body.feedback_id)
        origin = (rated["conversation_id"], rated["message_index"])
        question, answer = rated["question"], rated["answer"]
        tool_calls, sources = rated.get("tool_calls") or [], rated.get("sources") or []
    else:
        assert body.conversation_id is not None and body.message_index is not None
        origin = (body.conversation_id, body.message_index)
        question, message = storage.answer_at(*origin, owner=caller.owner)
        answer, data = message.content, message.data or {}
        tool_calls, sources = data.get("tool_calls") or [], data.get("sources") or []
    question = _text(body.question if body.question is not None else question, "question")
    answer = _text(body.answer if body.answer is not None else answer, "answer")
    record = services.verified.prepare(question, answer, tool_calls, sources)
    stored = storage.add_verified(
        {
            **record,
            "created_by": caller.name or caller.stored_owner,
            "owner": caller.stored_owner,
            "conversation_id": origin[0],
            "message_index": origin[1],
        }
    )
    storage.audit("verified_created", {"id": stored["id"], "question": question})
    unlinked = record["unlinked_numbers"]
    warnings = (
        [f"Siffrorna {', '.join(unlinked)} kommer inte från indexmotorn och räknas inte om."]
        if unlinked
        else []
    )
    body_out = {**stored, "unlinked_numbers": unlinked, "warnings": warnings}
    return JSONResponse(body_out, status_code=201)


@router.delete("/api/verified/{verified_id}", summary="Ta bort ett verifierat svar (redaktörer)")
def delete_verified(verified_id: str, services: ServicesDep) -> dict[str, Any]:
    """Stop serving a verified answer (404 when unknown or already deleted)."""
    if not services.storage.delete_verified(verified_id):
        raise VerifiedNotFoundError(verified_id)
    services.storage.audit("verified_deleted", {"id": verified_id})
    return {"id": verified_id, "deleted": True}


def _text(value: str, field: str) -> str:
    text = value.strip()
    names = {"question": "Frågan", "answer": "Svaret"}
    if not text:
        raise InvalidInputError(f"{names[field]} är tom.", field=field)
    if not is_valid_text(text):
        raise InvalidInputError(
            f"{names[field]} innehåller ogiltiga tecken (NUL-tecken eller ensamma surrogattecken).",
            field=field,
        )
    return text
