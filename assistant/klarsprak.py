"""Plain Swedish (klarspråk): a readability check of a text, flagged, never rewritten.

The Swedish Language Act (språklagen 11 §) asks public authorities for "vårdat, enkelt och
begripligt" language. :func:`check` measures a text the way a plain-language editor would:

* **LIX** (läsbarhetsindex, Björnsson): words per sentence + 100 × long words / words, where a
  long word has more than six letters. Under 30 very easy, 30–40 easy, 40–50 medium (the level
  of ordinary news and official information), 50–60 hard, over 60 very hard. A draft should
  reach :data:`LIX_GOAL` (45).
* **Long sentences**: more than :data:`LONG_SENTENCE` (25) words.
* **Passive forms**: the s-passive ("beräknas", "redovisades", "har mätts") and "bli/blev +
  participle" ("blev genomförd"); deponent verbs that only look passive ("finnas", "lyckas",
  "hoppas") are not counted. A heuristic: it flags for a human to read, it is never sure.
* **Nominalisations**: sentences with :data:`HEAVY_NOMINALS` or more nouns made from verbs or
  adjectives ("-ning", "-het", "-else", "-ering", "-tion").
* **Words to avoid**: terms of a municipal list (``klarsprak_ord.csv``: ``uttryck;ersätt med``,
  a trailing ``*`` matches every inflection) with a suggested replacement.

Words are the runs of letters and digits ("8,2" is one word); sentences end at ``.``, ``!``,
``?``, ``:`` before a new line, or at the end of a paragraph or list item. Headings and footnote
definitions are not body text and are not measured.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from assistant.errors import WordListError

#: The LIX a draft should reach (medium: ordinary official information).
LIX_GOAL = 45.0
#: A sentence with more words than this is long.
LONG_SENTENCE = 25
#: A word with more letters than this is long (LIX).
LONG_WORD = 6
#: A sentence with this many nominalisations or more is heavy.
HEAVY_NOMINALS = 3
#: The bundled list of words to avoid.
WORD_LIST = Path(__file__).with_name("klarsprak_ord.csv")

_WORD = re.compile(r"[^\W_]+(?:[,.:][0-9]+)*(?:-[^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"”'(]?[A-ZÅÄÖ])")
#: Abbreviations that end with a full stop but not a sentence.
_ABBREVIATION = re.compile(
    r"(?:\b(?:t\.ex|bl\.a|m\.fl|m\.m|d\.v\.s|dvs|s|jfr|ca|kap|nr|resp)\.)$", re.I
)
_FOOTNOTE_REF = re.compile(r"\[\^[\w-]+\]")
_MARKUP = re.compile(r"\*\*|__|(?<!\w)\*|\*(?!\w)|`")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")

#: Verbs whose s-form is active (deponents) or common words that end like a passive.
_NOT_PASSIVE = frozenset(
    """
    finnas finns fanns funnits lyckas lyckades lyckats hoppas hoppades hoppats synas syns
    syntes synts märkas märks märktes kännas känns kändes känts trivas trivs trivdes andas
    andades minnas minns mindes mints låtsas fattas fattades saknas saknades saknats
    vistas åldras svettas färdas brås umgås slåss kräkas tycks tycktes verkar
    plats bas fas gas alias status ideas process hypotes antites protes syntes analys
    vars annars dess mellanrummets tills sedermera ens ännu efteråt
    """.split()
)
_PASSIVE_ENDINGS = re.compile(r"(?:as|ades|ats|tts|[^s]tes|[^n]des|[^aeiouyåäös]es)$")
#: The supine s-passive after "har"/"hade": "har genomförts", "hade mätts".
_HAVE = frozenset({"har", "hade", "ha", "haft"})
#: Endings of genitives that look like an s-passive ("medarbetarnas", "verksamheternas").
_GENITIVE = re.compile(r"(?:rnas|ss)$")
#: Short s-passives the endings above leave out ("mäts", "ges", "ses").
_SHORT_PASSIVES = frozenset({"mäts", "mättes", "ges", "gavs", "ses", "sågs", "görs", "fås"})
_BLI = frozenset({"bli", "blir", "blev", "blivit", "blivits"})
_PARTICIPLE = re.compile(r"(?:ad|at|ade|ade|d|t|da|dda|tt|na|en|et|ne)$")

_NOMINAL = re.compile(
    r"(?:ing|ingen|ingar|ingarna|ingens|het|heten|heter|heterna|else|elsen|elser"
    r"|tion|tionen|tioner|tionerna)$"
)
_NOT_NOMINAL = frozenset(
    """
    någonting ingenting allting omkring ring ting kring het enhet enheten enheter enheterna
    inledningsvis många mängder
    """.split()
)


@dataclass(frozen=True)
class AvoidTerm:
    """A word or phrase to avoid and what to write instead."""

    term: str
    replacement: str
    prefix: bool = False

    def pattern(self) -> re.Pattern[str]:
        """Where the term occurs (whole words; a prefix term takes any ending)."""
        body = r"\s+".join(re.escape(part) for part in self.term.split())
        tail = r"\w*" if self.prefix else ""
        return re.compile(rf"(?<!\w){body}{tail}(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    """One sentence and what was flagged in it."""

    text: str
    words: int
    passives: tuple[str, ...] = ()
    nominals: tuple[str, ...] = ()
    avoid: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class KlarsprakReport:
    """The readability of a text: LIX and the flagged sentences.

    ``lix_plain`` is the LIX when the text's fixed terms (the model's concepts and names, which a
    writer cannot replace) count as short words; when only they keep LIX above the goal,
    ``reason`` says so.
    """

    lix: float
    words: int
    sentences: int
    long_words: int
    flagged: tuple[Sentence, ...] = field(default=())
    lix_plain: float | None = None
    fixed_terms: tuple[str, ...] = ()

    @property
    def passes(self) -> bool:
        """LIX at or below the goal."""
        return self.lix <= LIX_GOAL

    @property
    def reason(self) -> str | None:
        """Why the text may stay above the goal (None when it passes or has no excuse)."""
        if self.passes or self.lix_plain is None or self.lix_plain > LIX_GOAL:
            return None
        shown = ", ".join(self.fixed_terms[:4])
        return (
            f"LIX är {_one_decimal(self.lix)} eftersom texten använder indexmodellens fasta "
            f"begrepp och namn (till exempel {shown}), som inte kan bytas mot kortare ord. "
            f"Räknade som korta ord blir LIX {_one_decimal(self.lix_plain)}."
        )

    def level(self) -> str:
        """The LIX band in Swedish (``lätt``, ``medelsvår`` …)."""
        if self.lix < 30:
            return "mycket lätt"
        if self.lix < 40:
            return "lätt"
        if self.lix < 50:
            return "medelsvår"
        if self.lix < 60:
            return "svår"
        return "mycket svår"

    def to_dict(self) -> dict[str, Any]:
        """The ``klarsprak`` part of the drafts API response."""
        long = [s for s in self.flagged if s.words > LONG_SENTENCE]
        passive = [s for s in self.flagged if s.passives]
        heavy = [s for s in self.flagged if len(s.nominals) >= HEAVY_NOMINALS]
        avoid = [(s, term, repl) for s in self.flagged for term, repl in s.avoid]
        return {
            "lix": round(self.lix, 1),
            "lix_level": self.level(),
            "lix_goal": LIX_GOAL,
            "passes": self.passes,
            "reason": self.reason,
            "lix_plain": None if self.lix_plain is None else round(self.lix_plain, 1),
            "words": self.words,
            "sentences": self.sentences,
            "long_words": self.long_words,
            "long_sentences": [{"sentence": s.text, "words": s.words} for s in long],
            "passives": [{"sentence": s.text, "words": list(s.passives)} for s in passive],
            "nominalisations": [{"sentence": s.text, "words": list(s.nominals)} for s in heavy],
            "avoid": [
                {"sentence": s.text, "term": term, "replacement": repl} for s, term, repl in avoid
            ],
        }


def load_word_list(path: Path = WORD_LIST) -> tuple[AvoidTerm, ...]:
    """Read a list of words to avoid: ``uttryck;ersätt med`` per row, a header first.

    Raises:
        WordListError: The file cannot be read, or a row lacks a term or a replacement (names
            the file, row and column).
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise WordListError(
            f"Ordlistan {path.name} kunde inte läsas: {exc}.", file=str(path)
        ) from exc
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    terms: list[AvoidTerm] = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        for column, name in ((0, "uttryck"), (1, "ersätt med")):
            if len(row) <= column or not row[column].strip():
                raise WordListError(
                    f"Ordlistan {path.name}, rad {number}: kolumnen ”{name}” är tom. "
                    "Varje rad ska ha formen uttryck;ersätt med.",
                    file=str(path),
                    row=number,
                    column=name,
                )
        term = row[0].strip().lower()
        terms.append(AvoidTerm(term.rstrip("*"), row[1].strip(), prefix=term.endswith("*")))
    return tuple(terms)


