"""Verified answers and feedback in the store, on real SQLite files and the real index engine.

The figures of a verified answer are slots into the tool results, recomputed when it is served:
a changed table changes the served number. Questions match by the bundled embedder and the
parser's slots; a year or objekt that differs never matches.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from assistant.errors import ConversationNotFoundError, InvalidInputError
from assistant.service import Assistant
from assistant.storage import Storage
from assistant.verified import (
    BUNDLED_FILE,
    SIMILARITY_THRESHOLD,
    VerifiedAnswers,
    check_answer,
    fill_template,
    load_eval_questions,
    make_template,
    measure_threshold,
)
from tests.assistant.chat_support import sample_dataset

REPO = Path(__file__).resolve().parents[2]
EVAL = REPO / "data" / "eval"


@pytest.fixture()
def storage(tmp_path: Path) -> Storage:
    store = Storage(f"sqlite:///{tmp_path / 'digirapport.sqlite3'}")
    yield store  # type: ignore[misc]
    store.close()


def verify_from_chat(assistant: Assistant, question: str, answer: str | None = None) -> str:
    """Ask ``question`` offline and store the answer (or ``answer``) as verified; its id."""
    result = assistant.chat(question)
    assert assistant.verified is not None and result.verified is None
    record = assistant.verified.prepare(
        question, answer or result.answer, result.tool_calls, result.sources
    )
    return str(assistant.storage.add_verified({**record, "created_by": "Eva"})["id"])  # type: ignore[union-attr]


def test_a_template_turns_figures_into_slots_and_fills_them_from_new_results() -> None:
    calls = [
        {
            "name": "get_index",
            "result": {
                "figures": {
                    "index": {
                        "key": "index",
                        "year": 2025,
                        "display": "8,2",
                        "change_display": "+0,1",
                        "previous": 8.0916,
                        "unit": "index10",
                    },
                    "digital_mognad": {
                        "key": "digital_mognad",
                        "year": 2025,
                        "display": "65,1 %",
                        "previous": 64.2,
                        "unit": "percent",
                    },
                }
            },
        }
    ]
    template, refs = make_template(
        "Index 8,2 (+0,1, från 8,1). Mognad 65,1 % mot 64,2 %. År 2025, {{okänt}}.", calls
    )
    # longest texts first, so "65,1 %" is one figure, not "65,1" and a stray "%"
    assert template == (
        "Index {{3}} ({{2}}, från {{4}}). Mognad {{0}} mot {{1}}. År 2025, { {okänt} }."
    )
    assert [(r.key, r.field) for r in refs] == [
        ("digital_mognad", "display"),
        ("digital_mognad", "previous_display"),
        ("index", "change_display"),
        ("index", "display"),
        ("index", "previous_display"),
    ]
    changed = json.loads(json.dumps(calls[0]["result"]).replace("8,2", "7,9"))
    changed["figures"]["index"]["change_display"] = "-0,2"
    assert fill_template(template, refs, [changed]) == (
        "Index 7,9 (-0,2, från 8,1). Mognad 65,1 % mot 64,2 %. År 2025, { {okänt} }."
    )
    del changed["figures"]["digital_mognad"]
    assert fill_template(template, refs, [changed]) is None  # a figure gone: never a stale one


def test_a_paraphrase_gets_the_verified_answer_with_recomputed_figures(storage: Storage) -> None:
    ds = sample_dataset()
    assistant = Assistant(dataset=ds, retriever=None, storage=storage)
    edited = (
        "Digitaliseringsindex 2025 var 8,2 (förändring +0,1). Komponenterna: Förutsättningar "
        "7,0, Resultat 8,8 och Nytta 8,7. Granskat av enheten."
    )
    vid = verify_from_chat(assistant, "Vad blev digitaliseringsindex 2025?", edited)

    served = assistant.chat("Vad landade digitaliseringsindex på för 2025?")
    assert served.verified is not None
    assert (served.verified["id"], served.verified["by"]) == (vid, "Eva")
    assert served.verified["at"].endswith("+00:00")
    assert served.answer == edited
    assert served.tool_calls[0]["name"] == "get_index" and served.tool_calls[0]["result"]
    assert served.to_dict()["verified"]["id"] == vid
    # stored with the conversation, so reopening it shows the label
    stored = storage.history(served.conversation_id)  # type: ignore[arg-type]
    assert stored[-1].data["verified"]["id"] == vid  # type: ignore[index]

    # the same question on changed data: the figures are recomputed, the text kept
    employee = ds.employee.assign(score=(ds.employee["score"] - 1).clip(lower=1))
    changed = Assistant(
        dataset=dataclasses.replace(ds, employee=employee), retriever=None, storage=storage
    )
    fresh = changed.chat("Vad blev digitaliseringsindex 2025?")
    again = changed.chat("Vad landade digitaliseringsindex på för 2025?")
    assert again.verified is not None and again.verified["id"] == vid
    index = fresh.tool_calls[0]["result"]["figures"]["index"]
    assert index["display"] != "8,2"
    assert again.answer.startswith(f"Digitaliseringsindex 2025 var {index['display']} (")
    assert "Resultat 8,8 och Nytta 8,7. Granskat av enheten." in again.answer


@pytest.mark.parametrize(
    "question",
    [
        "Vad blev digitaliseringsindex 2024?",  # another year
        "Vad blev digitaliseringsindex förra året?",  # a relative year is another slot
        "Vad blev förutsättningar 2025?",  # another figure
        "Hur har digitaliseringsindex utvecklats sedan 2023?",  # a comparison
    ],
)
def test_a_question_with_other_slots_never_gets_it(storage: Storage, question: str) -> None:
    assistant = Assistant(dataset=sample_dataset(), retriever=None, storage=storage)
    verify_from_chat(assistant, "Vad blev digitaliseringsindex 2025?")
    assert assistant.chat(question).verified is None


def test_objekt_slots_must_agree_and_follow_ups_never_match(storage: Storage) -> None:
    assistant = Assistant(dataset=sample_dataset(), retriever=None, storage=storage)
    verify_from_chat(assistant, "Hur många initiativ hade Social omsorg 2025?")
    assert assistant.chat("Hur många initiativ hade Social omsorg 2025?").verified is not None
    assert assistant.chat("Hur många initiativ hade Välfärd skola 2025?").verified is None
    first = assistant.chat("Vad blev digitaliseringsindex 2024?")
    followup = assistant.chat("och Social omsorg 2025?", first.conversation_id)
    assert followup.verified is None


def test_deleted_verified_answers_are_not_served_and_bundled_ones_stay_deleted(
    storage: Storage,
) -> None:
    assistant = Assistant(dataset=sample_dataset(), retriever=None, storage=storage)
    assert assistant.verified is not None
    bundled = [json.loads(line) for line in BUNDLED_FILE.read_text("utf-8").splitlines()]
    assert assistant.verified.seed() == len(bundled) >= 3
    assert assistant.verified.seed() == 0  # loaded once
    for record in storage.list_verified(with_embeddings=True):
        assert record["bundled"] and record["figures"], record["id"]
    served = assistant.chat("Vad blev digitaliseringsindex 2025?")
    assert served.verified is not None and served.verified["id"] == "v_bundled_index"
    assert storage.delete_verified("v_bundled_index")
    assert not storage.delete_verified("v_bundled_index")
    assert assistant.chat("Vad blev digitaliseringsindex 2025?").verified is None
    assert assistant.verified.seed() == 0  # an editor's deletion holds
    assert "v_bundled_index" not in storage.verified_ids()


def test_check_answer_reports_a_figure_the_fresh_answer_lacks(storage: Storage) -> None:
    assistant = Assistant(dataset=sample_dataset(), retriever=None, storage=storage)
    assert assistant.verified is not None
    result = assistant.chat("Vad blev digitaliseringsindex 2025?")
    record = assistant.verified.prepare(
        result.answer, result.answer, result.tool_calls, result.sources
    )
    record["id"], record["question"] = "v_1", "Vad blev digitaliseringsindex 2025?"
    good = check_answer(record, assistant.verified.recompute(record), result.answer, [])
    assert good.ok and not good.problems
    bad = check_answer(record, assistant.verified.recompute(record), "Indexet blev 7,5.", [])
    assert not bad.ok
    assert "svaret saknar 8,2 (index 2025)" in bad.problems


def test_feedback_is_stored_once_per_answer_negative_first(storage: Storage) -> None:
    assistant = Assistant(dataset=sample_dataset(), retriever=None, storage=storage)
    first = assistant.chat("Vad blev digitaliseringsindex 2025?")
    cid = str(first.conversation_id)
    assistant.chat("Vad blev förutsättningar 2025?", cid)
    question, answer = storage.answer_at(cid, 3)
    assert question == "Vad blev förutsättningar 2025?" and "7,0" in answer.content
    with pytest.raises(InvalidInputError) as caught:
        storage.answer_at(cid, 2)  # a question, not an answer
    assert caught.value.data["field"] == "message_index"
    with pytest.raises(InvalidInputError):
        storage.answer_at(cid, 9)
    with pytest.raises(ConversationNotFoundError):
        storage.answer_at(cid, 1, owner="key:someone-else")

    def rate(index: int, rating: str, comment: str | None = None) -> dict[str, object]:
        q, a = storage.answer_at(cid, index)
        return storage.save_feedback(
            {
                "conversation_id": cid,
                "message_index": index,
                "rating": rating,
                "comment": comment,
                "question": q,
                "answer": a.content,
                "mode": (a.data or {}).get("mode"),
                "sources": (a.data or {}).get("sources"),
                "tool_calls": (a.data or {}).get("tool_calls"),
                "owner": "lokal",
            }
        )

    up = rate(1, "up")
    down = rate(3, "down", "Fel år?")
    assert [f["id"] for f in storage.list_feedback()] == [down["id"], up["id"]]
    again = rate(1, "down", "Ändrat mig")  # the same answer again: replaced, not added
    assert again["id"] == up["id"]
    listed = storage.list_feedback()
    assert [(f["id"], f["rating"]) for f in listed] == [(up["id"], "down"), (down["id"], "down")]
    assert listed[0]["comment"] == "Ändrat mig" and listed[0]["mode"] == "offline"
    assert listed[0]["tool_calls"][0]["name"] == "get_index"


def test_the_threshold_keeps_its_measured_precision_on_the_eval_sets() -> None:
    files = [
        *sorted(EVAL.glob("chat_dev_*.jsonl")),
        EVAL / "chat_questions.jsonl",
        *sorted(EVAL.glob("chat_heldout_*.jsonl")),
    ]
    questions = load_eval_questions(files)
    from assistant.offline.router import bundled_query_embedder

    result = measure_threshold(
        questions, bundled_query_embedder(), sample_dataset().objekt, [SIMILARITY_THRESHOLD]
    )
    [row] = result["rows"]
    assert row["precision"] >= 0.95 and row["true"] >= 25
    assert row["slot_mismatches_matched"] == 0


def test_verified_answers_need_storage() -> None:
    assistant = Assistant(dataset=sample_dataset(), retriever=None, storage=None)
    assert assistant.verified is None
    assert assistant.chat("Vad blev digitaliseringsindex 2025?").verified is None


def test_the_service_can_be_given_its_own_verified_answers(storage: Storage) -> None:
    ds = sample_dataset()
    plain = Assistant(dataset=ds, retriever=None, storage=storage)
    own = VerifiedAnswers(storage, plain.tools, ds.objekt, threshold=1.01)  # matches nothing
    assistant = Assistant(dataset=ds, retriever=None, storage=storage, verified=own)
    verify_from_chat(assistant, "Vad blev digitaliseringsindex 2025?")
    assert assistant.chat("Vad blev digitaliseringsindex 2025?").verified is None


def test_a_verified_answer_quoting_a_document_is_only_for_callers_cleared_for_it(
    storage: Storage,
) -> None:
    from assistant.access import Caller, current_caller
    from ingest.models import DEFAULT_LEVEL, SecurityLevel
    from tests.assistant.chat_support import shared_retriever

    retriever = shared_retriever()  # the excerpt of the report, stored at the default level
    assistant = Assistant(dataset=sample_dataset(), retriever=retriever, storage=storage)
    question = "Vad säger rapporten om digitaliseringsindex?"
    first = assistant.chat(question)
    assert first.sources, "the text answer quotes the report"
    verify_from_chat(assistant, question)
    assert assistant.chat(question).verified is not None  # the local user reads everything

    below = SecurityLevel(int(DEFAULT_LEVEL) - 1)
    token = current_caller.set(Caller(owner="key:k_x", role="reader", clearance=below, via="key"))
    try:
        assert assistant.chat(question).verified is None
    finally:
        current_caller.reset(token)
    no_store = Assistant(dataset=sample_dataset(), retriever=None, storage=storage)
    assert no_store.chat(question).verified is None  # cannot be checked: not served
