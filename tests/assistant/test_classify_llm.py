"""LLM mode of the classifier against a real local HTTP server speaking OpenAI chat completions."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from assistant.classify import AXES, Classifier, parse_llm_reply
from assistant.llm import OpenAIChatModel, build_openai_client
from index_engine.loaders import Dataset
from ingest.embeddings import Embedder

Reply = Callable[[dict[str, Any]], str]


class ScriptedOpenAI:
    """A real HTTP server speaking the OpenAI chat-completions protocol with scripted content."""

    def __init__(self, reply: Reply) -> None:
        self.reply = reply
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:  # keep pytest output clean
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                outer.requests.append(body)
                if not self.path.endswith("/chat/completions"):
                    self.send_error(404)
                    return
                content = outer.reply(body)
                payload = {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body.get("model", "test"),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": content},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> ScriptedOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve(reply: Reply) -> Iterator[ScriptedOpenAI]:
    """Run a scripted server for the duration of a fixture."""
    with ScriptedOpenAI(reply) as server:
        yield server


TITLE = "Automatiserad fakturahantering med RPA"
DESCRIPTION = (
    "Leverantörsfakturor ska attesteras och konteras automatiskt med en mjukvarurobot så att "
    "ekonomiadministratörerna slipper manuell hantering och dubbelarbete."
)


def _answer(values: dict[str, int], objekt: str) -> str:
    body = {axis: {"value": values[axis], "reason": f"Bedömning av {axis}."} for axis in AXES}
    body["objekt"] = objekt  # type: ignore[assignment]
    body["objekt_reason"] = "Enligt rubriken."  # type: ignore[assignment]
    return "```json\n" + json.dumps(body, ensure_ascii=False) + "\n```"


def _llm_classifier(dataset: Dataset, embedder: Embedder, server: ScriptedOpenAI) -> Classifier:
    client = build_openai_client(server.base_url, None, timeout=10, max_retries=0)
    model = OpenAIChatModel(client, model="test-model", max_tokens=400)
    return Classifier.train(dataset, embedder, chat_model=model)


def test_disagreement_sets_needs_review_and_shows_both(
    dataset: Dataset, embedder: Embedder, classifier: Classifier
) -> None:
    mine = classifier.classify(TITLE, DESCRIPTION)
    far = {axis: 5 if mine.axes[axis].value <= 2 else 1 for axis in AXES}
    with ScriptedOpenAI(lambda _body: _answer(far, mine.objekt)) as server:
        out = _llm_classifier(dataset, embedder, server).classify(TITLE, DESCRIPTION).to_dict()
        request = server.requests[-1]
    assert out["mode"] == "llm"
    assert out["needs_review"] is True
    assert any("Språkmodellen och den lokala modellen" in r for r in out["review_reasons"])
    for axis in AXES:
        assert out[axis]["value"] == far[axis]
        assert out["llm"][axis]["value"] == far[axis]
        assert out["local"][axis]["value"] == mine.axes[axis].value
    # the prompt carries the rubric and the similar initiatives as few-shot examples
    text = json.dumps(request["messages"], ensure_ascii=False)
    assert "innovation_effektivitet" in text
    assert mine.similar[0].title in text
    assert request["temperature"] == 0
    # the answer is asked for in the JSON schema of the result model (parser kept as fallback)
    schema = request["response_format"]["json_schema"]["schema"]
    assert request["response_format"]["type"] == "json_schema"
    assert set(schema["required"]) >= {*AXES, "objekt"}


def test_agreement_keeps_the_llm_values_without_disagreement_flag(
    dataset: Dataset, embedder: Embedder, classifier: Classifier
) -> None:
    mine = classifier.classify(TITLE, DESCRIPTION)
    with ScriptedOpenAI(lambda _body: _answer(mine.values(), mine.objekt)) as server:
        out = _llm_classifier(dataset, embedder, server).classify(TITLE, DESCRIPTION)
    assert out.mode == "llm"
    assert not any("Språkmodellen" in r for r in out.review_reasons)
    assert out.values() == mine.values()
    assert out.axes["extern_intern"].reason == "Bedömning av extern_intern."


@pytest.mark.parametrize(
    "reply",
    [
        "Jag tycker att det är ett effektiviseringsinitiativ.",  # not JSON
        '{"innovation_effektivitet": {"value": 7, "reason": "x"}}',  # out of range, incomplete
    ],
)
def test_invalid_model_output_falls_back_to_local_with_a_warning(
    dataset: Dataset, embedder: Embedder, classifier: Classifier, reply: str
) -> None:
    mine = classifier.classify(TITLE, DESCRIPTION)
    with ScriptedOpenAI(lambda _body: reply) as server:
        out = _llm_classifier(dataset, embedder, server).classify(TITLE, DESCRIPTION)
    assert out.mode == "local"
    assert out.values() == mine.values()
    assert out.warnings and "Språkmodellens förslag kunde inte användas" in out.warnings[0]


def test_unknown_objekt_is_rejected() -> None:
    values = {axis: 3 for axis in AXES}
    with pytest.raises(ValueError, match="okänt objekt"):
        parse_llm_reply(_answer(values, "Rymdfart"), ["Fastighet"])
    ok = parse_llm_reply(_answer(values, "fastighet"), ["Fastighet"])
    assert ok.objekt == "Fastighet"