@cache
def _bundled_terms() -> tuple[AvoidTerm, ...]:
    return load_word_list()


def words(text: str) -> list[str]:
    """The words of ``text`` (runs of letters and digits, "8,2" and "e-tjänst" one word each)."""
    return _WORD.findall(text)


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of one paragraph (or list item), stripped."""
    flat = " ".join(paragraph.split())
    out: list[str] = []
    for piece in _SENTENCE_END.split(flat):
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return [s.strip() for s in out if words(s)]


def lix(
    sentence_words: Sequence[Sequence[str]], short: Callable[[str], bool] | None = None
) -> float:
    """LIX of sentences given as word lists: words/sentences + 100 × long words/words.

    ``short`` names words that count as short whatever their length (fixed terms).
    """
    sentences = [s for s in sentence_words if s]
    total = sum(len(s) for s in sentences)
    if not total:
        return 0.0
    long = sum(1 for s in sentences for w in s if _is_long(w, short))
    return total / len(sentences) + 100.0 * long / total


def _is_long(word: str, short: Callable[[str], bool] | None = None) -> bool:
    return sum(1 for c in word if c.isalpha()) > LONG_WORD and not (short and short(word))


def _one_decimal(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def fixed_term_matcher(terms: Iterable[str]) -> Callable[[str], bool]:
    """Whether a word is (an inflection of) one of ``terms``' words (case-insensitive)."""
    stems = sorted({w.lower() for t in terms for w in words(t) if len(w) > LONG_WORD})
    # one alternation, longest first: a stem and at most four letters of ending
    body = "|".join(re.escape(x) for x in sorted(stems, key=len, reverse=True))
    pattern = re.compile(rf"(?:{body})\w{{0,4}}", re.IGNORECASE) if stems else None

    def fixed(word: str) -> bool:
        return pattern is not None and pattern.fullmatch(word) is not None

    return fixed


