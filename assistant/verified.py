"""Verified answers: answers an editor vouched for, served first to questions that mean the same.

A verified answer keeps the question, the text (as the editor approved it), the tool calls that
made it and its sources. Its figures are not frozen text: when it is saved, every figure of the
text that a tool result shows (the figure's ``display``, its change, its previous value) becomes
a numbered slot pointing into that result (:func:`make_template`); when it is served, the tool
calls run again on today's data and the slots are filled from the new results
(:meth:`VerifiedAnswers.recompute`). A figure the engine can no longer compute makes the answer
unservable (the question is then answered as usual), so a verified answer never shows a stale
number.

A new question gets a verified answer when both hold (:meth:`VerifiedAnswers.find`):

* its embedding (the offline router's bundled query embedder) has cosine similarity at least
  :data:`SIMILARITY_THRESHOLD` with the verified question (chosen on the chat eval sets:
  ``docs/measurements.md``, :func:`measure_threshold`);
* the year and objekt slots the offline parser reads from both questions are the same
  (:func:`question_slots`): "index 2024" never gets the verified answer for "index 2025".

Follow-up questions that lean on the conversation ("och 2024?") never match.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy.exc import IntegrityError

from assistant.access import current_clearance
from assistant.offline.parse import ObjektMatcher, Parsed, is_bare_followup, parse
from index_engine.formatting import display_decimals, fmt_number

if TYPE_CHECKING:
    from assistant.storage import Storage
    from assistant.tools import ToolRegistry

log = logging.getLogger("digirapport.verified")

#: The least cosine similarity between two questions' embeddings for "means the same" (with the
#: same year/objekt slots). Chosen on the chat eval sets (``docs/measurements.md``,
#: "Verified answers"): the lowest threshold whose pair precision is at least 0,95.
SIMILARITY_THRESHOLD = 0.94

#: Tools whose results hold no figures: not re-run when a verified answer is served.
SEARCH_TOOLS = frozenset({"search_documents"})

#: The bundled verified answers, loaded into the database when the app is set up.
BUNDLED_FILE = Path(__file__).resolve().parent / "verified_answers.jsonl"

#: A slot of a template: ``{{3}}``.
_SLOT = re.compile(r"\{\{(\d+)\}\}")

Embed = Callable[[Sequence[str]], np.ndarray]


# -- slots ------------------------------------------------------------------------------------

#: Parser cues that do not change what is asked (how a follow-up opens, a greeting).
_STYLE_CUES = frozenset({"followup_start", "pronoun", "help"})
#: Words that turn a question into its opposite ("blev inte levererade").
_NEGATION = re.compile(r"\b(inte|ej|icke|aldrig|inga|inget|ingen|not|no|never)\b")


def question_slots(parsed: Parsed) -> dict[str, Any]:
    """What must agree for two questions to mean the same, as the offline parser reads them.

    The year and objekt slots (``years``, ``relative``, ``since``, ``until``, ``objekt``), and
    what is asked about: the figures, statuses, axis ranges, breakdown, benefit kind, the
    question-type cues (count, list, top, low, compare, why, method, ...) and negation. The
    embedding alone cannot tell "flest" from "minst" or "levererades" from "blev inte
    levererade" (measured: ``docs/measurements.md``).
    """
    return {
        "years": sorted(parsed.years),
        "relative": parsed.relative,
        "since": parsed.since,
        "until": parsed.until,
        "objekt": parsed.objekt,
        "figures": sorted(set(parsed.figures)),
        "status": parsed.status,
        "statuses": sorted(parsed.statuses),
        "ranges": [list(r) for r in parsed.ranges],
        "breakdown": parsed.breakdown,
        "benefit_kind": parsed.benefit_kind,
        "cues": sorted(parsed.cues - _STYLE_CUES),
        "negated": bool(_NEGATION.search(parsed.norm)),
    }


#: The slots that decide a match (every key of :func:`question_slots`).
SLOT_KEYS = (
    "years",
    "relative",
    "since",
    "until",
    "objekt",
    "figures",
    "status",
    "statuses",
    "ranges",
    "breakdown",
    "benefit_kind",
    "cues",
    "negated",
)


def slots_match(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """True when two questions' slots (:func:`question_slots`) are all the same."""
    return all(_slot_value(a.get(k)) == _slot_value(b.get(k)) for k in SLOT_KEYS)


