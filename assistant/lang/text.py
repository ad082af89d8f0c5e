"""Swedish text helpers: normalising, tokens, stemming, compounds and numbers.

Reused by the retriever (BM25), the classifier and the chat's answer grounding. Everything is
deterministic and dependency-light (``snowballstemmer`` for the Swedish stemmer).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import snowballstemmer

from assistant.lang.stopwords import FUNCTION_WORDS

#: The function words (see :mod:`assistant.lang.stopwords`).
STOPWORDS = FUNCTION_WORDS

_EN_WORDS = frozenset(
    "what was the how many which did is are of in were has have does much since compare "
    "who when why list show tell me our their between year last this".split()
)
_SV_WORDS = frozenset(
    "vad var hur många vilka vilket vilken är och blev som det har hade inom i för sedan "
    "mellan när varför visa lista år förra året kommunens".split()
)


def is_english(tokens: Sequence[str]) -> bool:
    """Whether lower-cased word tokens read as English rather than Swedish (function words)."""
    en = sum(1 for w in tokens if w in _EN_WORDS)
    sv = sum(1 for w in tokens if w in _SV_WORDS) + sum(1 for w in tokens if re.search("[åäö]", w))
    return en > sv


#: Bumped when :func:`stem` or :func:`words` change what they return (search snapshots made by
#: another version are rebuilt).
ANALYSER_VERSION = 2

_stemmer_local = threading.local()

_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_TOKEN = re.compile(
    rf"(?P<num>{_NUMBER})(?P<pct>\s?%)?|(?P<word>[^\W\d_]+(?:-[^\W\d_]+)*)",
    re.UNICODE,
)


def _stemmer() -> snowballstemmer.stemmer:
    st = getattr(_stemmer_local, "st", None)
    if st is None:
        st = snowballstemmer.stemmer("swedish")
        _stemmer_local.st = st
    return st


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball Swedish stem of a lower-case word, also for forms Snowball leaves whole.

    * definite forms in -an and -orn: "nyttan" would not meet "nytta", nor
      "resultatindikatorn" "resultatindikator"; the form without its last "n" is stemmed;
    * adjectives' neuter -t: "internt", "operativt", "digitalt" meet "intern", "operativa".
    """
    st = str(_stemmer().stemWord(word))
    if st == word and len(word) >= 6:
        if word.endswith(("an", "orn")) or (word.endswith("t") and word[-2] in "vlnr"):
            st = str(_stemmer().stemWord(word[:-1]))
    return st


def normalise_number(raw: str) -> str:
    """``1 234,5`` / ``64.5`` -> ``1234,5`` / ``64,5`` (decimal comma, no thousands spaces)."""
    compact = re.sub(r"[ \u00a0\u202f]", "", raw)
    return compact.replace(".", ",")


def words(text: str) -> list[str]:
    """Lower-case word and number tokens in order (no stemming, stopwords kept).

    Numbers keep their decimal comma (``8,2``); a number followed by ``%`` also yields the token
    with the percent sign (``64,5%``). Hyphenated words yield their parts and the joined word.
    """
    out: list[str] = []
    for m in _TOKEN.finditer(text.lower()):
        if m.group("num"):
            num = normalise_number(m.group("num"))
            out.append(num)
            if m.group("pct"):
                out.append(num + "%")
        else:
            word = m.group("word")
            if "-" in word:
                parts = [p for p in word.split("-") if p]
                out.extend(parts)
                out.append("".join(parts))
            else:
                out.append(word)
    return out


_NUMBER_TOKEN = re.compile(r"\d+(?:,\d+)?%?")


def is_number(token: str) -> bool:
    """Whether a token is a number token (``8,2``, ``64,5%``, ``2025``)."""
    return token[:1].isdigit() and _NUMBER_TOKEN.fullmatch(token) is not None


def analyse(text: str) -> list[str]:
    """BM25 terms: stopwords dropped, words stemmed, numbers kept as written."""
    return analyse_words(words(text))


