from pathlib import Path

from fastapi.testclient import TestClient

from index_engine.loaders import DEFAULT_OBJEKT
from web.app import create_app
from web.settings import Settings


def test_healthz_reports_mode_years_and_the_configured_objekt(_isolated_data_dir: Path) -> None:
    with TestClient(create_app(Settings(data_dir=_isolated_data_dir))) as client:
        body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["mode"] == "offline"
    assert body["years"] == [2022, 2023, 2024, 2025]
    # The UI offers exactly this list in the classify form.
    assert body["objekt"] == list(DEFAULT_OBJEKT)
