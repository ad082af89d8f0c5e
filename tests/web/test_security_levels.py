"""Documents with a security level: a caller never gets a passage above their clearance.

A real server with keys on: an editor (cleared for känslig by default) uploads a känslig document
with a unique phrase; a reader (cleared for intern) gets no hit for it through search, the
document list, the offline chat, the model's tool call (the passage never reaches the model) and
drafts, while the editor does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ingest.errors import InvalidLevelError
from ingest.models import SecurityLevel
from tests.assistant.fake_openai import FakeOpenAIServer
from tests.web.ui_helpers import serve
from web.app import create_app
from web.services import Services
from web.settings import Settings

PHRASE = "Zebrafinkavtalet"
#: Words only the känslig passage holds (a question may name the phrase; an answer may not quote).
PASSAGE_WORDS = "vägs samman i år"
SECRET_DOC = (
    "# Digitaliseringsindex, känsligt underlag 2025\n\n"
    "## 4 Digitaliseringsindex\n\n"
    f"Digitaliseringsindex förutsättningar resultat nytta komponenter: {PHRASE} styr hur "
    "indexets komponenter förutsättningar, resultat och nytta vägs samman i år.\n"
).encode()
OPEN_DOC = (
    "# Cykelrapport 2025\n\n## 1 Parkering\n\nSensorer räknar lediga cykelplatser vid stationen.\n"
).encode()


@pytest.fixture(scope="module")
def model() -> Iterator[FakeOpenAIServer]:
    server = FakeOpenAIServer().start()
    yield server
    server.stop()


def _keys(services: Services) -> dict[str, str]:
    return {
        who: services.storage.create_api_key(who, role)[1]
        for who, role in (("reader", "reader"), ("editor", "editor"))
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """Offline mode; the two documents uploaded by the editor."""
    data = tmp_path_factory.mktemp("levels")
    settings = Settings(data_dir=data, auth="on", rate_limit_per_minute=0)
    services = Services(settings)
    keys = _keys(services)
    with serve(create_app(settings, services)) as url:
        with httpx.Client(base_url=url, headers=_auth(keys["editor"]), timeout=120) as editor:
            for name, body, level in (
                ("zebra-2025.md", SECRET_DOC, "känslig"),
                ("cykel-2025.md", OPEN_DOC, "öppen"),
            ):
                r = editor.post(
                    "/api/documents",
                    files={"file": (name, body, "text/markdown")},
                    data={"level": level},
                )
                assert r.status_code == 200, r.text
                assert r.json()["level"] == level
        yield url, keys


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture()
def clients(server: tuple[str, dict[str, str]]) -> Iterator[dict[str, httpx.Client]]:
    url, keys = server
    made = {
        who: httpx.Client(base_url=url, headers=_auth(k), timeout=120) for who, k in keys.items()
    }
    yield made
    for c in made.values():
        c.close()


def test_search_and_document_list_respect_clearance(clients: dict[str, httpx.Client]) -> None:
    reader, editor = clients["reader"], clients["editor"]
    for k in (1, 5):
        hits = reader.get("/api/search", params={"q": PHRASE, "k": k}).json()["hits"]
        assert all(h["source"] != "zebra-2025.md" for h in hits)
        assert PHRASE not in json.dumps(hits, ensure_ascii=False)
    for mode in ("bm25", "dense", "hybrid"):
        hits = reader.get("/api/search", params={"q": PHRASE, "mode": mode}).json()["hits"]
        assert PHRASE not in json.dumps(hits, ensure_ascii=False), mode
    hits = editor.get("/api/search", params={"q": PHRASE, "k": 1}).json()["hits"]
    assert hits[0]["source"] == "zebra-2025.md" and PHRASE in hits[0]["text"]

    docs = {d["source"]: d["level"] for d in reader.get("/api/documents").json()["documents"]}
    assert docs == {"cykel-2025.md": "öppen"}
    docs = {d["source"]: d["level"] for d in editor.get("/api/documents").json()["documents"]}
    assert docs == {"cykel-2025.md": "öppen", "zebra-2025.md": "känslig"}


def test_offline_chat_and_drafts_respect_clearance(clients: dict[str, httpx.Client]) -> None:
    question = f"Vad står det i rapporten om {PHRASE}?"
    for who, sees in (("reader", False), ("editor", True)):
        client = clients[who]
        answer = client.post("/api/chat", json={"message": question}).json()
        text = json.dumps(answer, ensure_ascii=False)
        assert (PASSAGE_WORDS in text) is sees, (who, answer["answer"])
        assert any(s["source"] == "zebra-2025.md" for s in answer["sources"]) is sees
        stream = client.post("/api/chat/stream", json={"message": question}).text
        assert (PASSAGE_WORDS in stream) is sees, who
        draft = client.post("/api/drafts", json={"chapter": "index", "year": 2025}).json()
        assert (PASSAGE_WORDS in json.dumps(draft, ensure_ascii=False)) is sees, who


def test_upload_above_own_clearance_and_bad_level_are_refused(
    clients: dict[str, httpx.Client], tmp_path: Path
) -> None:
    editor = clients["editor"]
    r = editor.post(
        "/api/documents",
        files={"file": ("x.md", b"# X\n\nText.\n", "text/markdown")},
        data={"level": "hemlig"},
    )
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "level" and "känslig" in r.json()["error"]["message"]
    # a reader may neither upload nor delete documents
    reader = clients["reader"]
    assert reader.delete("/api/documents/zebra-2025.md").status_code == 403


def test_model_mode_never_sends_a_passage_above_clearance(
    tmp_path: Path, model: FakeOpenAIServer
) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        auth="on",
        rate_limit_per_minute=0,
        llm_base_url=model.base_url,
        llm_api_key="test",
        llm_model="fake-model",
    )
    services = Services(settings)
    keys = _keys(services)
    services.store.ingest_file(
        _write(tmp_path, "zebra-2025.md", SECRET_DOC), level=SecurityLevel.KANSLIG
    )

    def answer_from_tool(request: dict[str, Any]) -> dict[str, Any]:
        tool = [m for m in request["messages"] if m.get("role") == "tool"]
        return {"content": "Enligt sökningen: " + (tool[-1]["content"][:400] if tool else "inget")}

    with serve(create_app(settings, services)) as url:
        for who, sees in (("reader", False), ("editor", True)):
            model.script(
                {"tool_calls": [{"name": "search_documents", "arguments": {"query": PHRASE}}]},
                answer_from_tool,
            )
            with httpx.Client(base_url=url, headers=_auth(keys[who]), timeout=120) as client:
                r = client.post("/api/chat", json={"message": f"Vad säger {PHRASE}?"})
            assert r.status_code == 200, r.text
            sent_to_model = json.dumps(model.requests, ensure_ascii=False)
            # the question names the phrase; the passage's own words must not reach the model
            assert (PASSAGE_WORDS in sent_to_model) is sees, who
            assert (PASSAGE_WORDS in r.json()["answer"]) is sees, who


def _write(folder: Path, name: str, body: bytes) -> Path:
    path = folder / name
    path.write_bytes(body)
    return path


def test_level_names() -> None:
    assert SecurityLevel.parse("Känslig") is SecurityLevel.KANSLIG
    assert SecurityLevel.parse("oppen") is SecurityLevel.OPPEN
    assert SecurityLevel.parse("internal") is SecurityLevel.INTERN
    assert SecurityLevel.parse(2) is SecurityLevel.KANSLIG
    with pytest.raises(InvalidLevelError) as err:
        SecurityLevel.parse("topphemlig", field="--level")
    assert err.value.data["field"] == "--level"
    assert SecurityLevel.KANSLIG.label == "känslig"
