"""Every chart renders from the sample data as valid PNG and deterministic SVG."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from matplotlib.image import imread

from assistant.charts import CHARTS, decimal_comma, draw_chart, render_chart
from assistant.errors import DraftDataMissingError, InvalidInputError, UnknownChartError
from index_engine import NoDataForYearError, load_dataset
from index_engine.loaders import Dataset
from tests.conftest import SAMPLE_DIR

CONTRACT_NAMES = [
    "index_trend",
    "dimios",
    "portfolj_bubblor",
    "portfolj_medel",
    "extern_intern",
    "objekt",
]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(SAMPLE_DIR)


def test_the_contract_chart_names_exist() -> None:
    assert set(CONTRACT_NAMES) <= set(CHARTS)


@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_renders_as_png_and_svg(dataset: Dataset, name: str) -> None:
    png = render_chart(dataset, name, 2025, "png")
    image = imread(io.BytesIO(png), format="png")
    height, width = image.shape[:2]
    assert width >= 800 and height >= 400
    assert image.std() > 0  # not a blank canvas

    svg = render_chart(dataset, name, 2025, "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert b"<dc:date>" not in svg  # no timestamp
    assert render_chart(dataset, name, 2025, "svg") == svg  # deterministic


def test_captions_are_swedish_and_name_the_year(dataset: Dataset) -> None:
    chart = draw_chart(dataset, "objekt", 2025, "svg")
    assert chart.caption == "Antal digitaliseringsinitiativ per objekt 2025."
    assert chart.media_type == "image/svg+xml"
    medel = draw_chart(dataset, "portfolj_medel", 2025, "png")
    assert "2023, 2024, 2025" in medel.caption


def test_axis_ticks_use_decimal_comma() -> None:
    assert decimal_comma(2.5) == "2,5"
    assert decimal_comma(8.0) == "8"
    assert decimal_comma(64.25) == "64,3"


def test_unknown_chart_and_format(dataset: Dataset) -> None:
    with pytest.raises(UnknownChartError) as info:
        render_chart(dataset, "paj", 2025, "png")
    assert "index_trend" in info.value.message
    with pytest.raises(InvalidInputError):
        render_chart(dataset, "objekt", 2025, "gif")  # type: ignore[arg-type]


def test_year_without_the_charts_data(dataset: Dataset) -> None:
    with pytest.raises(NoDataForYearError):
        render_chart(dataset, "objekt", 1999, "svg")
    first = dataset.years()[0]
    if dataset.initiatives[dataset.initiatives["year"] == first].empty:
        with pytest.raises(DraftDataMissingError):
            render_chart(dataset, "portfolj_bubblor", first, "svg")
