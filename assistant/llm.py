"""The language-model seam: the only module that imports ``openai``.

``build_openai_client`` is the one function that builds a client, for any OpenAI-compatible
endpoint (OpenAI, Azure OpenAI's ``/openai/v1`` endpoint, Ollama, vLLM, llama.cpp server). The rest
of the assistant speaks to the small :class:`ChatModel` protocol, whose replies are plain
dataclasses, so tests and the offline mode never touch the SDK.

Errors from the SDK (timeouts, rate limits, HTTP errors, lost connections) become
:class:`~assistant.errors.ModelError` with a plain Swedish message.

Endpoints differ in what they accept: newer OpenAI models refuse ``max_tokens`` and want
``max_completion_tokens`` (older servers the other way round), some refuse a temperature other
than the default, and not every server knows ``response_format``. A 400 that names one of these
parameters is retried once without it (or with the other token parameter), the choice is kept
for the model's later calls, and a warning says so in the log.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlparse

import openai

from assistant.errors import ModelError

log = logging.getLogger("digirapport.assistant.llm")

#: The two names of the answer-length limit in the chat-completions API.
TOKEN_PARAMS = ("max_tokens", "max_completion_tokens")

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
        response_format: dict[str, Any] | None = None,
    ) -> ModelReply:
        """One non-streamed turn (``response_format``: e.g. a JSON schema the answer must fit)."""
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


def refused_parameter(exc: Exception) -> str | None:
    """The request parameter a 400 from the endpoint complains about, if it names one we can drop.

    Returns ``max_tokens``, ``max_completion_tokens``, ``temperature`` or ``response_format``;
    None for any other error.
    """
    if not isinstance(exc, openai.BadRequestError):
        return None
    body = getattr(exc, "body", None)
    param = body.get("param") if isinstance(body, dict) else None
    text = f"{param or ''} {exc.message}".lower()
    # "Unsupported parameter: 'max_tokens' ... Use 'max_completion_tokens' instead": the
    # refused one is named first (or as ``param``).
    if isinstance(param, str) and param in (*TOKEN_PARAMS, "temperature", "response_format"):
        return param
    found = [(text.find(p), p) for p in (*TOKEN_PARAMS, "temperature", "response_format")]
    named = sorted((i, p) for i, p in found if i >= 0)
    if not named:
        return None
    first = named[0][1]
    if first == "max_tokens" and text.find("max_completion_tokens") == named[0][0]:
        first = "max_completion_tokens"  # "max_tokens" matched inside the longer name
    return first


class OpenAIChatModel:
    """A :class:`ChatModel` over the chat-completions API of an OpenAI-compatible endpoint."""

    def __init__(
        self,
        client: openai.OpenAI,
        model: str,
        max_tokens: int = 1200,
        *,
        temperature: float | None = 0.0,
        token_param: str = "max_tokens",
    ) -> None:
        """Use ``client`` (from :func:`build_openai_client`) with ``model``.

        Args:
            client: The SDK client.
            model: The model name at the endpoint.
            max_tokens: Longest answer in tokens.
            temperature: Sampling temperature (None: the endpoint's default).
            token_param: ``max_tokens`` or ``max_completion_tokens`` (switched automatically
                when the endpoint refuses it).
        """
        if token_param not in TOKEN_PARAMS:
            raise ValueError(f"token_param must be one of {TOKEN_PARAMS}")
        self.client = client
        self.model = model
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.token_param = token_param
        #: Parameters the endpoint refused (not sent again).
        self.dropped: set[str] = set()
        self._lock = threading.Lock()

    def _params(
        self,
        messages: Sequence[dict[str, Any]],
        tools: Sequence[dict[str, Any]] | None,
        tool_choice: str | None,
        response_format: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        params: dict[str, Any] = {
            "model": self.model,
            "messages": list(messages),
            self.token_param: self.max_tokens,
        }
        if self.temperature is not None and "temperature" not in self.dropped:
            params["temperature"] = self.temperature
        if response_format is not None and "response_format" not in self.dropped:
            params["response_format"] = response_format
        if tools:
            params["tools"] = list(tools)
            if tool_choice:
                params["tool_choice"] = tool_choice
        return params

    def _adapt(self, exc: Exception) -> bool:
        """After a 400 that names a parameter: change it for this and later calls (True)."""
        refused = refused_parameter(exc)
        with self._lock:
            if refused in TOKEN_PARAMS and refused == self.token_param:
                other = TOKEN_PARAMS[1 - TOKEN_PARAMS.index(refused)]
                log.warning(
                    "Språkmodellen %s tar inte emot %s; skickar %s i stället (från och med nu).",
                    self.model,
                    refused,
                    other,
                )
                self.token_param = other
                return True
            if refused in ("temperature", "response_format") and refused not in self.dropped:
                log.warning(
                    "Språkmodellen %s tar inte emot %s; skickas inte längre.", self.model, refused
                )
                self.dropped.add(refused)
                return True
        return False

    def _create(
        self,
        messages: Sequence[dict[str, Any]],
        tools: Sequence[dict[str, Any]] | None,
        tool_choice: str | None,
        response_format: dict[str, Any] | None = None,
        *,
        stream: bool = False,
    ) -> Any:
        """``chat.completions.create``, retried once for each parameter the endpoint refuses."""
        for attempt in range(4):  # the token parameter, temperature, response_format, done
            params = self._params(messages, tools, tool_choice, response_format)
            if stream:
                params["stream"] = True
            try:
                return self.client.chat.completions.create(**params)
            except openai.BadRequestError as exc:
                if attempt == 3 or not self._adapt(exc):
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def complete(
        self,
        messages: Sequence[dict[str, Any]],
        tools: Sequence[dict[str, Any]] | None = None,
        tool_choice: str | None = None,
        response_format: dict[str, Any] | None = None,
    ) -> ModelReply:
        """One non-streamed turn; raises ModelError on any failure of the endpoint."""
        try:
            response = self._create(messages, tools, tool_choice, response_format)
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
        stream: Any = None
        try:
            stream = self._create(messages, tools, tool_choice, stream=True)
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
        finally:
            # Closed early (the user stopped the answer): hang up, so the model stops generating.
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        tool_calls = [
            ToolCall(id=c["id"] or f"call_{i}", name=c["name"], arguments=c["arguments"])
            for i, c in sorted(calls.items())
        ]
        yield ModelDelta(
            reply=ModelReply(
                content="".join(text), tool_calls=tool_calls, finish_reason=finish, model=model
            )
        )
