"""Digitaliseringsindex and every figure behind it, computed deterministically from tables.

Public API (see ``docs/architecture.md``)::

    from index_engine import load_dataset, compute_year, figure_series, fmt_number

    ds = load_dataset(Path("data/sample"))
    report = compute_year(ds, 2025)
    report.figures["index"].display   # "8,2"
"""

from index_engine.engine import (
    DEFAULT_BENEFIT_CAP,
    available_years,
    compute_all,
    compute_year,
    figure_keys,
    figure_series,
    spec_for,
)
from index_engine.errors import (
    DataValidationError,
    IndexEngineError,
    InvalidScenarioError,
    NoDataForYearError,
    Problem,
    UnknownFigureError,
)
from index_engine.explain import (
    COMPONENTS,
    EXPLAINABLE,
    ChangeExplanation,
    Contribution,
    explain_change,
)
from index_engine.formatting import fmt_change, fmt_number, fmt_percent, parse_number
from index_engine.loaders import (
    DEFAULT_OBJEKT,
    TABLE_COLUMNS,
    TABLE_NAMES,
    Dataset,
    load_dataset,
    load_initiatives_file,
    read_table,
    validate_tables,
)
from index_engine.model import (
    AREA_DIMENSION,
    AREAS,
    AXES,
    AXIS_MEANINGS,
    BENEFIT_KINDS,
    DELIVERED_STATUS,
    DIMENSIONS,
    FIGURE_SPECS,
    STATUSES,
    DimiosResult,
    EmployeeResult,
    Figure,
    FigureSpec,
    PortfolioResult,
    YearReport,
)
from index_engine.simulate import (
    INPUT_RANGES,
    TARGET_INPUTS,
    SimulatedFigure,
    Simulation,
    TargetResult,
    feeds,
    simulate,
    solve_target,
    target_paths,
)

__all__ = [
    "COMPONENTS",
    "EXPLAINABLE",
    "INPUT_RANGES",
    "TARGET_INPUTS",
    "ChangeExplanation",
    "Contribution",
    "InvalidScenarioError",
    "SimulatedFigure",
    "Simulation",
    "TargetResult",
    "explain_change",
    "feeds",
    "simulate",
    "solve_target",
    "target_paths",
    "AREAS",
    "AREA_DIMENSION",
    "AXES",
    "AXIS_MEANINGS",
    "BENEFIT_KINDS",
    "DEFAULT_BENEFIT_CAP",
    "DEFAULT_OBJEKT",
    "DELIVERED_STATUS",
    "DIMENSIONS",
    "FIGURE_SPECS",
    "STATUSES",
    "TABLE_COLUMNS",
    "TABLE_NAMES",
    "DataValidationError",
    "Dataset",
    "DimiosResult",
    "EmployeeResult",
    "Figure",
    "FigureSpec",
    "IndexEngineError",
    "NoDataForYearError",
    "PortfolioResult",
    "Problem",
    "UnknownFigureError",
    "YearReport",
    "available_years",
    "compute_all",
    "compute_year",
    "figure_keys",
    "figure_series",
    "fmt_change",
    "fmt_number",
    "fmt_percent",
    "load_dataset",
    "load_initiatives_file",
    "parse_number",
    "read_table",
    "spec_for",
    "validate_tables",
]