def passive_forms(sentence_words: Sequence[str]) -> list[str]:
    """The words of a sentence that look passive (s-passive, or bli + participle)."""
    found: list[str] = []
    lowered = [w.lower() for w in sentence_words]
    for i, w in enumerate(lowered):
        if w in _SHORT_PASSIVES:
            found.append(sentence_words[i])
            continue
        if w in _NOT_PASSIVE or len(w) < 5 or not w.isalpha() or _GENITIVE.search(w):
            continue
        supine = i > 0 and lowered[i - 1] in _HAVE and w.endswith("ts")
        if _PASSIVE_ENDINGS.search(w) or supine:
            found.append(sentence_words[i])
    for i, w in enumerate(lowered[:-1]):
        nxt = lowered[i + 1]
        if w in _BLI and len(nxt) > 4 and nxt.isalpha() and _PARTICIPLE.search(nxt):
            found.append(f"{sentence_words[i]} {sentence_words[i + 1]}")
    return found


def nominalisations(sentence_words: Sequence[str]) -> list[str]:
    """The words of a sentence that are nouns made from verbs or adjectives (-ning, -het …)."""
    return [
        w
        for w in sentence_words
        if len(w) > 6 and w.lower() not in _NOT_NOMINAL and _NOMINAL.search(w.lower())
    ]


