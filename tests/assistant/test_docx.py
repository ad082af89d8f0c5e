"""The Word export opens again with python-docx and holds headings, images and real footnotes."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from assistant.docx_export import draft_to_docx
from assistant.drafts import Draft, draft_chapter
from index_engine import load_dataset
from tests.conftest import SAMPLE_DIR

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def portfolj() -> Draft:
    return draft_chapter(load_dataset(SAMPLE_DIR), "portfolj", 2025)


@pytest.fixture(scope="module")
def index_draft() -> Draft:
    return draft_chapter(load_dataset(SAMPLE_DIR), "index", 2025)


def test_docx_reopens_with_headings_text_and_images(index_draft: Draft) -> None:
    data = draft_to_docx(index_draft)
    doc = Document(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Årets resultat 2025"
    assert "Så mäts det" in headings
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Årets sammanlagda digitaliseringsindex är 8,2." in text
    assert "[^" not in text  # markers became footnote references
    assert len(doc.inline_shapes) == len(index_draft.charts) == 1
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == [f"Figur 1. {index_draft.charts[0].caption}"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 1
        assert z.read(media[0]).startswith(b"\x89PNG")


def test_docx_has_real_footnotes_for_every_reference(portfolj: Draft) -> None:
    doc = Document(io.BytesIO(draft_to_docx(portfolj)))
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FOOTNOTES)
    footnotes_xml = part.blob.decode("utf-8")
    ids = [
        int(i) for i in re.findall(r'<w:footnote (?:w:type="\w+" )?w:id="(-?\d+)"', footnotes_xml)
    ]
    assert ids == [-1, 0, *range(1, len(portfolj.notes) + 1)]
    for note in portfolj.notes:
        assert note.split(":")[0] in footnotes_xml
    refs = {int(el.get(f"{W}id")) for el in doc.element.body.iter(f"{W}footnoteReference")}
    assert refs == set(range(1, len(portfolj.notes) + 1))
    assert len(doc.inline_shapes) == 4
    settings = doc.settings.element
    assert settings.find(f"{W}footnotePr") is not None


def test_docx_lists_the_figures_used(index_draft: Draft) -> None:
    doc = Document(io.BytesIO(draft_to_docx(index_draft)))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Värde", "År", "Visas som", "n", "Beräkning"]
    rows = {(r.cells[0].text, r.cells[1].text): r.cells[2].text for r in table.rows[1:]}
    assert rows[("Digitaliseringsindex", "2025")] == "8,2"
    assert len(table.rows) == len(index_draft.figures) + 1