def _slot_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_slot_value(v) for v in value)
    return value


# -- templates: figures as slots into tool results ----------------------------------------------


@dataclass(frozen=True)
class FigureRef:
    """Where one number of a verified answer comes from.

    Attributes:
        call: The index of the tool call whose result holds the figure.
        path: The keys (and list indexes) from the result to the figure's dict.
        field: ``display``, ``change_display``, ``change_abs`` (the change without its sign, as
            "en ökning med 0,1" writes it), ``previous_display`` or ``n`` ("n = 142").
        key: The figure's key (``index``, ``digital_mognad``, ...), for people reading it.
        year: The figure's year.
    """

    call: int
    path: tuple[str | int, ...]
    field: str
    key: str
    year: int | None

    def to_dict(self) -> dict[str, Any]:
        """The reference as stored (JSON)."""
        return {
            "call": self.call,
            "path": list(self.path),
            "field": self.field,
            "key": self.key,
            "year": self.year,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FigureRef:
        """A stored reference."""
        return cls(
            call=int(data["call"]),
            path=tuple(data.get("path") or ()),
            field=str(data["field"]),
            key=str(data.get("key", "")),
            year=data.get("year"),
        )


def _figure_dicts(
    value: Any, path: tuple[str | int, ...] = ()
) -> Iterable[tuple[tuple[str | int, ...], Mapping[str, Any]]]:
    """Every figure dict (one with ``key`` and a ``display`` text) in a tool result, in order."""
    if isinstance(value, Mapping):
        if isinstance(value.get("display"), str) and "key" in value:
            yield path, value
        for k, v in value.items():
            yield from _figure_dicts(v, (*path, str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _figure_dicts(v, (*path, i))


def figure_texts(fig: Mapping[str, Any]) -> dict[str, str]:
    """The ways a figure's numbers are written in answers, by field (see :class:`FigureRef`)."""
    display = str(fig.get("display") or "")
    out: dict[str, str] = {}
    if display and display != "–":
        out["display"] = display
    change = fig.get("change_display")
    if isinstance(change, str) and change:
        out["change_display"] = change
        bare = change.split(" ")[0].lstrip("+-±−")
        if bare and bare != change and fig.get("unit") != "count":  # "med 3": too ambiguous
            out["change_abs"] = bare
    n = fig.get("n")
    if isinstance(n, int) and not isinstance(n, bool):
        out["n"] = f"n = {n}"  # as the offline answers write the number of observations
    previous = fig.get("previous")
    if isinstance(previous, int | float) and math.isfinite(previous) and display:
        text = fmt_number(float(previous), display_decimals(display))
        out["previous_display"] = text + (" %" if display.endswith("%") else "")
    return out


def _resolve(result: Any, path: Sequence[str | int]) -> Mapping[str, Any] | None:
    node = result
    for step in path:
        if isinstance(node, Mapping) and str(step) in node:
            node = node[str(step)]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return None
    return node if isinstance(node, Mapping) else None


def _number_pattern(text: str) -> re.Pattern[str]:
    """``text`` as a whole number in a sentence (not a piece of a longer number)."""
    return re.compile(r"(?<![\d,.{])" + re.escape(text) + r"(?![\d}]|[,.]\d)")


#: The order in which a number is attributed when several figures are written the same way.
_FIELD_ORDER = ("display", "change_display", "previous_display", "change_abs", "n")


def make_template(
    answer: str, tool_calls: Sequence[Mapping[str, Any]]
) -> tuple[str, list[FigureRef]]:
    """Turn the figures of ``answer`` into slots ``{{n}}`` pointing into the tool results.

    Longer texts are replaced first ("65,1 %" before "65,1"); a number written the same way by
    several figures goes to the first in :data:`_FIELD_ORDER`, then call order.
    """
    candidates: list[tuple[str, FigureRef]] = []
    for field_name in _FIELD_ORDER:
        for i, call in enumerate(tool_calls):
            if call.get("name") in SEARCH_TOOLS:
                continue
            for path, fig in _figure_dicts(call.get("result")):
                text = figure_texts(fig).get(field_name)
                if text:
                    ref = FigureRef(i, path, field_name, str(fig.get("key")), fig.get("year"))
                    candidates.append((text, ref))
    refs: list[FigureRef] = []
    template = answer.replace("{{", "{ {").replace("}}", "} }")
    used: set[str] = set()
    for text, ref in sorted(candidates, key=lambda c: -len(c[0])):
        if text in used:
            continue
        pattern = _number_pattern(text)
        if not pattern.search(template):
            continue
        used.add(text)
        slot = "{{" + str(len(refs)) + "}}"
        refs.append(ref)
        template = pattern.sub(slot, template)
    return template, refs


#: A number in a sentence (Swedish or English style), for :func:`unlinked_numbers`.
_ANY_NUMBER = re.compile(r"(?<![\w{])\d+(?:[ \u00a0]\d{3})*(?:[,.]\d+)?(?:\s?%)?")


def unlinked_numbers(template: str) -> list[str]:
    """Numbers of a template that no tool result gives (years aside): they are not recomputed."""
    text = _SLOT.sub(" ", template)
    return [
        m.group(0)
        for m in _ANY_NUMBER.finditer(text)
        if not re.fullmatch(r"(19|20)\d\d", m.group(0))
    ]


def fill_template(template: str, refs: Sequence[FigureRef], results: Sequence[Any]) -> str | None:
    """The template with every slot filled from ``results``; None when a figure is gone."""
    values: list[str] = []
    for ref in refs:
        if ref.call >= len(results):
            return None
        fig = _resolve(results[ref.call], ref.path)
        if fig is None or str(fig.get("key")) != ref.key:
            return None
        text = figure_texts(fig).get(ref.field)
        if text is None:
            return None
        values.append(text)
    return _SLOT.sub(lambda m: values[int(m.group(1))], template)


# -- the service --------------------------------------------------------------------------------


@dataclass
class Served:
    """A verified answer recomputed for today: what the chat shows."""

    id: str
    answer: str
    tool_calls: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    by: str
    at: str
    similarity: float
    figures: list[dict[str, Any]] = field(default_factory=list)

    def meta(self) -> dict[str, Any]:
        """``verified`` of the chat response: ``{id, by, at}`` (+ the similarity)."""
        return {
            "id": self.id,
            "by": self.by,
            "at": self.at,
            "similarity": round(self.similarity, 3),
        }


class VerifiedAnswers:
    """Create, find and serve verified answers (stored through :class:`Storage`)."""

    def __init__(
        self,
        storage: Storage,
        tools: ToolRegistry,
        objekt: Sequence[str],
        *,
        embed: Embed | None = None,
        threshold: float = SIMILARITY_THRESHOLD,
    ) -> None:
        """Use ``storage`` and re-run figures with ``tools``.

        Args:
            storage: Where verified answers are stored.
            tools: The tool registry that recomputes the figures.
            objekt: The dataset's objekt list (the parser's objekt slot).
            embed: Question embedder (default: the offline router's bundled one, loaded lazily).
            threshold: The least similarity for a match.
        """
        self.storage = storage
        self.tools = tools
        self.matcher = ObjektMatcher(objekt)
        self.threshold = threshold
        self._embed = embed
        self._lock = threading.Lock()
        self._cache: tuple[tuple[Any, ...], list[dict[str, Any]], np.ndarray] | None = None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings of ``texts``."""
        with self._lock:
            if self._embed is None:
                from assistant.offline.router import bundled_query_embedder

                self._embed = bundled_query_embedder()
        vectors = np.asarray(self._embed(texts), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.asarray(vectors / np.where(norms == 0, 1.0, norms), dtype=np.float32)

    def slots(self, question: str) -> dict[str, Any]:
        """The year/objekt slots of ``question``."""
        return question_slots(parse(question, self.matcher))

    # -- create ---------------------------------------------------------------------------------

    def prepare(
        self,
        question: str,
        answer: str,
        tool_calls: Sequence[Mapping[str, Any]],
        sources: Sequence[Mapping[str, Any]],
    ) -> dict[str, Any]:
        """The stored form of a verified answer (template, figure slots, embedding, slots)."""
        calls: list[dict[str, Any]] = []
        with_results: list[dict[str, Any]] = []
        for call in tool_calls:
            name = str(call.get("name"))
            if not self.recomputable(name):
                continue
            arguments = dict(call.get("arguments") or {})
            calls.append({"name": name, "arguments": arguments})
            with_results.append(
                {"name": name, "arguments": arguments, "result": self._run(name, arguments)}
            )
        template, refs = make_template(answer, with_results)
        vector = self.embed([question])[0]
        return {
            "unlinked_numbers": unlinked_numbers(template),
            "question": question,
            "answer": answer,
            "template": template,
            "figures": [r.to_dict() for r in refs],
            "tool_calls": calls,
            "sources": [dict(s) for s in sources],
            "slots": self.slots(question),
            "embedding": [round(float(x), 6) for x in vector],
        }

    def seed(self, path: Path = BUNDLED_FILE, by: str = "Digirapport") -> int:
        """Store the bundled verified answers not stored yet (a deleted one stays deleted)."""
        if not path.is_file():
            return 0
        known = self.storage.verified_ids(include_deleted=True)
        added = 0
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            item = json.loads(line)
            if item["id"] in known:
                continue
            tool_calls = item.get("tool_calls", [])
            record = self.prepare(
                item["question"], item["answer"], tool_calls, item.get("sources", [])
            )
            if len(record["figures"]) < int(item.get("min_figures", 0)):
                log.warning(
                    "Verifierat svar %s (%s rad %d) har färre siffror än väntat; data ändrad?",
                    item["id"],
                    path.name,
                    number,
                )
            if record["unlinked_numbers"]:
                log.warning(
                    "Verifierat svar %s: siffrorna %s räknas inte om",
                    item["id"],
                    ", ".join(record["unlinked_numbers"]),
                )
            try:
                self.storage.add_verified(
                    {**record, "id": item["id"], "created_by": item.get("by", by), "bundled": True}
                )
            except IntegrityError:  # another process loaded it at the same moment
                continue
            added += 1
        return added

    # -- serve ----------------------------------------------------------------------------------

    def recompute(self, record: Mapping[str, Any]) -> tuple[str, list[dict[str, Any]]] | None:
        """The answer with today's figures and the re-run tool calls; None when a figure is gone."""
        calls: list[dict[str, Any]] = []
        for call in record.get("tool_calls") or []:
            name = str(call.get("name"))
            arguments = dict(call.get("arguments") or {})
            calls.append(
                {"name": name, "arguments": arguments, "result": self._run(name, arguments)}
            )
        refs = [FigureRef.from_dict(r) for r in record.get("figures") or []]
        text = fill_template(str(record["template"]), refs, [c["result"] for c in calls])
        if text is None:
            return None
        return text, [c for c in calls if c["name"] not in SEARCH_TOOLS]

    def _run(self, name: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """A tool's result today (a search is not re-run: it holds no figures)."""
        return {} if name in SEARCH_TOOLS else self.tools.call(name, arguments)

    def readable(self, sources: Sequence[Mapping[str, Any]]) -> bool:
        """True when the current caller may read every document the answer quotes.

        An editor cleared for "känslig" may verify an answer quoting such a passage; a reader
        who may not read it never gets that answer (nor when the documents cannot be checked).
        """
        if not sources:
            return True
        store = getattr(self.tools.retriever, "store", None)
        if store is None:
            return False
        allowed = {d["source"] for d in store.list_documents(max_level=current_clearance())}
        return all(s.get("source") in allowed for s in sources)

    def recomputable(self, name: str) -> bool:
        """True for a tool of the registry (not a pseudo call such as the offline "berakning")."""
        return name in self.tools.tools

    def find(
        self, question: str, earlier_questions: Sequence[str] = ()
    ) -> tuple[Mapping[str, Any], float] | None:
        """The best stored verified answer for ``question`` (and its similarity), or None."""
        records, vectors = self._stored()
        if not records:
            return None
        parsed = parse(question, self.matcher)
        if earlier_questions and is_bare_followup(parsed):
            return None
        slots = question_slots(parsed)
        candidates = [i for i, r in enumerate(records) if slots_match(slots, r["slots"])]
        if not candidates:
            return None
        vector = self.embed([question])[0]
        if vectors.shape[1] != vector.shape[0]:
            return None  # stored with another embedder
        sims = vectors[candidates] @ vector
        best = int(np.argmax(sims))
        if float(sims[best]) < self.threshold:
            return None
        return records[candidates[best]], float(sims[best])

    def _stored(self) -> tuple[list[dict[str, Any]], np.ndarray]:
        """The verified answers in use and their unit vectors, read again only when changed."""
        version = self.storage.verified_version()
        with self._lock:
            if self._cache is not None and self._cache[0] == version:
                return self._cache[1], self._cache[2]
        records = [r for r in self.storage.list_verified(with_embeddings=True) if r["embedding"]]
        if not records:
            return [], np.zeros((0, 0), dtype=np.float32)
        dims = {len(r["embedding"]) for r in records}
        if len(dims) > 1:  # a change of embedder: keep the newest vectors' size
            size = len(records[0]["embedding"])
            records = [r for r in records if len(r["embedding"]) == size]
        vectors = np.asarray([r["embedding"] for r in records], dtype=np.float32).reshape(
            len(records), -1
        )
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = np.asarray(vectors / np.where(norms == 0, 1.0, norms), dtype=np.float32)
        with self._lock:
            self._cache = (version, records, vectors)
        return records, vectors

    def serve(self, question: str, earlier_questions: Sequence[str] = ()) -> Served | None:
        """The verified answer for ``question`` with today's figures, or None."""
        found = self.find(question, earlier_questions)
        if found is None:
            return None
        record, similarity = found
        if not self.readable(record.get("sources") or []):
            return None  # it quotes a document above the caller's clearance
        recomputed = self.recompute(record)
        if recomputed is None:
            log.warning(
                "Verifierat svar %s kunde inte räknas om; besvaras som vanligt", record["id"]
            )
            return None
        text, calls = recomputed
        at = record["created_at"]
        if isinstance(at, datetime) and at.tzinfo is None:
            at = at.replace(tzinfo=UTC)  # SQLite gives it back without its zone (stored as UTC)
        return Served(
            id=str(record["id"]),
            answer=text,
            tool_calls=calls,
            sources=list(record.get("sources") or []),
            by=str(record["created_by"]),
            at=at.isoformat() if isinstance(at, datetime) else str(at),
            similarity=similarity,
            figures=list(record.get("figures") or []),
        )


# -- the regression check (``digirapport eval verified``) -----------------------------------------


@dataclass(frozen=True)
class Check:
    """How a verified answer compares with the offline answer to its question today."""

    id: str
    question: str
    ok: bool
    problems: tuple[str, ...]
    expected: str | None
    actual: str

    def to_dict(self) -> dict[str, Any]:
        """The check as JSON."""
        return {
            "id": self.id,
            "question": self.question,
            "ok": self.ok,
            "problems": list(self.problems),
            "expected": self.expected,
            "actual": self.actual,
        }


def check_answer(
    record: Mapping[str, Any],
    recomputed: tuple[str, list[dict[str, Any]]] | None,
    fresh_answer: str,
    fresh_sources: Sequence[Mapping[str, Any]],
) -> Check:
    """Compare a verified answer (recomputed today) with a fresh offline answer to its question.

    They match when every figure the verified answer shows (its ``display`` slots, with today's
    values) is in the fresh answer, and, for an answer with sources, the fresh answer cites at
    least one of the same passages (document and section).
    """
    problems: list[str] = []
    expected = None
    if recomputed is None:
        problems.append("siffrorna kan inte räknas om (en figur saknas i dagens data)")
    else:
        expected, calls = recomputed
        results = [c["result"] for c in calls]
        for ref in (FigureRef.from_dict(r) for r in record.get("figures") or []):
            if ref.field != "display":
                continue
            fig = _resolve(results[ref.call], ref.path) if ref.call < len(results) else None
            text = figure_texts(fig).get("display") if fig else None
            if text and not _number_pattern(text).search(fresh_answer):
                problems.append(f"svaret saknar {text} ({ref.key} {ref.year})")
    wanted = {(s.get("source"), s.get("section")) for s in record.get("sources") or []}
    if wanted and not wanted & {(s.get("source"), s.get("section")) for s in fresh_sources}:
        listed = ", ".join(f"{src} {sec or ''}".strip() for src, sec in sorted(wanted, key=str))
        problems.append(f"svaret hänvisar inte till {listed}")
    return Check(
        id=str(record["id"]),
        question=str(record["question"]),
        ok=not problems,
        problems=tuple(problems),
        expected=expected,
        actual=fresh_answer,
    )


# -- choosing the threshold -----------------------------------------------------------------------

#: A number in an expected key ("8,2", "80 %", "1 234").
_KEY_NUMBER = re.compile(r"\d+(?:[ ,.]\d+)*")


@dataclass(frozen=True)
class EvalQuestion:
    """One question of a chat eval set, with the keys any right answer holds."""

    id: str
    question: str
    keys: frozenset[str]

    def numbers(self) -> set[float]:
        """The numbers in the keys ("80 %" and "80" are the same)."""
        out: set[float] = set()
        for key in self.keys:
            for text in _KEY_NUMBER.findall(key):
                try:
                    out.add(float(text.replace(" ", "").replace(",", ".")))
                except ValueError:
                    continue
        return out

    def same_answer(self, other: EvalQuestion) -> bool:
        """True when the two questions' keys name the same answer.

        A shared number, or a shared word key where one contains the other ("sekund" and
        "sekunder", "luleå" and "luleå tekniska universitet"): the questions ask for the same
        thing in the eval sets' terms. Keys were written by different authors for different
        files, so exact equality would call most paraphrases different.
        """
        if self.numbers() & other.numbers():
            return True
        words = [k for k in self.keys if not _KEY_NUMBER.fullmatch(k.replace("%", "").strip())]
        others = [k for k in other.keys if not _KEY_NUMBER.fullmatch(k.replace("%", "").strip())]
        return any(a in b or b in a for a in words for b in others)


def load_eval_questions(paths: Sequence[Path]) -> list[EvalQuestion]:
    """The questions of the chat eval files that stand alone (no history) and have keys."""
    out: list[EvalQuestion] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            if item.get("history"):
                continue
            keys = [*(item.get("expect_all") or []), *(item.get("expect_any") or [])]
            if not keys:
                continue
            out.append(
                EvalQuestion(
                    f"{path.stem}:{item['id']}",
                    item["question"],
                    frozenset(str(k).lower().strip() for k in keys),
                )
            )
    return out


def measure_threshold(
    questions: Sequence[EvalQuestion],
    embed: Embed,
    objekt: Sequence[str],
    thresholds: Sequence[float],
) -> dict[str, Any]:
    """Pair precision and recall of "means the same" at each threshold.

    Every pair of (differently worded) questions is a positive when their keys name the same
    answer (:meth:`EvalQuestion.same_answer`), else a negative. A pair is predicted "same" when
    its cosine similarity reaches the threshold and its slots agree (:func:`slots_match`).
    ``recall`` counts all positives, ``recall_same_slots`` those whose slots agree (the only
    ones a threshold can find); ``slot_mismatches_matched`` is always 0 by construction.
    """
    matcher = ObjektMatcher(objekt)
    slots = [question_slots(parse(q.question, matcher)) for q in questions]
    vectors = np.asarray(embed([q.question for q in questions]), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    sims = vectors @ vectors.T
    same: list[bool] = []
    agree: list[bool] = []
    sim: list[float] = []
    for i, first in enumerate(questions):
        for j in range(i + 1, len(questions)):
            second = questions[j]
            if first.question.strip().lower() == second.question.strip().lower():
                continue
            same.append(first.same_answer(second))
            agree.append(slots_match(slots[i], slots[j]))
            sim.append(float(sims[i, j]))
    same_a, agree_a, sim_a = np.array(same), np.array(agree), np.array(sim)
    positives = int(same_a.sum())
    reachable = int((same_a & agree_a).sum())
    rows = []
    for t in thresholds:
        predicted = (sim_a >= t) & agree_a
        tp = int((predicted & same_a).sum())
        fp = int((predicted & ~same_a).sum())
        rows.append(
            {
                "threshold": round(float(t), 3),
                "predicted": int(predicted.sum()),
                "true": tp,
                "false": fp,
                "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
                "recall": round(tp / positives, 3) if positives else 0.0,
                "recall_same_slots": round(tp / reachable, 3) if reachable else 0.0,
                "slot_mismatches_matched": int((predicted & ~agree_a).sum()),
            }
        )
    return {
        "questions": len(questions),
        "pairs": len(same),
        "positives": positives,
        "positives_with_same_slots": reachable,
        "rows": rows,
    }
