"""Parsers on real files: the bundled report (PDF-to-text), Markdown, PDF, Word and bad inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import parsers
from ingest.errors import DocumentParseError, UnsupportedFileTypeError
from ingest.parsers import parse_file, parse_text
from tests.ingest.helpers import (
    REPORT,
    RESULT_TABLE,
    drawn_pdf,
    encrypted_pdf,
    tiny_pdf,
    write_docx,
    write_docx_with_table,
)


@pytest.fixture(scope="module")
def report():
    return parse_file(REPORT)


def test_report_title_year_and_numbered_sections(report) -> None:
    assert report.year == 2025
    assert "2025" in report.title
    sections = {b.section: b.section_title for b in report.blocks}
    assert sections["4.1"] == "Årets resultat"
    assert sections["5.4.1"] == "Hur har mätningen genomförts?"
    assert sections["1"] == "Summering"  # written with a leading space in the file
    assert sections["8.4.2"] == "Välfärdsteknik i en modell med externa utförare"
    assert "2024" not in sections  # "2024. Vi har alltså vänt..." is body text, not a heading
    assert not any(s.startswith("20") for s in sections)


def test_wrapped_headings_are_joined(report) -> None:
    titles = {b.section: b.section_title for b in report.blocks}
    assert titles["3.1.2"].endswith("och hur påverkar det våra beteenden?")
    assert titles["8.2"] == "Fortsatt transformationsarbete i hela organisationen"
    # the continuation line is not left behind as body text
    assert not any(b.text == "organisationen" for b in report.blocks)


def test_body_text_follows_its_heading(report) -> None:
    text_41 = " ".join(b.text for b in report.blocks if b.section == "4.1")
    assert "Årets sammanlagda digitaliseringsindex är 8,2." in text_41
    text_61 = " ".join(b.text for b in report.blocks if b.section == "6.1")
    assert "2024. Vi har alltså vänt trenden uppåt igen" in text_61


def test_lines_joined_and_hyphenation_repaired(report) -> None:
    text = " ".join(b.text for b in report.blocks if b.section == "5.4.1")
    assert "ett riktat e-postutskick till utvalda representanter" in text
    assert "svarsfrekvensen var 64,5%" in text
    assert "\n\n" not in text


def test_page_marker_sets_pages_and_is_not_text(report) -> None:
    assert not any("21 (32)" in b.text for b in report.blocks)
    paged = [(b.page, b.text) for b in report.blocks if b.page is not None]
    assert any(p == 21 and "geodatastrategi" in t for p, t in paged)
    assert any(p == 22 and t.startswith("Kommunens satsningar på datadriven") for p, t in paged)


def test_offsets_are_increasing(report) -> None:
    starts = [b.start for b in report.blocks]
    assert starts == sorted(starts)
    assert all(b.end - b.start == len(b.text) for b in report.blocks)


def test_plain_text_with_blank_line_paragraphs() -> None:
    doc = parse_text(
        "1. Bakgrund\nKommunen har arbetat\nmed digitalisering.\n\nEtt nytt stycke.\n"
        "2. Mål\nMålet är 90 %.\n",
        "plan-2026.txt",
    )
    assert doc.year == 2026
    by_section = [(b.section, b.text) for b in doc.blocks]
    assert by_section == [
        ("1", "Kommunen har arbetat med digitalisering."),
        ("1", "Ett nytt stycke."),
        ("2", "Målet är 90 %."),
    ]


def test_markdown_headings(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(
        "# Uppföljning 2023\n\nInledande text.\n\n## 2.1 Mognad\n\nMognaden ökade.\n\n"
        "## Bilaga\n\n```\n# inte en rubrik\n```\nSlut.\n",
        encoding="utf-8",
    )
    doc = parse_file(path)
    assert doc.title == "Uppföljning 2023"
    assert doc.year == 2023
    sections = [(b.section, b.section_title, b.text) for b in doc.blocks]
    assert ("2.1", "Mognad", "Mognaden ökade.") in sections
    assert ("", "Bilaga", "Slut.") in sections
    # a "#" line inside a code block is text, not a heading
    assert all(title != "inte en rubrik" for _, title, _ in sections)
    assert any("# inte en rubrik" in t for _, _, t in sections)


def test_pdf_pages_and_headings(tmp_path: Path) -> None:
    path = tmp_path / "rapport.pdf"
    path.write_bytes(
        tiny_pdf(
            [
                ["1. Inledning", "Vi mäter digital mognad varje år."],
                ["2. Resultat", "Svarsfrekvensen var 64,5 % i år.", "3 (3)"],
            ],
            title="Testrapport 2023",
        )
    )
    doc = parse_file(path)
    assert doc.title == "Testrapport 2023" and doc.year == 2023
    blocks = [(b.section, b.section_title, b.page, b.text) for b in doc.blocks]
    assert blocks == [
        ("1", "Inledning", 1, "Vi mäter digital mognad varje år."),
        ("2", "Resultat", 2, "Svarsfrekvensen var 64,5 % i år."),
    ]


def test_docx_heading_styles_and_table(tmp_path: Path) -> None:
    doc = parse_file(write_docx(tmp_path / "rapport.docx"))
    assert doc.title == "Digitaliseringsrapport 2024"
    assert doc.year == 2024
    blocks = [(b.section, b.section_title, b.text) for b in doc.blocks]
    assert ("2.1", "Mätning av mognad", blocks[1][2]) == blocks[1]
    assert "61,3 procent" in blocks[1][2]
    assert ("", "Utan nummer") == blocks[2][:2]
    assert any("Mått: Svarsfrekvens; Värde: 58 %" in t for _, _, t in blocks)


def test_docx_table_stays_under_its_heading_with_its_header(tmp_path: Path) -> None:
    doc = parse_file(write_docx_with_table(tmp_path / "rapport.docx"))
    blocks = [(b.section, b.section_title, b.text) for b in doc.blocks]
    assert blocks == [
        ("1", "Inledning", "Rapporten beskriver kommunens arbete med digitalisering."),
        ("2", "Resultat", "Tabellen visar årets resultat."),
        (
            "2",
            "Resultat",
            "Mått: Svarsfrekvens; 2023: 58 %; 2024: 64,5 %\n"
            "Mått: Digital mognad; 2023: 61,3 %; 2024: 65,1 %",
        ),
        ("3", "Slutsatser", "Mognaden fortsätter att öka."),
    ]
    assert doc.blocks[2].table == RESULT_TABLE


def test_docx_merged_cells_count_once_and_empty_columns_are_dropped(tmp_path: Path) -> None:
    import docx

    path = write_docx_with_table(
        tmp_path / "sammanslagen.docx",
        [("Område", "", "Andel"), ("Digital förmåga", "", "62 %"), ("Totalt", "", "")],
    )
    document = docx.Document(str(path))
    table = document.tables[0]
    table.cell(2, 1).merge(table.cell(2, 2)).text = "64 %"
    document.save(str(path))
    table_block = next(b for b in parse_file(path).blocks if b.table)
    assert table_block.table == (
        ("Område", "", "Andel"),
        ("Digital förmåga", "", "62 %"),
        ("Totalt", "64 %", ""),
    )
    assert table_block.text == "Område: Digital förmåga; Andel: 62 %\nOmråde: Totalt; 64 %"


#: Two pages: a title, numbered headings at 15 pt, the table on page 2 between two headings.
REPORT_PAGES = [
    [
        (20, "Digitaliseringsrapport 2024"),
        (15, "1 Inledning"),
        (10, "Rapporten beskriver kommunens arbete med digital mognad."),
        (12, "Hur mäts mognaden?"),
        (10, "Mognaden mäts med en enkät till alla chefer."),
    ],
    [
        (15, "2 Resultat"),
        (10, "Tabellen visar årets resultat för mätningarna."),
        RESULT_TABLE,
        (15, "3 Slutsatser"),
        (10, "Mognaden fortsätter att öka i kommunen."),
    ],
]


def test_pdf_table_in_its_place_with_section_and_page(tmp_path: Path) -> None:
    path = tmp_path / "rapport.pdf"
    path.write_bytes(drawn_pdf(REPORT_PAGES))
    doc = parse_file(path)
    assert doc.title == "Digitaliseringsrapport 2024" and doc.year == 2024
    blocks = [(b.section, b.section_title, b.page, b.text) for b in doc.blocks]
    assert blocks == [
        ("1", "Inledning", 1, "Rapporten beskriver kommunens arbete med digital mognad."),
        ("1", "Inledning", 1, "Hur mäts mognaden?"),  # 12 pt under a 15 pt heading: inside it
        ("1", "Inledning", 1, "Mognaden mäts med en enkät till alla chefer."),
        ("2", "Resultat", 2, "Tabellen visar årets resultat för mätningarna."),
        (
            "2",
            "Resultat",
            2,
            "Mått: Svarsfrekvens; 2023: 58 %; 2024: 64,5 %\n"
            "Mått: Digital mognad; 2023: 61,3 %; 2024: 65,1 %",
        ),
        ("3", "Slutsatser", 2, "Mognaden fortsätter att öka i kommunen."),
    ]
    assert doc.blocks[4].table == RESULT_TABLE


def test_pdf_unnumbered_headings_are_found_by_font_size(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(
        drawn_pdf(
            [
                [
                    (16, "Bakgrund"),
                    (10, "Kommunen har arbetat med digitalisering i flera år nu."),
                    (10, "Arbetet följs upp varje år med samma mått som tidigare."),
                    (16, "Vad vi mäter"),
                    (10, "Vi mäter mognad, nytta och genomförande i alla verksamheter."),
                ]
            ]
        )
    )
    doc = parse_file(path)
    assert [(b.section, b.section_title, b.page) for b in doc.blocks] == [
        ("", "Bakgrund", 1),
        ("", "Vad vi mäter", 1),
    ]
    assert "samma mått" in doc.blocks[0].text and "genomförande" in doc.blocks[1].text


def test_pdf_running_headers_and_large_figures_are_no_headings(tmp_path: Path) -> None:
    running = (12, "Nacka kommun – digitaliseringsrapport")
    path = tmp_path / "rapport.pdf"
    path.write_bytes(
        drawn_pdf(
            [
                [
                    running,
                    (16, "Sammanfattning"),
                    (10, "Indexet steg i år till en ny nivå."),
                    (36, "8,2"),
                ],
                [running, (10, "Alla tre delarna bidrog till ökningen av indexet.")],
                [running, (16, "Slutord"), (10, "Arbetet fortsätter nästa år.")],
            ]
        )
    )
    doc = parse_file(path)
    assert [(b.section_title, b.page, b.text) for b in doc.blocks] == [
        ("Sammanfattning", 1, "Indexet steg i år till en ny nivå."),
        ("Sammanfattning", 1, "8,2"),  # 36 pt, but a figure: body text
        ("Sammanfattning", 2, "Alla tre delarna bidrog till ökningen av indexet."),
        ("Slutord", 3, "Arbetet fortsätter nästa år."),
    ]  # the running header (12 pt on every page) is neither a heading nor text


def test_pdf_page_too_big_to_lay_out_keeps_its_pypdf_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rapport.pdf"
    path.write_bytes(drawn_pdf(REPORT_PAGES))
    monkeypatch.setattr(parsers, "PDF_LAYOUT_MAX_CHARS", 10)  # no page gets a layout
    doc = parse_file(path)
    assert not any(b.table for b in doc.blocks)
    text = "\n".join(b.text for b in doc.blocks)
    assert "Svarsfrekvens 58 % 64,5 %" in text  # the cells as pypdf reads them, not lost
    assert [b.section for b in doc.blocks if "Svarsfrekvens" in b.text] == ["2"]


@pytest.mark.parametrize(
    ("name", "content", "error", "words"),
    [
        ("tom.txt", b"", DocumentParseError, "tom"),
        ("blank.md", b"   \n\n  ", DocumentParseError, "tom"),
        ("bild.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, DocumentParseError, "binär"),
        ("trasig.pdf", b"%PDF-1.4\nthis is not really a pdf", DocumentParseError, "skadad"),
        ("inte.pdf", b"hello", DocumentParseError, "inte en giltig PDF"),
        ("trasig.docx", b"PK\x03\x04garbage", DocumentParseError, "Word"),
        ("program.exe", b"MZ\x90\x00", UnsupportedFileTypeError, "stöds inte"),
    ],
)
def test_bad_inputs_name_the_file(
    tmp_path: Path, name: str, content: bytes, error: type, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error) as info:
        parse_file(path)
    assert name in info.value.message
    assert words in info.value.message
    assert info.value.to_dict()["file"] == name


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "hemlig.pdf"
    path.write_bytes(encrypted_pdf(tiny_pdf([["1. Inledning", "Hemlig text."]])))
    with pytest.raises(DocumentParseError, match="lösenordsskyddad"):
        parse_file(path)
