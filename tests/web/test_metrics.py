"""``GET /metrics`` over real HTTP: Prometheus text parsed by prometheus-client's own parser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.assistant.fake_openai import FakeOpenAIServer
from tests.web.ui_helpers import serve
from web.app import create_app
from web.services import Services
from web.settings import Settings


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of an exposition: (name, labels) -> value."""
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, frozenset(labels.items())), 0.0)


@pytest.fixture()
def keyed(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    settings = Settings(data_dir=tmp_path / "data", auth="on", rate_limit_per_minute=0)
    services = Services(settings)
    keys = {role: services.storage.create_api_key(role, role)[1] for role in ("reader", "admin")}
    with serve(create_app(settings, services)) as url:
        yield url, keys


def test_metrics_are_for_admins_and_label_routes_by_template(
    keyed: tuple[str, dict[str, str]],
) -> None:
    url, keys = keyed
    reader = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {keys['reader']}"})
    admin = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {keys['admin']}"})
    with reader, admin, httpx.Client(base_url=url) as anon:
        assert anon.get("/metrics").status_code == 401
        assert reader.get("/metrics").status_code == 403
        for key in ("index", "resultat", "finns_inte"):
            reader.get(f"/api/figures/{key}")
        anon.get("/api/index")
        anon.get("/ingen/sadan/sida")
        r = admin.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = r.text
    template = "/api/figures/{key}"
    total = "digirapport_http_requests_total"
    assert value(text, total, method="GET", route=template, status="200") == 2
    assert value(text, total, method="GET", route=template, status="404") == 1
    assert value(text, total, method="GET", route="/api/index", status="401") == 1
    assert value(text, total, method="GET", route="unmatched", status="404") == 1
    assert value(text, total, method="GET", route="/metrics", status="403") == 1
    count = "digirapport_http_request_duration_seconds_count"
    assert value(text, count, method="GET", route=template, status="200") == 2
    assert "finns_inte" not in text and "/ingen/sadan" not in text  # raw paths never labels


def test_answers_ingest_and_snapshot_age_are_counted(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", rate_limit_per_minute=0)
    doc = "# Cykelplan\n\nKommunen byggde 12 km cykelväg under 2024 och planerar mer.\n"
    with serve(create_app(settings)) as url, httpx.Client(base_url=url, timeout=300) as c:
        before = c.get("/metrics").text
        assert value(before, "digirapport_chat_answers_total", mode="offline") == 0
        assert "digirapport_retrieval_snapshot_age_seconds{" not in before  # nothing built yet
        up = c.post("/api/documents", files={"file": ("cykel.md", doc, "text/markdown")})
        assert up.status_code == 200, up.text
        bad = c.post("/api/documents", files={"file": ("trasig.pdf", b"%PDF-1.4 trasig", "x")})
        assert bad.status_code == 400, bad.text
        assert c.post("/api/chat", json={"message": "Vad blev indexet 2025?"}).status_code == 200
        c.get("/api/search", params={"q": "cykelväg"})
        text = c.get("/metrics").text
    assert value(text, "digirapport_chat_answers_total", mode="offline") == 1
    assert value(text, "digirapport_chat_answers_total", mode="llm") == 0
    assert value(text, "digirapport_model_fallbacks_total") == 0
    assert value(text, "digirapport_ingest_duration_seconds_count", status="added") == 1
    assert value(text, "digirapport_ingest_duration_seconds_count", status="failed") == 1
    assert value(text, "digirapport_ingest_failures_total") == 1
    age = value(text, "digirapport_retrieval_snapshot_age_seconds", collection="reports")
    assert 0 < age < 300


def test_model_fallbacks_and_ungrounded_numbers(tmp_path: Path) -> None:
    model = FakeOpenAIServer().start()
    try:
        settings = Settings(
            data_dir=tmp_path / "data",
            llm_base_url=model.base_url,
            llm_model="fake-model",
            llm_timeout=5,
            rate_limit_per_minute=0,
        )
        with serve(create_app(settings)) as url, httpx.Client(base_url=url, timeout=300) as c:
            model.script()  # every request fails: the offline responder answers
            failed = c.post("/api/chat", json={"message": "Vad blev indexet 2025?"}).json()
            assert failed["mode"] == "offline"
            model.script({"content": "Digitaliseringsindex 2025 blev 97,3 enligt mina källor."})
            made_up = c.post("/api/chat", json={"message": "Vad blev indexet 2025?"}).json()
            assert made_up["mode"] == "llm" and made_up["ungrounded_numbers"]
            text = c.get("/metrics").text
    finally:
        model.stop()
    assert value(text, "digirapport_model_fallbacks_total") == 1
    assert value(text, "digirapport_chat_answers_total", mode="offline") == 1
    assert value(text, "digirapport_chat_answers_total", mode="llm") == 1
    flagged = len(made_up["ungrounded_numbers"])
    assert value(text, "digirapport_ungrounded_numbers_total") == flagged
    assert value(text, "digirapport_answers_with_ungrounded_numbers_total", mode="llm") == 1


def test_each_app_has_its_own_registry(tmp_path: Path) -> None:
    one = create_app(Settings(data_dir=tmp_path / "a"))
    two = create_app(Settings(data_dir=tmp_path / "b"))
    with serve(one) as url_one, serve(two) as url_two:
        for _ in range(3):
            httpx.get(f"{url_one}/healthz")
        text_one = httpx.get(f"{url_one}/metrics").text
        text_two = httpx.get(f"{url_two}/metrics").text
    total = "digirapport_http_requests_total"
    assert value(text_one, total, method="GET", route="/healthz", status="200") == 3
    assert value(text_two, total, method="GET", route="/healthz", status="200") == 0
