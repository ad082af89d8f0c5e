"""``POST /v1/chat/completions`` and ``GET /v1/models``: the assistant as an OpenAI "model".

Existing chat clients (the ``openai`` SDK, LangChain's ``ChatOpenAI``, chat UIs) can point their
base URL at ``/v1``. The last user message is the question, earlier user/assistant messages are
the history (client system messages are ignored: the assistant's own rules apply). Responses are
standard chat completions, streamed as ``chat.completion.chunk`` events ending in
``data: [DONE]`` (with ``: keep-alive`` comments in long silences), with an extra
``digirapport`` field (sources, tool calls, warnings, mode) that standard clients ignore.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import InvalidInputError
from web.deps import ServicesDep
from web.streaming import sse_response

router = APIRouter(tags=["openai"])

MODEL_ID = "digirapport"


class CompatMessage(BaseModel):
    """One chat message (content as text or as a list of parts)."""

    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[dict[str, Any]] | None = None


class CompletionRequest(BaseModel):
    """The subset of the chat-completions request the assistant uses (the rest is ignored)."""

    model_config = ConfigDict(extra="allow")

    model: str = MODEL_ID
    messages: list[CompatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: dict[str, Any] | None = None


def _text(content: str | list[dict[str, Any]] | None) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "".join(str(p.get("text", "")) for p in content if p.get("type") in (None, "text"))


def _split(messages: list[CompatMessage]) -> tuple[str, list[dict[str, str]]]:
    """The question (the last user message) and the history before it."""
    last_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=None)
    if last_user is None:
        raise InvalidInputError(
            "Det finns inget användarmeddelande att svara på.", field="messages"
        )
    history = [
        {"role": m.role, "content": _text(m.content)}
        for m in messages[:last_user]
        if m.role in {"user", "assistant"}
    ]
    return _text(messages[last_user].content), history


def _extra(done: dict[str, Any]) -> dict[str, Any]:
    return {
        "sources": done.get("sources", []),
        "tool_calls": done.get("tool_calls", []),
        "warnings": done.get("warnings", []),
        "mode": done.get("mode"),
        "ungrounded_numbers": done.get("ungrounded_numbers", []),
    }


def _usage() -> dict[str, int]:
    return {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}


@router.get("/v1/models", summary="Modeller (OpenAI-format)")
def list_models() -> dict[str, Any]:
    """The assistant as the one model of this endpoint."""
    return {
        "object": "list",
        "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "digirapport"}],
    }


@router.post("/v1/chat/completions", summary="Chattsvar (OpenAI-format)", response_model=None)
def chat_completions(
    body: CompletionRequest, services: ServicesDep
) -> dict[str, Any] | StreamingResponse:
    """Answer the last user message, as a completion or a stream of chunks."""
    question, history = _split(body.messages)
    completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
    created = int(time.time())
    assistant = services.assistant
    if not body.stream:
        result = assistant.chat(question, history=history, persist=False).to_dict()
        return {
            "id": completion_id,
            "object": "chat.completion",
            "created": created,
            "model": MODEL_ID,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": result["answer"]},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            "usage": _usage(),
            "digirapport": _extra(result),
        }
    events = assistant.chat_stream(question, history=history, persist=False)
    include_usage = bool((body.stream_options or {}).get("include_usage"))

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        payload = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": MODEL_ID,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            **extra,
        }
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

    def frames() -> Iterator[str]:
        yield chunk({"role": "assistant", "content": ""})
        for event in events:
            if event.event == "token":
                yield chunk({"content": event.data["text"]})
            elif event.event == "done":
                yield chunk({}, "stop", digirapport=_extra(event.data))
            elif event.event == "error":
                error = {"error": {"message": event.data["message"], "type": "server_error"}}
                yield f"data: {json.dumps(error, ensure_ascii=False)}\n\n"
        if include_usage:
            usage = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": MODEL_ID,
                "choices": [],
                "usage": _usage(),
            }
            yield f"data: {json.dumps(usage)}\n\n"
        yield "data: [DONE]\n\n"

    return sse_response(frames(), services.settings.stream_keepalive_seconds)
