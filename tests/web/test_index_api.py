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


def test_explain_the_2025_index(client: TestClient) -> None:
    r = client.get("/api/index/2025/explain", params={"figure": "index", "base": 2024})
    assert r.status_code == 200
    body = r.json()
    assert (body["base_display"], body["display"]) == ("8,1", "8,2")
    parts = body["contributions"]
    assert [p["key"] for p in parts] == ["forutsattningar", "resultat", "nytta"]
    assert sum(p["contribution"] for p in parts) == pytest.approx(body["change"], abs=1e-9)
    assert body["largest_up"] == "resultat" and body["largest_down"] == "nytta"
    assert body["drivers_up"] and body["drivers_down"]
    resultat = parts[1]["children"][0]  # genomförandegrad
    assert {c["kind"] for c in resultat["children"]} == {"objekt"}
    assert all(c["level"] is not None and c["mix"] is not None for c in resultat["children"])


def test_explain_defaults_to_the_year_before_and_rejects_unknowns(client: TestClient) -> None:
    body = client.get("/api/index/2025/explain?figure=digital_mognad").json()
    assert body["base_year"] == 2024 and body["largest_up"] == "digital_formaga"
    r = client.get("/api/index/2025/explain?figure=okänd")
    assert r.status_code == 404 and "okänd" in r.json()["error"]["message"]
    assert client.get("/api/index/2019/explain").status_code == 404


def test_simulate_overrides_and_target(client: TestClient) -> None:
    r = client.post(
        "/api/index/2025/simulate",
        json={"overrides": {"genomforandegrad": 95}, "target": {"figure": "index", "value": 8.5}},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    figures = {f["key"]: f for f in body["simulation"]["figures"]}
    assert figures["resultat"]["simulated_display"] == "9,5"
    assert figures["index"]["display"] == "8,2"
    targets = body["targets"]
    assert [t["vary"] for t in targets][0] == "genomforandegrad"
    reachable = [t for t in targets if t["reachable"]]
    assert reachable and all(t["simulation"] for t in reachable)
    for t in reachable:
        index = next(f for f in t["simulation"]["figures"] if f["key"] == "index")
        assert index["simulated"] == pytest.approx(8.5, abs=1e-9)


def test_simulate_one_input_towards_a_target(client: TestClient) -> None:
    r = client.post(
        "/api/index/2025/simulate",
        json={"target": {"figure": "index", "value": 9.9}, "vary": "medarbetare_medel"},
    )
    (t,) = r.json()["targets"]
    assert t["reachable"] is False and t["best_display"] == "5,00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"overrides": {"genomforandegrad": 120}}, "overrides.genomforandegrad"),
        ({"overrides": {"okänd": 1}}, "overrides.okänd"),
        ({"completed": ["finns-inte"]}, "completed"),
        ({"target": {"figure": "index", "value": 8.5}, "vary": "index"}, "vary"),
    ],
)
def test_simulate_rejects_impossible_scenarios_in_swedish(
    client: TestClient, body: dict, field: str
) -> None:
    r = client.post("/api/index/2025/simulate", json=body)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_scenario" and error["field"] == field
    assert "Traceback" not in r.text


def test_simulate_refuses_unknown_fields(client: TestClient) -> None:
    r = client.post("/api/index/2025/simulate", json={"override": {"nytta": 9}})
    assert r.status_code == 422


def test_a_target_for_a_component_tries_only_its_inputs(client: TestClient) -> None:
    r = client.post(
        "/api/index/2025/simulate", json={"target": {"figure": "resultat", "value": 9.5}}
    )
    assert r.status_code == 200, r.text
    assert [t["vary"] for t in r.json()["targets"]] == ["genomforandegrad"]
