"""``/api/verified`` and ``/api/feedback`` over HTTP, with keys and roles on (real app, SQLite).

An editor verifies an answer of their own conversation; a reader asking a paraphrase gets it,
labelled in the JSON (``verified: {id, by, at}``), also in the stream's ``done`` event. Readers
rate their own answers; editors list the ratings (negative first), open the conversation and turn
a rated answer into a verified one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.test_chat_api import parse_sse
from web.app import create_app
from web.services import Services
from web.settings import Settings


@pytest.fixture()
def app(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, dict[str, str]], Services]]:
    settings = Settings(
        data_dir=tmp_path / "data", auth="on", rate_limit_per_minute=0, verified_seed=False
    )
    services = Services(settings)
    keys = {}
    for name, role in (("Eva Redaktör", "editor"), ("Rut Läsare", "reader"), ("Per", "reader")):
        record, key = services.storage.create_api_key(name, role)
        keys[name.split()[0].lower()] = {"X-API-Key": key, "id": record["id"]}
    with TestClient(create_app(settings, services)) as client:
        yield client, keys, services


def headers(keys: dict[str, dict[str, str]], who: str) -> dict[str, str]:
    return {"X-API-Key": keys[who]["X-API-Key"]}


def ask(client: TestClient, who: dict[str, str], question: str, cid: str | None = None) -> Any:
    body = {"message": question, **({"conversation_id": cid} if cid else {})}
    r = client.post("/api/chat", json=body, headers=who)
    assert r.status_code == 200, r.text
    return r.json()


def test_an_editor_verifies_and_a_reader_gets_it_for_a_paraphrase(app: Any) -> None:
    client, keys, services = app
    eva, rut = headers(keys, "eva"), headers(keys, "rut")
    first = ask(client, eva, "Vad blev digitaliseringsindex 2025?")
    assert "verified" not in first

    # readers may not verify; a question (not an answer) is refused with the field named
    body = {"conversation_id": first["conversation_id"], "message_index": 1}
    assert client.post("/api/verified", json=body, headers=rut).status_code == 403
    r = client.post("/api/verified", json={**body, "message_index": 0}, headers=eva)
    assert r.status_code == 422 and r.json()["error"]["field"] == "message_index"
    r = client.post("/api/verified", json={"message_index": 1}, headers=eva)
    assert r.status_code == 422
    assert "conversation_id" in r.json()["error"]["problems"][0]["message"]

    edited = first["answer"].split("\n\n")[0] + " Granskat av digitaliseringsenheten."
    r = client.post("/api/verified", json={**body, "answer": edited}, headers=eva)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["by"] == "Eva Redaktör" and created["answer"] == edited
    assert {f["key"] for f in created["figures"]} >= {"index", "forutsattningar", "nytta"}
    assert created["unlinked_numbers"] == [] and created["warnings"] == []

    listed = client.get("/api/verified", headers=rut)
    assert listed.status_code == 200
    assert [v["id"] for v in listed.json()["verified"]] == [created["id"]]
    assert "embedding" not in listed.json()["verified"][0]

    answer = ask(client, rut, "Vad landade digitaliseringsindex på för 2025?")
    assert answer["verified"]["id"] == created["id"]
    assert answer["verified"]["by"] == "Eva Redaktör" and answer["verified"]["at"]
    assert answer["answer"] == edited and answer["tool_calls"][0]["result"]["figures"]

    # the stream says so in its done event
    with client.stream(
        "POST",
        "/api/chat/stream",
        json={"message": "Vad blev digitaliseringsindex 2025?"},
        headers=rut,
    ) as r:
        events = parse_sse("".join(r.iter_text()))
    assert events[-1][0] == "done" and events[-1][1]["verified"]["id"] == created["id"]

    # another year is not the same question
    assert "verified" not in ask(client, rut, "Vad blev digitaliseringsindex 2024?")

    # numbers no tool gives are reported (they cannot be recomputed)
    r = client.post(
        "/api/verified", json={**body, "answer": "Indexet var 8,2, målet är 9,5."}, headers=eva
    )
    assert r.status_code == 201 and r.json()["unlinked_numbers"] == ["9,5"]
    assert "9,5" in r.json()["warnings"][0]

    assert client.delete(f"/api/verified/{created['id']}", headers=rut).status_code == 403
    r = client.delete(f"/api/verified/{created['id']}", headers=eva)
    assert r.status_code == 200 and r.json() == {"id": created["id"], "deleted": True}
    r = client.delete(f"/api/verified/{created['id']}", headers=eva)
    assert r.status_code == 404 and r.json()["error"]["code"] == "verified_not_found"
    events = {e["event"] for e in services.storage.audit_records()}
    assert {"verified_created", "verified_deleted"} <= events


def test_feedback_by_readers_listed_for_editors_and_turned_into_a_verified_answer(
    app: Any,
) -> None:
    client, keys, _ = app
    eva, rut, per = headers(keys, "eva"), headers(keys, "rut"), headers(keys, "per")
    first = ask(client, rut, "Vad blev digitaliseringsindex 2025?")
    cid = first["conversation_id"]
    ask(client, rut, "Hur hög var den digitala mognaden 2025?", cid)

    r = client.post(
        "/api/feedback",
        json={"conversation_id": cid, "message_index": 1, "rating": "up"},
        headers=rut,
    )
    assert r.status_code == 200, r.text
    assert r.json()["rating"] == "up" and "owner" not in r.json()
    r = client.post(
        "/api/feedback",
        json={"conversation_id": cid, "message_index": 3, "rating": "down", "comment": "Fel år"},
        headers=rut,
    )
    down = r.json()
    assert down["question"] == "Hur hög var den digitala mognaden 2025?"
    assert down["mode"] == "offline" and down["tool_calls"][0]["name"] == "get_index"

    # another reader cannot rate it (their view: no such conversation); bad input is named
    r = client.post(
        "/api/feedback",
        json={"conversation_id": cid, "message_index": 1, "rating": "up"},
        headers=per,
    )
    assert r.status_code == 404
    r = client.post(
        "/api/feedback",
        json={"conversation_id": cid, "message_index": 1, "rating": "meh"},
        headers=rut,
    )
    assert r.status_code == 422 and r.json()["error"]["problems"][0]["field"] == "rating"
    r = client.post(
        "/api/feedback",
        json={"conversation_id": cid, "message_index": 2, "rating": "up"},
        headers=rut,
    )
    assert r.status_code == 422 and r.json()["error"]["field"] == "message_index"

    # editors list it, the negative first; readers may not
    assert client.get("/api/feedback", headers=rut).status_code == 403
    listed = client.get("/api/feedback", headers=eva).json()["feedback"]
    assert [(f["message_index"], f["rating"]) for f in listed] == [(3, "down"), (1, "up")]
    assert listed[0]["comment"] == "Fel år" and listed[0]["created_by"] == "Rut Läsare"

    opened = client.get(f"/api/feedback/{down['id']}", headers=eva).json()
    assert [m["role"] for m in opened["conversation"]["messages"]] == [
        "user",
        "assistant",
        "user",
        "assistant",
    ]
    assert client.get("/api/feedback/999", headers=eva).status_code == 404

    corrected = "Den digitala mognaden 2025 var 65,1 % enligt DiMiOS."
    r = client.post(
        "/api/verified", json={"feedback_id": down["id"], "answer": corrected}, headers=eva
    )
    assert r.status_code == 201, r.text
    assert r.json()["conversation_id"] == cid and r.json()["message_index"] == 3
    again = ask(client, per, "Hur hög var den digitala mognaden 2025?")
    assert again["answer"] == corrected and again["verified"]["by"] == "Eva Redaktör"

    # the owner deletes the conversation: the feedback keeps question and answer
    assert client.delete(f"/api/conversations/{cid}", headers=rut).status_code == 200
    opened = client.get(f"/api/feedback/{down['id']}", headers=eva).json()
    assert opened["conversation"] is None and opened["answer"]
