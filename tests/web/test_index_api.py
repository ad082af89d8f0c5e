"""``/api/index`` and ``/api/figures`` through the real app (create_app + TestClient)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from web.app import create_app
from web.settings import Settings


@pytest.fixture
def client(sample_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(dataset_dir=sample_dir, data_dir=tmp_path / "data"))
    with TestClient(app) as c:
        yield c


def test_years(client: TestClient) -> None:
    r = client.get("/api/index")
    assert r.status_code == 200
    assert r.json() == {"years": [2022, 2023, 2024, 2025], "latest": 2025}


def test_year_report(client: TestClient) -> None:
    r = client.get("/api/index/2025")
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {
        "year",
        "figures",
        "dimios",
        "employee",
        "genomforande_by_objekt",
        "nytta_by_kind",
        "portfolio",
    }
    f = body["figures"]
    assert f["index"]["display"] == "8,2"
    assert f["index"]["previous_year"] == 2024
    assert f["digital_mognad"]["display"] == "65,1 %"
    assert f["medarbetare_medel"]["display"] == "3,72"
    assert f["genomforandegrad"]["inputs"] == {
        "genomforda": 50,
        "beslutade": 57,
        "status": {"genomförd": 50, "pausad": 1, "pågående": 6},
    }
    assert body["dimios"]["by_dimension"]["Digital förmåga"]["key"] == "digital_formaga"
    assert body["portfolio"]["count"] == 57
    assert list(body["portfolio"]["per_objekt"])[0] == "Ledning och styrning"
    assert body["employee"]["mean"]["display"] == "3,72"


def test_year_without_data_is_404_in_swedish(client: TestClient) -> None:
    r = client.get("/api/index/2019")
    assert r.status_code == 404
    err = r.json()["error"]
    assert err["code"] == "no_data_for_year"
    assert "Det finns ingen data för 2019" in err["message"]
    assert err["available"] == [2022, 2023, 2024, 2025]


def test_figure_series(client: TestClient) -> None:
    r = client.get("/api/figures/resultat")
    assert r.status_code == 200
    body = r.json()
    assert body["key"] == "resultat"
    assert [(f["year"], f["display"]) for f in body["series"]] == [
        (2023, "9,2"),
        (2024, "8,5"),
        (2025, "8,8"),
    ]
    r = client.get("/api/figures/genomforandegrad.Social omsorg")
    assert r.status_code == 200 and len(r.json()["series"]) == 3


def test_unknown_figure_is_404(client: TestClient) -> None:
    r = client.get("/api/figures/hittepa")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "unknown_figure"
    assert "hittepa" in r.json()["error"]["message"]


def test_bad_year_parameter_is_422(client: TestClient) -> None:
    r = client.get("/api/index/tjugo")
    assert r.status_code == 422
