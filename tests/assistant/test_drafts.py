"""Chapter drafts from the sample data: the published figures, the words, errors, footnotes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.drafts import CHAPTERS, FOOTNOTE_RE, chapter_list, draft_chapter
from assistant.errors import DraftDataMissingError, UnknownChapterError
from index_engine import NoDataForYearError, compute_year, load_dataset
from index_engine.loaders import Dataset
from tests.conftest import SAMPLE_DIR

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(SAMPLE_DIR)


def test_chapters_have_the_contract_keys() -> None:
    assert list(CHAPTERS) == ["index", "mognad", "medarbetare", "resultat", "portfolj", "nytta"]
    assert {"key": "mognad", "title": "Digital mognad"} in chapter_list()


def test_index_chapter_2025_states_the_published_figures(dataset: Dataset) -> None:
    draft = draft_chapter(dataset, "index", 2025)
    text = draft.markdown
    assert text.startswith("# Årets resultat 2025")
    assert "Årets sammanlagda digitaliseringsindex är 8,2." in text
    # the components, each with its own value
    assert "Förutsättningar 7,0" in text
    assert "Resultat 8,8" in text
    assert "Nytta 8,7" in text
    # the rise from 2024, in words, by the documented thresholds (0,1 on the index = liten)
    assert "en liten ökning från 8,1 år 2024" in text
    # figures used, with provenance
    keys = {(f["key"], f["year"]) for f in draft.figures}
    assert {("index", 2025), ("index", 2024), ("forutsattningar", 2025), ("nytta", 2025)} <= keys
    index = next(f for f in draft.figures if f["key"] == "index" and f["year"] == 2025)
    assert index["display"] == "8,2" and index["formula"] and index["n"] > 0
    assert [c.name for c in draft.charts] == ["index_trend"]
    assert draft.charts[0].png.startswith(PNG_MAGIC)
    assert draft.mode == "offline"


def test_every_number_in_the_index_draft_comes_from_the_engine(dataset: Dataset) -> None:
    draft = draft_chapter(dataset, "index", 2025)
    report = compute_year(dataset, 2025)
    body = draft.markdown.split("\n[^1]:")[0]
    displays = {f.display for f in report.figures.values()} | {f["display"] for f in draft.figures}
    for value in ("8,2", "7,0", "8,8", "8,7", "8,1"):
        assert value in displays
    # every decimal number in the prose is one of the figures' display strings
    for number in re.findall(r"\d+,\d+", FOOTNOTE_RE.sub("", body)):
        assert any(number in d for d in displays), number


def test_portfolj_names_ledning_och_styrning_as_the_largest_objekt(dataset: Dataset) -> None:
    draft = draft_chapter(dataset, "portfolj", 2025)
    assert "flest initiativ inom Ledning och styrning" in draft.markdown
    per_objekt = compute_year(dataset, 2025).portfolio.per_objekt
    top = next(iter(per_objekt))
    assert top == "Ledning och styrning"
    assert f"Ledning och styrning ({per_objekt[top]})" in draft.markdown
    portfolios = {f["year"]: f for f in draft.figures if f["key"] == "portfolj"}
    assert portfolios[2025]["inputs"]["per_objekt"] == per_objekt
    assert 2024 in portfolios  # the comparison with the previous year is listed too
    assert [c.name for c in draft.charts] == [
        "portfolj_bubblor",
        "portfolj_medel",
        "extern_intern",
        "objekt",
    ]


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_every_chapter_drafts_for_2025_with_footnotes_and_charts(
    dataset: Dataset, chapter: str
) -> None:
    draft = draft_chapter(dataset, chapter, 2025)
    text = draft.markdown
    assert text.startswith(f"# {CHAPTERS[chapter].title} 2025")
    assert "## Så mäts det" in text
    markers = {int(m) for m in FOOTNOTE_RE.findall(text.split("\n[^1]:")[0])}
    assert markers == set(range(1, len(draft.notes) + 1))
    for i, note in enumerate(draft.notes, start=1):
        assert f"[^{i}]: {note}" in text
    assert draft.figures, "a draft lists the figures it used"
    for chart in draft.charts:
        assert chart.png.startswith(PNG_MAGIC)
        assert f"![Figur {chart.number}." in text
    payload = draft.to_dict()
    assert set(payload) >= {"chapter", "year", "title", "markdown", "figures", "sources", "charts"}
    assert payload["charts"][0]["url"].startswith(f"/api/charts/{draft.charts[0].name}?year=2025")


def test_drafts_are_deterministic(dataset: Dataset) -> None:
    a = draft_chapter(dataset, "mognad", 2025)
    b = draft_chapter(dataset, "mognad", 2025)
    assert a.markdown == b.markdown
    assert a.figures == b.figures


def test_mognad_draft_states_recipients_and_response_rate(dataset: Dataset) -> None:
    text = draft_chapter(dataset, "mognad", 2025).markdown
    report = compute_year(dataset, 2025)
    assert f"digitala mognad 2025 är {report.figures['digital_mognad'].display}" in text
    assert report.figures["dimios_svarsfrekvens"].display in text
    assert "Digital förmåga" in text and "Digitalt arv" in text


def test_unknown_chapter_lists_the_valid_ones(dataset: Dataset) -> None:
    with pytest.raises(UnknownChapterError) as info:
        draft_chapter(dataset, "framtid", 2025)
    assert "framtid" in info.value.message
    for key in CHAPTERS:
        assert key in info.value.message
    assert info.value.to_dict()["valid"] == list(CHAPTERS)


def test_year_without_any_data_is_an_error(dataset: Dataset) -> None:
    with pytest.raises(NoDataForYearError):
        draft_chapter(dataset, "index", 1999)


def test_chapter_with_missing_figures_names_what_is_missing(dataset: Dataset) -> None:
    # The first year of the sample has DiMiOS answers but no published index.
    first = dataset.years()[0]
    assert "index" not in compute_year(dataset, first).figures
    with pytest.raises(DraftDataMissingError) as info:
        draft_chapter(dataset, "index", first)
    err = info.value
    assert "Digitaliseringsindex" in err.message
    assert str(first) in err.message
    assert 2025 in err.to_dict()["available"]


def test_without_retriever_the_draft_says_so(dataset: Dataset) -> None:
    draft = draft_chapter(dataset, "nytta", 2025)
    assert draft.sources == ()
    assert any("avsnitt" in w for w in draft.warnings)


def test_markdown_bundle_links_chart_files(dataset: Dataset, tmp_path: Path) -> None:
    from assistant.drafts import markdown_bundle

    draft = draft_chapter(dataset, "index", 2025)
    files = markdown_bundle(draft, tmp_path / "kapitel.md")
    assert set(files) == {tmp_path / "kapitel.md", tmp_path / "kapitel-index_trend.png"}
    assert "](kapitel-index_trend.png)" in files[tmp_path / "kapitel.md"].decode()


def test_every_chapter_for_every_year_drafts_or_names_what_is_missing(dataset: Dataset) -> None:
    for year in dataset.years():
        figures = compute_year(dataset, year).figures
        for key, spec in CHAPTERS.items():
            has_all = all(k in figures and figures[k].value is not None for k in spec.required)
            if has_all:
                draft = draft_chapter(dataset, key, year)
                assert draft.markdown.startswith(f"# {spec.title} {year}")
                assert all(str(year) in c.caption or c.name == "index_trend" for c in draft.charts)
            else:
                with pytest.raises(DraftDataMissingError) as info:
                    draft_chapter(dataset, key, year)
                assert year not in info.value.to_dict()["available"]
                assert info.value.to_dict()["missing"]
