"""``POST /api/chat`` and ``POST /api/chat/stream``: questions answered by the assistant.

No domain logic here: the assistant validates the question (422 with a Swedish message when it is
empty or too long), finds the conversation (404 when unknown) and answers. The stream is
Server-Sent Events in the contract's order: ``meta``, ``token`` ..., ``sources``, ``tool_calls``,
``done`` (the full ``/api/chat`` response), or ``error``; a ``: keep-alive`` comment fills every
silence of ``DIGI_STREAM_KEEPALIVE_SECONDS`` (``web.streaming``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from web.deps import ServicesDep
from web.streaming import sse_response

router = APIRouter(tags=["chatt"])


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
    keepalive = services.settings.stream_keepalive_seconds
    return sse_response((event.sse() for event in events), keepalive)