def avoided(sentence: str, terms: Sequence[AvoidTerm]) -> list[tuple[str, str]]:
    """(the words as written, the suggested replacement) for each term of the list used."""
    out: list[tuple[str, str]] = []
    for pattern, term in _compiled(tuple(terms)):
        for match in pattern.finditer(sentence):
            out.append((match.group(0), term.replacement))
    return out


@cache
def _compiled(terms: tuple[AvoidTerm, ...]) -> tuple[tuple[re.Pattern[str], AvoidTerm], ...]:
    return tuple((term.pattern(), term) for term in terms)


def body_paragraphs(markdown: str) -> list[str]:
    """The body text of Markdown: paragraphs and list items.

    Headings, images, captions, tables and footnote definitions are left out; emphasis and
    footnote markers are removed.
    """
    out: list[str] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(" ".join(para))
            para.clear()

    for line in markdown.replace("\r\n", "\n").split("\n"):
        t = line.strip()
        if not t or t.startswith(("#", "|", "![", "[^")):
            flush()
            continue
        item = re.match(r"^(?:[-*•]|\d+[.)])\s+(.*)$", t)
        if item:
            flush()
            out.append(item.group(1))
            continue
        if t.startswith("*") and t.endswith("*") and t.count("*") == 2:
            flush()  # a caption line ("*Figur 1. …*") belongs to its chart
            continue
        para.append(t)
    flush()
    cleaned = (_MARKUP.sub("", _LINK.sub(r"\1", _FOOTNOTE_REF.sub("", p))) for p in out)
    return [p.strip() for p in cleaned if p.strip()]


def check(
    paragraphs: Iterable[str],
    terms: Sequence[AvoidTerm] | None = None,
    fixed_terms: Sequence[str] = (),
) -> KlarsprakReport:
    """Measure plain text given as paragraphs (or list items).

    Args:
        paragraphs: Body text; each is split into sentences (a list item without a full stop is
            one sentence).
        terms: Words to avoid (default the bundled list).
        fixed_terms: Concepts and names the text must use (the model's terms, objekt, areas):
            never flagged as nominalisations, and counted as short in ``lix_plain``.
    """
    avoid_terms = _bundled_terms() if terms is None else tuple(terms)
    fixed = fixed_term_matcher(fixed_terms) if fixed_terms else None
    sentence_words: list[list[str]] = []
    flagged: list[Sentence] = []
    for paragraph in paragraphs:
        for text in split_sentences(paragraph):
            ws = words(text)
            sentence_words.append(ws)
            passives = tuple(passive_forms(ws))
            nominals = tuple(w for w in nominalisations(ws) if not (fixed and fixed(w)))
            avoid = tuple(avoided(text, avoid_terms))
            if len(ws) > LONG_SENTENCE or passives or len(nominals) >= HEAVY_NOMINALS or avoid:
                flagged.append(Sentence(text, len(ws), passives, nominals, avoid))
    total = sum(len(s) for s in sentence_words)
    long = sum(1 for s in sentence_words for w in s if _is_long(w))
    used = Counter(
        w.lower() for s in sentence_words for w in s if fixed and _is_long(w) and fixed(w)
    )
    return KlarsprakReport(
        lix=lix(sentence_words),
        words=total,
        sentences=len(sentence_words),
        long_words=long,
        flagged=tuple(flagged),
        lix_plain=lix(sentence_words, fixed) if fixed else None,
        fixed_terms=tuple(w for w, _n in used.most_common()),
    )


def check_markdown(markdown: str, fixed_terms: Sequence[str] = ()) -> KlarsprakReport:
    """:func:`check` on the body text of a Markdown document."""
    return check(body_paragraphs(markdown), fixed_terms=fixed_terms)
