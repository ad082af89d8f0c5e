"""The drafts and charts routes through the real app (TestClient, bundled sample data)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient

from tests.conftest import SAMPLE_DIR
from web.app import create_app
from web.settings import Settings


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(data_dir=tmp_path / "data", dataset_dir=SAMPLE_DIR))
    with TestClient(app) as c:
        yield c


def test_chapters(client: TestClient) -> None:
    r = client.get("/api/drafts/chapters")
    assert r.status_code == 200
    chapters = r.json()["chapters"]
    assert [c["key"] for c in chapters] == [
        "index",
        "mognad",
        "medarbetare",
        "resultat",
        "portfolj",
        "nytta",
    ]
    assert chapters[0] == {"key": "index", "title": "Årets resultat"}


def test_post_draft_returns_markdown_figures_and_charts(client: TestClient) -> None:
    r = client.post("/api/drafts", json={"chapter": "index", "year": 2025})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["chapter"] == "index" and body["year"] == 2025
    assert body["title"] == "Årets resultat"
    assert "digitaliseringsindex är 8,2" in body["markdown"]
    assert any(f["key"] == "index" and f["display"] == "8,2" for f in body["figures"])
    assert body["sources"] == []
    assert body["mode"] == "offline"
    chart = body["charts"][0]
    assert chart["name"] == "index_trend" and chart["caption"]
    svg = client.get(chart["url"])
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.content.lstrip().startswith(b"<?xml")


def test_post_draft_errors(client: TestClient) -> None:
    r = client.post("/api/drafts", json={"chapter": "framtid", "year": 2025})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "unknown_chapter"
    assert error["valid"][0] == "index"
    assert "mognad" in error["message"]

    r = client.post("/api/drafts", json={"chapter": "index", "year": 1999})
    assert r.status_code == 404
    assert "1999" in r.json()["error"]["message"]

    r = client.post("/api/drafts", json={"chapter": "index"})
    assert r.status_code == 422


def test_docx_download(client: TestClient) -> None:
    r = client.get("/api/drafts/portfolj/2025.docx")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert 'filename="portfolj-2025.docx"' in r.headers["content-disposition"]
    doc = Document(io.BytesIO(r.content))
    assert len(doc.inline_shapes) == 4
    assert any("Ledning och styrning" in p.text for p in doc.paragraphs)


def test_chart_route_png_svg_and_errors(client: TestClient) -> None:
    r = client.get("/api/charts/dimios", params={"year": 2025, "format": "png"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/png"
    assert r.content.startswith(b"\x89PNG")
    latest = client.get("/api/charts/objekt")  # defaults: latest year, SVG
    assert latest.status_code == 200 and latest.headers["content-type"].startswith("image/svg")

    r = client.get("/api/charts/paj", params={"year": 2025})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "unknown_chart"
    assert client.get("/api/charts/objekt", params={"year": 1999}).status_code == 404
    assert client.get("/api/charts/objekt", params={"format": "gif"}).status_code == 422
