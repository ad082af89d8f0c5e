"""``GET /api/search`` through the real app (TestClient) on a copy of the embedded report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.ingest.helpers import REPORT_SOURCE, copy_report_store
from web.app import create_app
from web.settings import Settings


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    data = copy_report_store(tmp_path / "data")
    with TestClient(create_app(Settings(data_dir=data))) as c:
        yield c


def test_search_returns_hits_with_fields(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "Hur stor var svarsfrekvensen i mätningen?", "k": 3})
    assert r.status_code == 200
    hits = r.json()["hits"]
    assert len(hits) == 3
    assert set(hits[0]) >= {"text", "source", "section", "title", "page", "score"}
    assert hits[0]["source"] == REPORT_SOURCE
    assert "5.4.1" in [h["section"] for h in hits]
    assert hits[0]["score"] >= hits[-1]["score"]


def test_search_filters_and_modes(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "index", "k": 5, "section": "4", "mode": "bm25"})
    assert r.status_code == 200
    assert {h["section"] for h in r.json()["hits"]} <= {"4", "4.1"}
    r = client.get("/api/search", params={"q": "index", "year": 2019})
    assert r.status_code == 200 and r.json()["hits"] == []


@pytest.mark.parametrize(
    "params",
    [{"q": ""}, {"q": "x", "k": 0}, {"q": "x", "k": 500}, {"q": "x", "mode": "magic"},
     {"q": "x", "section": "fem"}],
)  # fmt: skip
def test_bad_parameters_are_422(client: TestClient, params: dict[str, object]) -> None:
    r = client.get("/api/search", params=params)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_request"
