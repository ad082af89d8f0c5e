"""``POST /api/chat`` and ``POST /api/chat/stream``: questions answered by the assistant.

No domain logic here: the assistant validates the question (422 with a Swedish message when it is
empty or too long), finds the conversation (404 when unknown) and answers. The stream is
Server-Sent Events in the contract's order: ``meta``, ``token`` ..., ``sources``, ``tool_calls``,
``done`` (the full ``/api/chat`` response), or ``error``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from web.deps import ServicesDep

router = APIRouter(tags=["chatt"])

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


class ChatRequest(BaseModel):
    """A question, optionally continuing a conversation."""

    message: str = Field(description="Frågan (svenska eller engelska).")
    conversation_id: str | None = Field(
        default=None, description="Fortsätt denna konversation (utelämnat: en ny)."
    )


@router.post("/api/chat", summary="Ställ en fråga")
def chat(body: ChatRequest, services: ServicesDep) -> dict[str, Any]:
    """Answer a question with sources, tool calls, mode and warnings."""
    return services.assistant.chat(body.message, body.conversation_id).to_dict()


@router.post("/api/chat/stream", summary="Ställ en fråga (strömmat svar, SSE)")
def chat_stream(body: ChatRequest, services: ServicesDep) -> StreamingResponse:
    """Answer a question as Server-Sent Events (meta, token…, sources, tool_calls, done)."""
    events = services.assistant.chat_stream(body.message, body.conversation_id)
    return StreamingResponse(
        (event.sse() for event in events), media_type="text/event-stream", headers=SSE_HEADERS
    )
