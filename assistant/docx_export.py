"""Word export of a chapter draft: headings, paragraphs, the charts with captions, real footnotes.

python-docx has no footnote API, so the footnotes are written as WordprocessingML directly: a
``/word/footnotes.xml`` part (with the separator and continuation-separator footnotes Word expects,
ids -1 and 0) related to the document part, ``<w:footnotePr>`` in the settings, and in the text a
superscript run holding ``<w:footnoteReference w:id="n"/>`` where the Markdown has ``[^n]``. Word
and LibreOffice show them as ordinary footnotes at the bottom of the page. A table of the figures
used (value, n, formula) closes the chapter, so every number can be traced in the document too.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from assistant.drafts import FOOTNOTE_RE, Draft

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
IMAGE_WIDTH = Cm(16)
#: The figures table: label, year, display, n, formula.
COLUMN_WIDTHS = (Cm(3.6), Cm(1.3), Cm(1.9), Cm(1.2), Cm(8.0))


def _footnotes_xml(notes: tuple[str, ...]) -> bytes:
    """The footnotes part: separators (-1, 0), then footnote n for ``notes[n - 1]``."""
    parts = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W_NS}">',
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
        'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
        'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>",
    ]
    for number, text in enumerate(notes, start=1):
        parts.append(
            f'<w:footnote w:id="{number}"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
            '<w:r><w:rPr><w:sz w:val="18"/><w:vertAlign w:val="superscript"/></w:rPr>'
            "<w:footnoteRef/></w:r>"
            f'<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> {escape(text)}</w:t>'
            "</w:r></w:p></w:footnote>"
        )
    parts.append("</w:footnotes>")
    return "".join(parts).encode("utf-8")


def _add_footnotes_part(document: DocxDocument, notes: tuple[str, ...]) -> None:
    """Relate a footnotes part to the document and declare the separators in the settings."""
    doc_part = document.part
    part = Part(
        PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, _footnotes_xml(notes), doc_part.package
    )
    doc_part.relate_to(part, RT.FOOTNOTES)
    settings = document.settings.element
    footnote_pr = parse_xml(
        f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    )
    compat = settings.find(qn("w:compat"))
    if compat is not None:
        compat.addprevious(footnote_pr)
    else:
        settings.append(footnote_pr)
    # Swedish number conventions for fields and tables.
    decimal = settings.find(qn("w:decimalSymbol"))
    if decimal is not None:
        decimal.set(qn("w:val"), ",")
    separator = settings.find(qn("w:listSeparator"))
    if separator is not None:
        separator.set(qn("w:val"), ";")


def _add_footnote_reference(paragraph: Paragraph, number: int) -> None:
    run = paragraph.add_run()
    r_pr = run._r.get_or_add_rPr()
    vert = OxmlElement("w:vertAlign")
    vert.set(qn("w:val"), "superscript")
    r_pr.append(vert)
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), str(number))
    run._r.append(ref)


def _add_text(paragraph: Paragraph, text: str, note_count: int) -> None:
    """Text with ``[^n]`` markers turned into footnote references."""
    position = 0
    for match in FOOTNOTE_RE.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position : match.start()])
        number = int(match.group(1))
        if 1 <= number <= note_count:
            _add_footnote_reference(paragraph, number)
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])


def _set_language(document: DocxDocument) -> None:
    r_pr = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "sv-SE")
    r_pr.append(lang)


def draft_to_docx(draft: Draft) -> bytes:
    """The draft as a Word document (``.docx`` bytes).

    Args:
        draft: A chapter draft from ``draft_chapter``.

    Returns:
        The document: title, headings, paragraphs and lists with footnote references, each chart
        as a PNG with a numbered caption, real footnotes with the sources, and a table of the
        figures used.
    """
    document = Document()
    _set_language(document)
    document.core_properties.title = f"{draft.title} {draft.year}"
    document.core_properties.language = "sv-SE"
    document.core_properties.author = "Digirapport"
    document.core_properties.comments = "Utkast genererat från indexmotorns beräknade värden."
    document.add_heading(f"{draft.title} {draft.year}", level=1)
    note_count = len(draft.notes)
    charts = {c.name: c for c in draft.charts}
    for block in draft.blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=min(max(block.level, 2), 4))
        elif block.kind == "paragraph":
            _add_text(document.add_paragraph(), block.text, note_count)
        elif block.kind == "bullets":
            for item in block.items:
                _add_text(document.add_paragraph(style="List Bullet"), item, note_count)
        elif block.kind == "chart" and block.chart in charts:
            chart = charts[block.chart]
            if chart.png:
                document.add_picture(io.BytesIO(chart.png), width=IMAGE_WIDTH)
                document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption = document.add_paragraph(style="Caption")
            caption.add_run(f"Figur {chart.number}. ").bold = True
            caption.add_run(chart.caption)
    if draft.figures:
        document.add_heading("Underlag: använda värden", level=2)
        table = document.add_table(rows=1, cols=5)
        table.style = "Light List Accent 1"
        for cell, text in zip(
            table.rows[0].cells, ("Värde", "År", "Visas som", "n", "Beräkning"), strict=True
        ):
            cell.text = text
        order = {key: i for i, key in enumerate(dict.fromkeys(f.get("key") for f in draft.figures))}
        figures = sorted(draft.figures, key=lambda f: (order[f.get("key")], f.get("year", 0)))
        for fig in figures:
            row = table.add_row().cells
            row[0].text = str(fig.get("label", fig.get("key", "")))
            row[1].text = str(fig.get("year", ""))
            row[2].text = str(fig.get("display", ""))
            row[3].text = str(fig.get("n", ""))
            row[4].text = str(fig.get("formula", ""))
        table.autofit = False
        for column, width in zip(table.columns, COLUMN_WIDTHS, strict=True):
            column.width = width  # the grid (LibreOffice) ...
        for row in table.rows:
            for cell, width in zip(row.cells, COLUMN_WIDTHS, strict=True):
                cell.width = width  # ... and each cell (Word)
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(8)
    if draft.warnings:
        document.add_heading("Att kontrollera", level=2)
        for warning in draft.warnings:
            document.add_paragraph(warning, style="List Bullet")
    _add_footnotes_part(document, draft.notes)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
