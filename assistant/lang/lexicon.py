"""A Swedish → English lexicon of the reports' words, to gloss quoted passages for English readers.

The offline assistant answers an English question with the report's Swedish sentences; it has no
model to translate them. It adds the key terms of the quote with their English meaning instead
("tre dagar – three days; äldreomsorgen – elderly care"). The lexicon (``lexicon_sv_en.tsv``:
Swedish term, tab, English gloss) holds base forms and the report's fixed phrases; words are
matched by stem, phrases by the stems of consecutive words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.lang.text import normalize, stem, tokens

LEXICON_PATH = Path(__file__).with_name("lexicon_sv_en.tsv")
#: Terms in one gloss, at most: the report's phrases first, then words as they occur.
MAX_TERMS = 16
#: Shorter words ("ta", "hör") say little on their own.
MIN_WORD_LETTERS = 4


@dataclass(frozen=True)
class Lexicon:
    """Single words as written and by stem, and phrases by their words' stems (longest first)."""

    exact: dict[str, str]
    words: dict[str, str]
    phrases: tuple[tuple[tuple[str, ...], str], ...]


@lru_cache(maxsize=1)
def lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """The lexicon read from ``path``; a line without exactly two fields is an error naming it."""
    exact: dict[str, str] = {}
    single: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not all(p.strip() for p in parts):
            raise ValueError(f"{path.name}, rad {number}: väntade 'svenska<TAB>engelska'")
        swedish, english = parts[0].strip(), parts[1].strip()
        stems = tuple(stem(w) for w in tokens(normalize(swedish)))
        if len(stems) == 1:
            exact.setdefault(normalize(swedish), english)
            single.setdefault(stems[0], english)
        elif stems:
            phrases.setdefault(stems, english)
    ordered = tuple(sorted(phrases.items(), key=lambda kv: -len(kv[0])))
    return Lexicon(exact, single, ordered)


def gloss(text: str, limit: int = MAX_TERMS) -> list[tuple[str, str]]:
    """The key terms of ``text`` as written there (case and hyphens kept), with English glosses.

    The report's phrases come first ("tre dagar"), then single words in the order they occur;
    a word already inside a glossed phrase, or with a stem glossed before, is not repeated.
    """
    lex = lexicon()
    text = unicodedata.normalize("NFC", text)
    spans = [m.span() for m in re.finditer(r"\w+", text)]
    written = [text[a:b].lower() for a, b in spans]
    stems = [stem(w) for w in written]
    used = [False] * len(written)
    found: list[tuple[int, str, str]] = []
    for phrase, english in lex.phrases:
        n = len(phrase)
        for i in range(len(stems) - n + 1):
            if tuple(stems[i : i + n]) == phrase and not any(used[i : i + n]):
                # as the text writes it: "AI-piloterna", "tre dagar"
                found.append((i, text[spans[i][0] : spans[i + n - 1][1]], english))
                used[i : i + n] = [True] * n
                break
    terms = [(w, e) for _i, w, e in sorted(found)]
    seen = {s for s, u in zip(stems, used, strict=True) if u}
    for (a, b), word, st, taken in zip(spans, written, stems, used, strict=True):
        if len(terms) >= limit:
            break
        if taken or st in seen or len(word) < MIN_WORD_LETTERS or word.isdigit():
            continue
        meaning = lex.exact.get(word) or lex.words.get(st)
        if meaning is not None:
            seen.add(st)
            terms.append((text[a:b], meaning))
    return terms[:limit]
