"""Reading CSV (every dialect Swedish offices produce) and XLSX, and validating every problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from index_engine import (
    DataValidationError,
    compute_year,
    load_dataset,
    load_initiatives_file,
    read_table,
)

HEADER = [
    "id",
    "year",
    "title",
    "description",
    "objekt",
    "status",
    "innovation_effektivitet",
    "operativt_strategiskt",
    "extern_intern",
]
ROWS = [
    [
        "A1",
        "2025",
        "Digital signering av avtal",
        "Avtal signeras; arkiveras automatiskt.",
        "Ledning och styrning",
        "genomförd",
        "1",
        "1",
        "1",
    ],
    [
        "A2",
        "2025",
        "Sensorer för infartsparkering",
        'Lediga platser, "i realtid".',
        "Natur och trafik",
        "pågående",
        "4",
        "2",
        "5",
    ],
]


def _csv_text(delim: str, rows: list[list[str]] = ROWS, header: list[str] = HEADER) -> str:
    def cell(c: str) -> str:
        if delim in c or '"' in c or "," in c or ";" in c:
            return '"' + c.replace('"', '""') + '"'
        return c

    return "\r\n".join(delim.join(cell(c) for c in r) for r in [header, *rows]) + "\r\n"


@pytest.mark.parametrize("delim", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_dialects(tmp_path: Path, delim: str, encoding: str) -> None:
    path = tmp_path / "initiativ.csv"
    path.write_bytes(_csv_text(delim).encode(encoding))
    frame = load_initiatives_file(path)
    assert list(frame["id"]) == ["A1", "A2"]
    assert frame.loc[0, "title"] == "Digital signering av avtal"
    assert frame.loc[1, "description"] == 'Lediga platser, "i realtid".'
    assert frame.loc[0, "status"] == "genomförd"
    assert frame.loc[1, "objekt"] == "Natur och trafik"
    assert frame["extern_intern"].tolist() == [1, 5]
    assert str(frame["year"].dtype) == "int64"


def test_read_table_row_numbers_and_headers(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(" Year ; Recipients \n2025;220\n;\n2024;212\n", encoding="utf-8")
    t = read_table(path)
    assert list(t.columns) == ["year", "recipients"]
    assert list(t.index) == [2, 4]  # empty row 3 skipped, numbering kept
    assert t.loc[4, "recipients"] == "212"


def _write_benefits(folder: Path, lines: list[str], encoding: str = "utf-8") -> None:
    text = "initiative_id;year;kind;indicator;unit;baseline;expected;measured\n" + "\n".join(lines)
    (folder / "nyttoregister.csv").write_bytes((text + "\n").encode(encoding))


def test_decimal_comma_and_cp1252(tmp_path: Path) -> None:
    (tmp_path / "initiativ.csv").write_bytes(_csv_text(";").encode("cp1252"))
    _write_benefits(
        tmp_path,
        [
            "A1;2025;omställning;Frigjord tid;timmar;;1 200,5;600,25",
            'A2;2025;kvalitativ;Väntetid;dagar;3,2;1;"2,1"',
            "A2;2025;ekonomisk;Kostnad;kr;-100;100;0",
        ],
        encoding="cp1252",
    )
    ds = load_dataset(tmp_path)
    b = ds.benefits
    assert b["expected"].tolist() == pytest.approx([1200.5, 1.0, 100.0])
    assert b["measured"].tolist() == pytest.approx([600.25, 2.1, 0.0])
    assert b["baseline"].isna().tolist() == [True, False, False]
    assert b.loc[2, "baseline"] == -100
    assert b.loc[0, "kind"] == "omställning"
    rep = compute_year(ds, 2025)
    expected = ((600.25 / 1200.5) + (2.1 - 3.2) / (1 - 3.2) + 0.5) / 3 * 100
    assert rep.figures["nyttorealisering"].value == pytest.approx(expected)


def test_xlsx_written_by_openpyxl(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(
        [
            "ID",
            "Year",
            "Title",
            "Description",
            "Objekt",
            "Status",
            "Innovation_effektivitet",
            "Operativt strategiskt",
            "extern_intern",
        ]
    )
    ws.append(
        [
            "X1",
            2024,
            "Digital post",
            "Brev till digitala brevlådor.",
            "medborgar- och internservice",
            "Genomförd",
            1,
            3,
            3.0,
        ]
    )
    ws.append([None] * 9)
    ws.append(["X2", 2025, "AI-pilot bygglov", None, "Samhällsbyggnad", "pausad", 4, 3, 3])
    wb.save(tmp_path / "initiativ.xlsx")
    wbm = Workbook()
    wsm = wbm.active
    assert wsm is not None
    wsm.append(["year", "recipients"])
    wsm.append([2025, 220])
    wbm.save(tmp_path / "dimios_mottagare.xlsx")
    ds = load_dataset(tmp_path)
    assert ds.initiatives["id"].tolist() == ["X1", "X2"]
    assert ds.initiatives.loc[0, "objekt"] == "Medborgar- och internservice"
    assert ds.initiatives.loc[0, "status"] == "genomförd"
    assert ds.initiatives["extern_intern"].tolist() == [3, 3]
    assert ds.initiatives.loc[1, "description"] == ""
    assert ds.dimios_recipients["recipients"].tolist() == [220]
    assert ds.years() == [2024, 2025]


def test_xlsx_validation_row_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    ws.append(["X1", 2024, "T", "", "Fastighet", "genomförd", 1, 1, 1])
    ws.append(["X2", 2024, "T", "", "Fastighet", "genomförd", 1, 9, 1])
    wb.save(tmp_path / "initiativ.xlsx")
    with pytest.raises(DataValidationError) as err:
        load_dataset(tmp_path)
    (p,) = err.value.problems
    assert (p.file, p.row, p.column) == ("initiativ.xlsx", 3, "operativt_strategiskt")


def _problems(tmp_path: Path) -> list[tuple[str, int | None, str | None, str]]:
    with pytest.raises(DataValidationError) as err:
        load_dataset(tmp_path)
    return [(p.file, p.row, p.column, p.message) for p in err.value.problems]


def _write(path: Path, header: str, lines: list[str]) -> None:
    path.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")


INIT_HEADER = ";".join(HEADER)


def test_every_initiative_problem_is_listed(tmp_path: Path) -> None:
    _write(
        tmp_path / "initiativ.csv",
        INIT_HEADER,
        [
            "A1;2025;Titel;;Fastighet;genomförd;1;1;1",  # row 2 ok
            "A1;2025;Titel;;Fastighet;genomförd;1;1;1",  # row 3 duplicate id
            "A3;2025;Titel;;Månen;genomförd;1;1;1",  # row 4 unknown objekt
            "A4;2025;Titel;;Fastighet;klar;1;1;1",  # row 5 unknown status
            "A5;2025;Titel;;Fastighet;genomförd;0;6;2,5",  # row 6 axes
            "A6;tjugo;;;Fastighet;genomförd;1;1;1",  # row 7 year not a number, no title
        ],
    )
    probs = _problems(tmp_path)
    where = {(r, c) for _f, r, c, _m in probs}
    assert {
        (3, "id"),
        (4, "objekt"),
        (5, "status"),
        (6, "innovation_effektivitet"),
        (6, "operativt_strategiskt"),
        (6, "extern_intern"),
        (7, "year"),
        (7, "title"),
    } == where
    msgs = {(r, c): m for _f, r, c, m in probs}
    assert "rad 2" in msgs[(3, "id")] or "först på rad 2" in msgs[(3, "id")]
    assert "Månen" in msgs[(4, "objekt")]
    assert "klar" in msgs[(5, "status")]
    assert "skalan 1–5" in msgs[(6, "operativt_strategiskt")]
    assert "inte ett" in msgs[(6, "extern_intern")]
    assert all(f == "initiativ.csv" for f, *_ in probs)


def test_missing_column(tmp_path: Path) -> None:
    _write(
        tmp_path / "initiativ.csv",
        "id;year;title;objekt;status;innovation_effektivitet;operativt_strategiskt",
        ["A1;2025;T;Fastighet;genomförd;1;1"],
    )
    probs = _problems(tmp_path)
    assert [(r, c) for _f, r, c, _m in probs] == [(1, "extern_intern")]
    assert "saknas" in probs[0][3]


def test_benefit_problems(tmp_path: Path) -> None:
    _write(tmp_path / "initiativ.csv", INIT_HEADER, ["A1;2025;T;;Fastighet;genomförd;1;1;1"])
    _write_benefits(
        tmp_path,
        [
            "A1;2025;ekonomisk;Kostnad;kr;100;200;150",  # 2 ok
            "ZZ;2025;ekonomisk;Kostnad;kr;100;200;150",  # 3 unknown initiative
            "A1;2025;glädje;Kostnad;kr;100;200;150",  # 4 unknown kind
            "A1;2025;ekonomisk;Kostnad;kr;100;100;150",  # 5 expected == baseline
            "A1;2025;ekonomisk;Kostnad;kr;;0;150",  # 6 expected == empty baseline (0)
            "A1;2025;ekonomisk;Kostnad;kr;abc;200;150",  # 7 not a number
            "A1;2025;ekonomisk;Kostnad;kr;100;;150",  # 8 expected missing
        ],
    )
    probs = _problems(tmp_path)
    assert [(f, r, c) for f, r, c, _m in probs] == [
        ("nyttoregister.csv", 3, "initiative_id"),
        ("nyttoregister.csv", 4, "kind"),
        ("nyttoregister.csv", 7, "baseline"),
        ("nyttoregister.csv", 8, "expected"),
        ("nyttoregister.csv", 5, "expected"),
        ("nyttoregister.csv", 6, "expected"),
    ]
    assert "ZZ" in probs[0][3]


def test_dimios_and_employee_problems(tmp_path: Path) -> None:
    _write(
        tmp_path / "dimios_svar.csv",
        "year;respondent;verksamhet;dimension;area;statement;score",
        [
            "2025;r1;A;Digital förmåga;Effektivitet;P1;6",  # 2 ok
            "2025;r1;A;Digital förmåga;Effektivitet;P1;5",  # 3 duplicate answer
            "2025;r2;A;Digital förmåga;Teknik;P2;4",  # 4 area in other dimension
            "2025;r3;A;Digitalt kaos;Teknik;P2;4",  # 5 unknown dimension
            "2025;r4;A;Digitalt arv;Ekonomi;P2;4",  # 6 unknown area
            "2025;r5;A;Digitalt arv;Teknik;P3;7",  # 7 score off scale
        ],
    )
    _write(tmp_path / "dimios_mottagare.csv", "year;recipients", ["2025;1"])
    _write(tmp_path / "medarbetarenkat.csv", "year;verksamhet;score", ["2025;A;0", "2025;A;x"])
    probs = _problems(tmp_path)
    got = {(f, r, c) for f, r, c, _m in probs}
    assert got == {
        ("dimios_svar.csv", 3, "statement"),
        ("dimios_svar.csv", 4, "area"),
        ("dimios_svar.csv", 5, "dimension"),
        ("dimios_svar.csv", 6, "area"),
        ("dimios_svar.csv", 7, "score"),
        ("medarbetarenkat.csv", 2, "score"),
        ("medarbetarenkat.csv", 3, "score"),
    }


def test_more_respondents_than_recipients(tmp_path: Path) -> None:
    _write(
        tmp_path / "dimios_svar.csv",
        "year;respondent;verksamhet;dimension;area;statement;score",
        [
            "2025;r1;A;Digital förmåga;Effektivitet;P1;6",
            "2025;r2;A;Digital förmåga;Effektivitet;P1;6",
        ],
    )
    _write(tmp_path / "dimios_mottagare.csv", "year;recipients", ["2025;1"])
    assert [(f, r, c) for f, r, c, _m in _problems(tmp_path)] == [
        ("dimios_mottagare.csv", 2, "recipients")
    ]


def test_problem_list_is_capped_with_total(tmp_path: Path) -> None:
    _write(
        tmp_path / "medarbetarenkat.csv",
        "year;verksamhet;score",
        [f"2025;A;{9}" for _ in range(120)],
    )
    with pytest.raises(DataValidationError) as err:
        load_dataset(tmp_path)
    assert len(err.value.problems) == 50
    assert err.value.total == 120
    assert "120 problem" in err.value.message and "70 till" in err.value.message
    d = err.value.to_dict()
    assert d["code"] == "invalid_data" and d["total"] == 120 and len(d["problems"]) == 50


def test_nothing_loaded_on_any_problem(tmp_path: Path, sample_dir: Path) -> None:
    for f in sample_dir.glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    with (tmp_path / "medarbetarenkat.csv").open("a", encoding="utf-8") as fh:
        fh.write("2025;Social omsorg;8\n")
    probs = _problems(tmp_path)
    assert len(probs) == 1 and probs[0][0] == "medarbetarenkat.csv" and probs[0][2] == "score"


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("initiativ.csv", b"", "tom"),
        ("initiativ.csv", b"\n\n  \n", "tom"),
        ("initiativ.xlsx", b"not a zip file", "Excel"),
    ],
)
def test_empty_or_unreadable_file(tmp_path: Path, name: str, content: bytes, fragment: str) -> None:
    (tmp_path / name).write_bytes(content)
    probs = _problems(tmp_path)
    assert probs[0][0] == name and fragment in probs[0][3]


def test_folder_problems(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError) as err:
        load_dataset(tmp_path / "saknas")
    assert "finns inte" in err.value.message
    with pytest.raises(DataValidationError) as err:
        load_dataset(tmp_path)
    assert "inga tabeller" in err.value.message
    (tmp_path / "initiativ.csv").write_text(INIT_HEADER + "\n", encoding="utf-8")
    (tmp_path / "initiativ.xlsx").write_bytes(b"x")
    with pytest.raises(DataValidationError) as err:
        load_dataset(tmp_path)
    assert "flera filer" in err.value.message


def test_header_only_tables_and_custom_objekt(tmp_path: Path) -> None:
    _write(tmp_path / "initiativ.csv", INIT_HEADER, ["A1;2025;T;;Eget objekt;genomförd;1;1;1"])
    ds = load_dataset(tmp_path, objekt=["Eget objekt"])
    assert ds.objekt == ("Eget objekt",)
    assert compute_year(ds, 2025).portfolio.per_objekt == {"Eget objekt": 1}
    with pytest.raises(DataValidationError):
        load_dataset(tmp_path)  # default list does not know it


def test_extra_values_in_row(tmp_path: Path) -> None:
    _write(tmp_path / "dimios_mottagare.csv", "year;recipients", ["2025;220;;", "2024;200;x"])
    probs = _problems(tmp_path)
    assert [(r, c) for _f, r, c, _m in probs] == [(3, None)]


def test_fast_and_careful_csv_paths_agree(tmp_path: Path, sample_dir: Path) -> None:
    text = (sample_dir / "initiativ.csv").read_text(encoding="utf-8")
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    (tmp_path / "b.csv").write_text("\n" + text, encoding="utf-8")  # leading blank line
    fast = read_table(tmp_path / "a.csv")
    careful = read_table(tmp_path / "b.csv")
    assert list(careful.index) == [i + 1 for i in fast.index]
    assert fast.reset_index(drop=True).equals(careful.reset_index(drop=True))


def test_quoted_multiline_cell(tmp_path: Path) -> None:
    path = tmp_path / "initiativ.csv"
    path.write_text(
        INIT_HEADER + '\nA1;2025;T;"Rad ett\nrad två";Fastighet;genomförd;1;1;1\n'
        "A2;2025;T;;Fastighet;genomförd;1;1;9\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError) as err:
        load_initiatives_file(path)
    (p,) = err.value.problems
    assert (p.row, p.column) == (3, "extern_intern")  # rows count records, as a spreadsheet does
