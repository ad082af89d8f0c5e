from __future__ import annotations

import json

import pytest

from assistant.tools import ToolRegistry
from index_engine import compute_year, figure_series
from tests.assistant.chat_support import sample_dataset


@pytest.fixture(scope="module")
def tools() -> ToolRegistry:
    return ToolRegistry(sample_dataset(), retriever=None)


def test_schemas_are_openai_tools_with_json_schema(tools: ToolRegistry) -> None:
    schemas = tools.schemas()
    names = {s["function"]["name"] for s in schemas}
    assert {
        "get_index",
        "compare_years",
        "dimios_breakdown",
        "employee_survey",
        "portfolio",
        "list_initiatives",
        "benefit_register",
        "search_documents",
        "classify_initiative",
        "draft_chapter",
    } <= names
    for s in schemas:
        assert s["type"] == "function"
        params = s["function"]["parameters"]
        assert params["type"] == "object" and isinstance(params["properties"], dict)
        json.dumps(s)


def test_get_index_has_provenance_and_matches_engine(tools: ToolRegistry) -> None:
    result = tools.call("get_index", {"year": 2025})
    fig = result["figures"]["index"]
    engine = compute_year(sample_dataset(), 2025).figures["index"]
    assert fig["display"] == engine.display == "8,2"
    assert fig["formula"] and fig["n"] == engine.n
    assert fig["previous_year"] == 2024 and fig["change_display"]
    json.dumps(result)


def test_compare_years_series_and_change(tools: ToolRegistry) -> None:
    result = tools.call("compare_years", {"figure": "resultat", "from_year": 2023})
    years = [f["year"] for f in result["series"]]
    assert years == [f.year for f in figure_series(sample_dataset(), "resultat") if f.year >= 2023]
    assert result["series"][0]["display"] == "9,2"
    assert result["change_display"]


def test_portfolio_filters_and_list(tools: ToolRegistry) -> None:
    ds = sample_dataset()
    frame = ds.initiatives[
        (ds.initiatives["year"] == 2025) & (ds.initiatives["objekt"] == "Social omsorg")
    ]
    strategic = frame[frame["operativt_strategiskt"] >= 4]
    result = tools.call(
        "portfolio", {"year": 2025, "objekt": "social omsorg", "operativt_strategiskt_min": 4}
    )
    assert result["count"] == len(strategic)
    assert result["objekt_total"] == len(frame)
    listed = tools.call(
        "list_initiatives",
        {"year": 2025, "objekt": "Social omsorg", "operativt_strategiskt_min": 4, "limit": 50},
    )
    assert sorted(r["title"] for r in listed["initiatives"]) == sorted(strategic["title"])
    unfiltered = tools.call("portfolio", {"year": 2025})
    assert list(unfiltered["per_objekt"])[0] == "Ledning och styrning"


def test_text_filter_status_and_benefits(tools: ToolRegistry) -> None:
    done = tools.call("list_initiatives", {"year": 2025, "status": "genomförd", "limit": 200})
    assert done["count"] > 0 and all(r["status"] == "genomförd" for r in done["initiatives"])
    benefits = tools.call("benefit_register", {"year": 2025})
    assert benefits["count"] > 0 and benefits["nyttorealisering"]["display"]
    emp = tools.call("employee_survey", {"year": 2025})
    assert emp["figures"]["medarbetare_medel"]["display"] == "3,72"
    dimios = tools.call("dimios_breakdown", {"year": 2025, "by": "dimension"})
    assert {r["name"] for r in dimios["rows"]} == {"Digital förmåga", "Digitalt arv"}


def test_errors_come_back_as_data_not_exceptions(tools: ToolRegistry) -> None:
    assert "error" in tools.call("nope", {})
    assert "objekt måste vara en av" in tools.call("portfolio", {"objekt": "Månen"})["error"]
    assert "error" in tools.call("compare_years", {"figure": "påhittad"})
    assert "error" in tools.call("get_index", {"year": 1999})
    assert "error" in tools.call("search_documents", {"query": "x"})  # no retriever
    assert "error" in tools.call("classify_initiative", {"title": "x"})  # no classifier
    # unknown argument names are dropped, not fatal
    assert "figures" in tools.call("get_index", {"year": 2025, "bogus": 1})
