"""The language-model seam: the only module that imports ``openai``.

``build_openai_client`` is the one function that builds a client, for any OpenAI-compatible
endpoint (OpenAI, Azure OpenAI's ``/openai/v1`` endpoint, Ollama, vLLM, llama.cpp server). The rest
of the assistant speaks to the small :class:`ChatModel` protocol, whose replies are plain
dataclasses, so tests and the offline mode never touch the SDK.

Errors from the SDK (timeouts, rate limits, HTTP errors, lost connections) become
:class:`~assistant.errors.ModelError` with a plain Swedish message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlparse

import openai

from assistant.errors import ModelError

#: Sent as the key when an endpoint needs none (Ollama, vLLM, llama.cpp): the SDK insists on one.
PLACEHOLDER_API_KEY = "not-needed"


def build_openai_client(
    base_url: str | None, api_key: str | None, timeout: float, *, max_retries: int = 1
) -> openai.OpenAI:
    """Build the OpenAI SDK client for any OpenAI-compatible endpoint.

    Args:
        base_url: The endpoint (``http://localhost:11434/v1`` for Ollama, Azure's
            ``https://<resource>.openai.azure.com/openai/v1/``); None = OpenAI itself.
        api_key: The key; None with a base URL = a placeholder key (local servers need none).
        timeout: Seconds per request.
        max_retries: Retries the SDK makes on connection errors, 429 and 5xx.

    Returns:
        The configured client.

    Raises:
        ModelError: Neither a base URL nor a key was given (that is offline mode).
    """
    if not base_url and not api_key:
        raise ModelError(
            "Ingen språkmodell är konfigurerad "
            "(ange DIGI_LLM_BASE_URL och/eller DIGI_LLM_API_KEY).",
            reason="not_configured",
        )
    headers: dict[str, str] = {}
    host = urlparse(base_url).hostname or "" if base_url else ""
    if api_key and host.endswith((".azure.com", ".azure-api.net")):
        # Azure's OpenAI-compatible endpoint accepts the key in its own header too.
        headers["api-key"] = api_key
    return openai.OpenAI(
        base_url=base_url or None,
        api_key=api_key or PLACEHOLDER_API_KEY,
        timeout=timeout,
        max_retries=max_retries,
        default_headers=headers or None,
    )


@dataclass(frozen=True)
class ToolCall:
    """One function call requested by the model (``arguments`` is the raw JSON text)."""

    id: str
    name: str
    arguments: str

    def parsed_arguments(self) -> dict[str, Any]:
        """The arguments as a dict; ``{}`` when empty; raises ValueError when not a JSON object."""
        text = self.arguments.strip() or "{}"
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError("tool arguments must be a JSON object")
        return value

    def to_message(self) -> dict[str, Any]:
        """The call as it appears in an assistant message of the chat-completions protocol."""
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }


@dataclass(frozen=True)
class ModelReply:
    """A complete model turn: text and/or tool calls."""

    content: str
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str | None = None
    model: str | None = None


@dataclass(frozen=True)
class ModelDelta:
    """One streamed piece: ``text`` while the answer streams, then one final ``reply``."""

    text: str = ""
    reply: ModelReply | None = None


class ChatModel(Protocol):
    """What the chat loop needs from a language model."""

    model: str

    def complete(
        self,
        messages: Sequence[dict[str, Any]],
        tools: Sequence[dict[str, Any]] | None = None,
        tool_choice: str | None = None,
    ) -> ModelReply:
        """One non-streamed turn."""
        ...

    def stream(
        self,
        messages: Sequence[dict[str, Any]],
        tools: Sequence[dict[str, Any]] | None = None,
        tool_choice: str | None = None,
    ) -> Iterator[ModelDelta]:
        """One streamed turn: text deltas, then a final delta carrying the whole reply."""
        ...


def _model_error(exc: Exception) -> ModelError:
    """Translate an SDK exception into a ModelError with a Swedish message."""
    if isinstance(exc, openai.APITimeoutError):
        return ModelError("Språkmodellen svarade inte inom tidsgränsen.", reason="timeout")
    if isinstance(exc, openai.RateLimitError):
        return ModelError(
            "Språkmodellen tar just nu inte emot fler förfrågningar (för många anrop).",
            reason="rate_limit",
            status=429,
        )
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return ModelError(
            "Språkmodellen nekade åtkomst: kontrollera API-nyckeln.",
            reason="auth",
            status=exc.status_code,
        )
    if isinstance(exc, openai.APIStatusError):
        return ModelError(
            f"Språkmodellen svarade med ett fel (HTTP {exc.status_code}).",
            reason="http_error",
            status=exc.status_code,
        )
    if "timeout" in type(exc).__name__.lower():
        return ModelError("Språkmodellen svarade inte inom tidsgränsen.", reason="timeout")
    if isinstance(exc, openai.APIConnectionError) or "connect" in type(exc).__name__.lower():
        return ModelError("Språkmodellen kunde inte nås.", reason="connection")
    return ModelError("Språkmodellens svar kunde inte tolkas.", reason="invalid_response")


class OpenAIChatModel:
    """A :class:`ChatModel` over the chat-completions API of an OpenAI-compatible endpoint."""

    def __init__(self, client: openai.OpenAI, model: str, max_tokens: int = 1200) -> None:
        """Use ``client`` (from :func:`build_openai_client`) with ``model``."""
        self.client = client
        self.model = model
        self.max_tokens = max_tokens

    def _params(
        self,
        messages: Sequence[dict[str, Any]],
        tools: Sequence[dict[str, Any]] | None,
        tool_choice: str | None,
    ) -> dict[str, Any]:
        params: dict[str, Any] = {
            "model": self.model,
            "messages": list(messages),
            "max_tokens": self.max_tokens,
            "temperature": 0,
        }
        if tools:
            params["tools"] = list(tools)
            if tool_choice:
                params["tool_choice"] = tool_choice
        return params

    def complete(
        self,
        messages: Sequence[dict[str, Any]],
        tools: Sequence[dict[str, Any]] | None = None,
        tool_choice: str | None = None,
    ) -> ModelReply:
        """One non-streamed turn; raises ModelError on any failure of the endpoint."""
        try:
            response = self.client.chat.completions.create(
                **self._params(messages, tools, tool_choice)
            )
        except openai.OpenAIError as exc:
            raise _model_error(exc) from exc
        if not response.choices:
            raise ModelError("Språkmodellen returnerade inget svar.", reason="empty")
        choice = response.choices[0]
        message = choice.message
        calls = [
            ToolCall(id=c.id, name=c.function.name, arguments=c.function.arguments or "")
            for c in (message.tool_calls or [])
            if getattr(c, "function", None) is not None
        ]
        return ModelReply(
            content=message.content or "",
            tool_calls=calls,
            finish_reason=choice.finish_reason,
            model=response.model,
        )

    def stream(
        self,
        messages: Sequence[dict[str, Any]],
        tools: Sequence[dict[str, Any]] | None = None,
        tool_choice: str | None = None,
    ) -> Iterator[ModelDelta]:
        """One streamed turn: yields text deltas, then the assembled reply (tool calls too)."""
        text: list[str] = []
        calls: dict[int, dict[str, str]] = {}
        finish: str | None = None
        model: str | None = None
        try:
            stream = self.client.chat.completions.create(
                **self._params(messages, tools, tool_choice), stream=True
            )
            for chunk in stream:
                model = model or chunk.model
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                finish = choice.finish_reason or finish
                delta = choice.delta
                if delta is None:
                    continue
                if delta.content:
                    text.append(delta.content)
                    yield ModelDelta(text=delta.content)
                for tc in delta.tool_calls or []:
                    slot = calls.setdefault(tc.index, {"id": "", "name": "", "arguments": ""})
                    if tc.id:
                        slot["id"] = tc.id
                    if tc.function is not None:
                        if tc.function.name:
                            slot["name"] += tc.function.name
                        if tc.function.arguments:
                            slot["arguments"] += tc.function.arguments
        except Exception as exc:  # noqa: BLE001  (transport errors mid-stream are not wrapped)
            raise _model_error(exc) from exc
        tool_calls = [
            ToolCall(id=c["id"] or f"call_{i}", name=c["name"], arguments=c["arguments"])
            for i, c in sorted(calls.items())
        ]
        yield ModelDelta(
            reply=ModelReply(
                content="".join(text), tool_calls=tool_calls, finish_reason=finish, model=model
            )
        )