def analyse_words(tokens: Iterable[str]) -> list[str]:
    """BM25 terms from tokens of :func:`words` (see :func:`analyse`)."""
    terms: list[str] = []
    for tok in tokens:
        if tok[:1].isdigit():
            terms.append(tok)
        elif tok not in STOPWORDS and len(tok) > 1:
            terms.append(stem(tok))
        elif tok in ("ai", "it"):
            terms.append(tok)
    return terms


#: Swedish linking morphemes between compound parts (``mognad-s-mätning``, ``kvinn-o-...``).
_LINKS = ("s", "")


def split_compound(word: str, vocabulary: Container[str], min_part: int = 3) -> list[str]:
    """Split a compound into two known stems (``digitaliseringsindex`` -> digitalisering, index).

    Args:
        word: A lower-case word (not stemmed).
        vocabulary: Known stems (from the indexed texts).
        min_part: Shortest part allowed.

    Returns:
        The stems of the parts (head last), or ``[]`` when no split into known words exists. The
        split with the longest head wins (Swedish compounds are right-headed).
    """
    if len(word) < 2 * min_part + 1 or not word.isalpha():
        return []
    best: list[str] = []
    best_head = 0
    for i in range(min_part, len(word) - min_part + 1):
        head = word[i:]
        head_stem = stem(head)
        if head_stem not in vocabulary or len(head) < min_part:
            continue
        left = word[:i]
        for link in _LINKS:
            if link and not left.endswith(link):
                continue
            modifier = left[: len(left) - len(link)] if link else left
            if len(modifier) < min_part:
                continue
            mod_stem = stem(modifier)
            if mod_stem in vocabulary or modifier in vocabulary:
                if len(head) > best_head:
                    best = [mod_stem, head_stem]
                    best_head = len(head)
                break
    return best


def expand_compounds(
    tokens: Iterable[str],
    vocabulary: Container[str],
    cache: dict[str, list[str]] | None = None,
) -> list[str]:
    """Stems of the parts of every compound word among ``tokens`` (lower-case, unstemmed).

    Args:
        tokens: Words from :func:`words`.
        vocabulary: Known stems.
        cache: Optional memo of splits for this vocabulary (speeds up indexing many texts).
    """
    out: list[str] = []
    for tok in tokens:
        if len(tok) < 7 or tok in STOPWORDS or is_number(tok):
            continue
        if cache is None:
            out.extend(split_compound(tok, vocabulary))
            continue
        parts = cache.get(tok)
        if parts is None:
            parts = split_compound(tok, vocabulary)
            cache[tok] = parts
        out.extend(parts)
    return out


def char_ngrams(word: str, n: int = 4) -> list[str]:
    """Character n-grams of a word with boundary marks (``#mogn``, ``ogna`` ...)."""
    padded = f"#{word}#"
    if len(padded) <= n:
        return [padded]
    return [padded[i : i + n] for i in range(len(padded) - n + 1)]


