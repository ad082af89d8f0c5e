"""``/api/documents``: upload (multipart) with type/size/content checks, list and delete."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.ingest.helpers import encrypted_pdf, tiny_pdf
from web.app import create_app
from web.settings import Settings


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture()
def client(data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=data_dir, max_upload_mb=0.05))) as c:
        yield c


MD = "# Cykelrapport 2024\n\n## 1. Parkering\n\nSensorer räknar lediga cykelplatser.\n".encode()


def test_upload_list_search_delete(client: TestClient, data_dir: Path) -> None:
    r = client.post("/api/documents", files={"file": ("cykel-2024.md", MD, "text/markdown")})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == {
        "source": "cykel-2024.md",
        "status": "added",
        "chunks": 1,
        "title": body["title"],
        "level": "intern",
    }
    assert body["title"] == "Cykelrapport 2024"
    assert (data_dir / "uploads" / "cykel-2024.md").read_bytes() == MD
    again = client.post("/api/documents", files={"file": ("cykel-2024.md", MD, "text/markdown")})
    assert again.json()["status"] == "unchanged"
    docs = client.get("/api/documents").json()["documents"]
    assert docs == [
        {"source": "cykel-2024.md", "title": "Cykelrapport 2024", "year": 2024, "chunks": 1,
         "kind": "report", "level": "intern", "uploaded_by": "lokal"}
    ]  # fmt: skip
    hits = client.get("/api/search", params={"q": "cykelplatser", "k": 1}).json()["hits"]
    assert hits[0]["source"] == "cykel-2024.md"
    r = client.delete("/api/documents/cykel-2024.md")
    assert r.status_code == 200 and r.json() == {"deleted": 1}
    assert client.get("/api/documents").json()["documents"] == []
    assert not (data_dir / "uploads" / "cykel-2024.md").exists()
    r = client.delete("/api/documents/cykel-2024.md")
    assert r.status_code == 404 and "cykel-2024.md" in r.json()["error"]["message"]


def test_pdf_upload_keeps_pages(client: TestClient) -> None:
    pdf = tiny_pdf([["1. Inledning", "Första sidan om parkering."], ["2. Mer", "Andra sidan."]])
    r = client.post("/api/documents", files={"file": ("rapport.pdf", pdf, "application/pdf")})
    assert r.status_code == 200 and r.json()["status"] == "added"
    hits = client.get("/api/search", params={"q": "Andra sidan", "k": 2, "mode": "bm25"}).json()
    assert hits["hits"][0]["page"] == 2


@pytest.mark.parametrize(
    ("name", "content", "status", "code"),
    [
        ("bild.png", b"\x89PNG\r\n", 415, "unsupported_file_type"),
        ("stor.txt", b"a" * 60_000, 413, "file_too_large"),
        ("tom.txt", b"", 400, "document_parse_error"),
        ("binar.txt", b"\x00\x01\x02" * 300, 400, "document_parse_error"),
        ("trasig.pdf", b"%PDF-1.4 trasig", 400, "document_parse_error"),
        ("hemlig.pdf", encrypted_pdf(tiny_pdf([["Hemligt."]])), 400, "document_parse_error"),
    ],
)
def test_bad_uploads_are_refused_and_change_nothing(
    client: TestClient, data_dir: Path, name: str, content: bytes, status: int, code: str
) -> None:
    r = client.post("/api/documents", files={"file": (name, content, "application/octet-stream")})
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["code"] == code and name in err["message"]
    assert client.get("/api/documents").json()["documents"] == []
    uploads = data_dir / "uploads"
    assert not uploads.exists() or list(uploads.iterdir()) == []
