"""What-if questions: which target or which changed inputs a question names.

"Vad krävs för att indexet ska nå 8,5?" names a *target* (index 8,5); "Vad blir indexet om
genomförandegraden blir 95 %?" names a *scenario* (genomförandegrad 95). Each number of the
question (years aside) is paired with the figure named nearest before it (or, when none is,
right after it); words that ask for a goal ("nå", "krävs", "reach", "take") make it a target,
otherwise a named input with a number is a scenario. Pure and deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.lang.text import normalize
from assistant.offline.parse import _FIGURE_RE
from index_engine.formatting import parse_number

__all__ = ["OUTPUTS", "Scenario", "read_scenario"]

#: Figures a question sets a target for, most general first.
OUTPUTS = ("index", "forutsattningar", "resultat", "nytta")
#: Inputs a scenario may change (figure key -> what the question's number means).
_INPUTS = (
    "genomforandegrad",
    "nyttorealisering",
    "digital_mognad",
    "medarbetare",
    "forutsattningar",
    "resultat",
    "nytta",
)

#: The input behind a component of the index that has only one.
_COMPONENT_INPUT = {"nytta": "nyttorealisering", "resultat": "genomforandegrad"}

_NUMBER = re.compile(r"(?<![\w,.])(\d+(?:[.,]\d+)?)(\s*(?:%|procent\b|percent\b))?")
_MARK = re.compile(r"zznum(\d+)zz")
_TARGET_CUE = re.compile(
    r"\b(nå|når|nås|nått|uppnå\w*|reach\w*|hit|krävs|kräver|behövs|behöver|måste|must|need\w*|"
    r"take|takes|mål\w*|target\w*|lyfta|höja|raise|lift|räcker|enough|möjligt|possible|"
    r"går det|klara)\b"
)
#: "resultat och förutsättningar ligger kvar", "med oförändrad medarbetarsiffra", "if X stays":
#: the figures named just before are held, neither the goal nor the input to vary.
_HELD = re.compile(
    r"\b(ligger kvar|är kvar|står still|hålls (oförändrad\w*|konstant\w*)|oförändrad\w*"
    r"|stays?|remains?|held|unchanged|constant)\b"
)
_ALL_DONE = re.compile(
    r"\b(alla|samtliga|varje|every|all)\b[\w\s]{0,40}?\b(initiativ\w*|projekt\w*|initiatives?|"
    r"projects?)\b[\w\s]{0,40}?\b(genomför\w*|klara|klar|levereras|levererade|completed?|"
    r"delivered|done|finished)\b"
)


@dataclass(frozen=True)
class Scenario:
    """What a what-if question asks for."""

    target: str | None = None  # figure with a target value ...
    target_value: float | None = None
    vary: str | None = None  # ... reached by changing this input only (None: each usual one)
    overrides: dict[str, float] = field(default_factory=dict)  # or: these inputs changed
    all_completed: bool = False  # or: every open initiative of the year delivered
    outputs: tuple[str, ...] = ()  # figures the question asks about (besides the index)

    @property
    def is_target(self) -> bool:
        """True when the question asks what it takes to reach a value."""
        return self.target is not None


def _input_key(key: str, value: float, percent: bool) -> str | None:
    if key == "medarbetare":
        return "medarbetare_medel" if value <= 5 and not percent else "medarbetare"
    return key if key in _INPUTS else None


def read_scenario(question: str) -> Scenario:
    """The target or the changed inputs a what-if question names."""
    numbers: list[tuple[float, bool]] = []
    pieces: list[str] = []
    last = 0
    for m in _NUMBER.finditer(question):
        text, percent = m.group(1), bool(m.group(2))
        value = parse_number(text)
        if not percent and text.isdigit() and 1990 <= value <= 2100:
            continue  # a year
        pieces += [question[last : m.start()], f" zznum{len(numbers)}zz "]
        numbers.append((value, percent))
        last = m.end()
    pieces.append(question[last:])
    norm = normalize("".join(pieces))
    marks = [(m.start(), int(m.group(1))) for m in _MARK.finditer(norm)]
    text_only = _MARK.sub(lambda m: " " * len(m.group(0)), norm)
    named = sorted((m.start(), key) for rx, key, _s in _FIGURE_RE for m in rx.finditer(text_only))
    all_done = bool(_ALL_DONE.search(norm))
    if _TARGET_CUE.search(text_only) and not all_done:
        named = _not_held(named, text_only)
        # a goal is on the index scale: the output named nearest the number, either side
        said = [(p, k) for p, k in named if k in OUTPUTS]
        goals = []
        for pos, i in marks:
            value, percent = numbers[i]
            if percent or value > 10:
                continue
            near = min(said, key=lambda pk: abs(pk[0] - pos), default=(0, "index"))
            goals.append((near[1], value))
        goals.sort(key=lambda kv: OUTPUTS.index(kv[0]))
        goal_names = {k for k, _v in goals}
        rest = [k for _p, k in named if k not in goal_names]  # goals are outputs
        target = goals[0][0] if goals else _first_output(rest)
        goal: float | None = goals[0][1] if goals else None
        vary = next(
            (
                key
                for k in rest
                if (key := _input_key(k, 0.0, False)) and key != target and k not in OUTPUTS
            ),
            None,
        )
        if vary is None and target == "index":
            # "vad måste nyttan landa på för att indexet ska bli 8,5": the component's input
            vary = next((_COMPONENT_INPUT[k] for k in rest if k in _COMPONENT_INPUT), None)
        return Scenario(target=target, target_value=goal, vary=vary)
    # a changed input: the number with the figure named nearest before it (or right after)
    overrides: dict[str, float] = {}
    paired_at: set[int] = set()
    for pos, i in marks:
        before = [(p, k) for p, k in named if p < pos]
        after = [(p, k) for p, k in named if p > pos]
        chosen = before[-1] if before else (after[0] if after else None)
        if chosen is None:
            continue
        paired_at.add(chosen[0])
        value, percent = numbers[i]
        key = _input_key(chosen[1], value, percent)
        if key is not None:
            overrides[key] = value
    unpaired = [k for p, k in named if p not in paired_at]
    outputs = tuple(dict.fromkeys(k for k in unpaired if k in OUTPUTS or k in _INPUTS))
    if not overrides and not all_done:
        return Scenario(target=_first_output(unpaired), outputs=outputs)
    return Scenario(overrides=overrides, all_completed=all_done, outputs=outputs)


def _not_held(named: list[tuple[int, str]], text: str) -> list[tuple[int, str]]:
    """The figures named, without those the question holds fixed ("X ligger kvar (på 74,4)").

    A figure is held when a hold phrase follows it in its clause with no other figure between,
    or when "och"-joined figures precede one ("resultat och förutsättningar ligger kvar").
    """
    held: set[int] = set()
    for m in _HELD.finditer(text):
        before = [(p, k) for p, k in named if p < m.start()]
        if not before:
            continue
        p, _k = before[-1]
        if re.search(r"[,;–?]", text[p : m.start()]):
            continue  # the phrase is in another clause
        held.add(p)
        for q, _k2 in reversed(before[:-1]):
            between = text[q:p]  # "resultat och ": a figure joined to the held one
            if not re.search(r"\b(och|and|samt)\s*$", between) or len(between.split()) > 3:
                break
            held.add(q)
            p = q
    return [(p, k) for p, k in named if p not in held]


def _first_output(keys: list[str]) -> str:
    return next((k for k in OUTPUTS if k in keys), "index")
