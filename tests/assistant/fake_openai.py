"""A real HTTP server speaking the OpenAI chat-completions protocol, with scripted replies.

Runs ``http.server`` in a thread on a free port. Each request to ``/v1/chat/completions`` takes
the next scripted step:

* ``{"content": "text"}``: an answer (streamed in small chunks when the request asks for it);
* ``{"tool_calls": [{"name": ..., "arguments": {...}}, ...]}``: tool calls;
* ``{"status": 429, "message": "...", "param"?: "..."}``: an HTTP error with an OpenAI-style
  error body;
* ``{"delay": seconds, ...}``: wait first (for timeouts);
* a callable ``step(request_json) -> dict``: a step computed from the request (e.g. from the
  tool results the loop sent back).

Every request body is recorded in ``server.requests``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Step = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]


#: The model clients the tests made, closed after each test (``conftest.py``): a request that
#: timed out leaves a connection the garbage collector would otherwise find unclosed later.
OPEN_CLIENTS: list[Any] = []


def model_client(base_url: str, timeout: float = 10.0) -> Any:
    """A real ``openai`` client for the fake server, closed when the test ends."""
    from assistant.llm import build_openai_client

    client = build_openai_client(base_url, None, timeout, max_retries=0)
    OPEN_CLIENTS.append(client)
    return client


class FakeOpenAIServer:
    """Scripted OpenAI-compatible chat-completions server."""

    def __init__(self, model: str = "fake-model") -> None:
        self.model = model
        self.steps: list[Step] = []
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        #: Per streamed reply: chunks written, and whether the client hung up before the end.
        self.streams: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def script(self, *steps: Step) -> None:
        with self._lock:
            self.steps = list(steps)
            self.requests.clear()
            self.headers.clear()
            self.streams.clear()

    def _next(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.requests.append(body)
            if not self.steps:
                return {"status": 500, "message": "no scripted step left"}
            step = self.steps.pop(0)
        return step(body) if callable(step) else step

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    self.close_connection = True

            def do_GET(self) -> None:  # noqa: N802
                if self.path.rstrip("/").endswith("/models"):
                    self._json(
                        200, {"object": "list", "data": [{"id": server.model, "object": "model"}]}
                    )
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                server.headers.append({k.lower(): v for k, v in self.headers.items()})
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._json(404, {"error": {"message": "not found"}})
                    return
                step = server._next(body)
                if step.get("delay"):
                    time.sleep(float(step["delay"]))
                if step.get("status"):
                    self._json(
                        int(step["status"]),
                        {
                            "error": {
                                "message": step.get("message", "error"),
                                "type": "fake",
                                "code": None,
                                "param": step.get("param"),
                            }
                        },
                    )
                    return
                if body.get("stream"):
                    self._stream(step)
                else:
                    self._json(200, server._completion(step))

            def _stream(self, step: dict[str, Any]) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                chunks = server._chunks(step)
                record = {"chunks": len(chunks), "sent": 0, "cut": False}
                with server._lock:
                    server.streams.append(record)
                try:
                    for chunk in chunks:
                        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                        self.wfile.flush()
                        record["sent"] += 1
                        if step.get("chunk_delay"):
                            time.sleep(float(step["chunk_delay"]))
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    record["cut"] = True  # the client hung up: stop generating
                self.close_connection = True

        return Handler

    def _tool_calls(self, step: dict[str, Any]) -> list[dict[str, Any]]:
        calls = []
        for i, tc in enumerate(step.get("tool_calls", [])):
            args = tc.get("arguments", {})
            calls.append(
                {
                    "id": tc.get("id", f"call_{len(self.requests)}_{i}"),
                    "type": "function",
                    "function": {
                        "name": tc["name"],
                        "arguments": args if isinstance(args, str) else json.dumps(args),
                    },
                }
            )
        return calls

    def _completion(self, step: dict[str, Any]) -> dict[str, Any]:
        calls = self._tool_calls(step)
        message: dict[str, Any] = {"role": "assistant", "content": step.get("content")}
        if calls:
            message["tool_calls"] = calls
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 0,
            "model": self.model,
            "choices": [
                {"index": 0, "message": message, "finish_reason": "tool_calls" if calls else "stop"}
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    def _chunks(self, step: dict[str, Any]) -> list[dict[str, Any]]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": self.model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }

        out = [chunk({"role": "assistant", "content": ""})]
        content = step.get("content") or ""
        for i in range(0, len(content), 7):
            out.append(chunk({"content": content[i : i + 7]}))
        calls = self._tool_calls(step)
        for i, call in enumerate(calls):
            args = call["function"]["arguments"]
            out.append(
                chunk(
                    {
                        "tool_calls": [
                            {
                                "index": i,
                                "id": call["id"],
                                "type": "function",
                                "function": {"name": call["function"]["name"], "arguments": ""},
                            }
                        ]
                    }
                )
            )
            for j in range(0, len(args), 5):
                out.append(
                    chunk(
                        {"tool_calls": [{"index": i, "function": {"arguments": args[j : j + 5]}}]}
                    )
                )
        out.append(chunk({}, "tool_calls" if calls else "stop"))
        return out