def normalize(text: str) -> str:
    """A question for matching: lower case, NFC, punctuation to spaces (``-``, ``/`` too)."""
    text = unicodedata.normalize("NFC", text).lower()
    text = text.replace("’", "'").replace("´", "'")
    text = re.sub(r"[^\w%'\s]", " ", text)
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Words of a normalised text."""
    return re.findall(r"\w+", text)


def is_valid_text(text: str) -> bool:
    """Whether text can be stored and shown: no NUL, no lone surrogate (it cannot be UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_FOLD = str.maketrans("åäöé", "aaoe")


def fold(text: str) -> str:
    """Lower case without å, ä, ö (as keys spell them: ``genomforda``, ``forutsattningar``)."""
    return text.lower().translate(_FOLD)


def _dominant_spellings(
    spellings: Iterable[tuple[Any, str, int]], known: Container[str], dominance: int
) -> dict[Any, str]:
    """For each key, the spelling with Swedish letters that clearly dominates.

    From (key, spelling, count) triples: a spelling whose folded form is no ``known`` word, at
    least ``dominance`` times as frequent as the key's next one.
    """
    by_key: dict[Any, list[tuple[int, str]]] = {}
    for key, word, n in spellings:
        if fold(word) != word and fold(word) not in known:
            by_key.setdefault(key, []).append((n, word))
    out: dict[Any, str] = {}
    for key, found in by_key.items():
        found.sort(reverse=True)
        if len(found) == 1 or found[0][0] >= dominance * found[1][0]:
            out[key] = found[0][1]
    return out


class DiacriticRestorer:
    """Puts å, ä and ö back into words typed without them ("hur hogt blev forutsattningar").

    Built from a vocabulary of lower-case token sequences (sentences). A word is restored when
    its folded form is not itself a word of the vocabulary and one spelling with Swedish
    letters is at least :data:`DOMINANCE` times as frequent as any other, after the same
    previous word ("i ar" -> "i år") or else alone ("ar" alone stays: "år" or "är"). Only
    spellings seen :data:`MIN_COUNT` times are put in: for a rare one ("stärka") the typed word
    is as likely another word the vocabulary lacks ("starka").
    """

    DOMINANCE = 3
    MIN_COUNT = 3

    def __init__(self, sentences: Iterable[Sequence[str]]) -> None:
        """Count the words and word pairs of ``sentences``."""
        words: Counter[str] = Counter()
        pairs: Counter[tuple[str, str]] = Counter()
        for sentence in sentences:
            prev = ""
            for w in sentence:
                words[w] += 1
                pairs[(prev, w)] += 1
                prev = w
        self._counts = words
        self._words = self._dominant(((fold(w), w, n) for w, n in words.items()))
        self._pairs = self._dominant((((p, fold(w)), w, n) for (p, w), n in pairs.items()))

    def _dominant(self, spellings: Iterable[tuple[Any, str, int]]) -> dict[Any, str]:
        """For each folded key, the spelling with Swedish letters that clearly dominates."""
        return _dominant_spellings(spellings, self._counts, self.DOMINANCE)

    def restore(self, text: str) -> str:
        """``text`` with the words typed without Swedish letters spelled with them."""
        out: list[str] = []
        prev = ""
        for part in re.split(r"([^\w-]+)", text):
            low = part.lower()
            if part[:1].isalpha() and low == fold(low) and low not in self._counts:
                new = self._pairs.get((prev, low)) or self._words.get(low)
                if new is not None and self._counts[new] >= self.MIN_COUNT:
                    part = new if part.islower() else new.capitalize()
            if part[:1].isalnum():
                prev = part.lower()
            out.append(part)
        return "".join(out)


class StemRestorer:
    """Puts å, ä and ö back into rarer words by the stems of the indexed documents.

    :class:`DiacriticRestorer` knows the words of the router's examples; a topic word typed
    without Swedish letters ("skydda kanslig data") is found here instead: the
    word (of :data:`MIN_WORD` letters or more) whose stem is no indexed stem but the folded form
    of one with Swedish letters gets that stem's letters ("kanslig" -> "känslig"). A stem counts
    when :data:`MIN_COUNT` passages hold it and it dominates the other stems folding the same
    way (:data:`DOMINANCE`).
    """

    MIN_WORD = 5
    MIN_COUNT = 2
    DOMINANCE = 3

    def __init__(self, stem_counts: Mapping[str, int]) -> None:
        """Index the stems (with their passage counts) by their folded forms."""
        self._known = frozenset(stem_counts)
        self._folded: dict[str, str] = _dominant_spellings(
            (
                (fold(st), st, n)
                for st, n in stem_counts.items()
                if n >= self.MIN_COUNT and st.isalpha()
            ),
            stem_counts,
            self.DOMINANCE,
        )

    def restore(self, text: str) -> str:
        """``text`` with the words whose stems the documents spell with å, ä or ö so spelled."""
        if not self._folded:
            return text
        out: list[str] = []
        for part in re.split(r"([^\w-]+)", text):
            low = part.lower()
            if len(low) >= self.MIN_WORD and low.isalpha() and low == fold(low):
                st = stem(low)
                spelled = self._folded.get(st) if st not in self._known else None
                if spelled is not None and low.startswith(st):
                    new = spelled + low[len(st) :]
                    part = new if part.islower() else new.capitalize()
            out.append(part)
        return "".join(out)
