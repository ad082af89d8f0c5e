"""Assembles the product from the settings: the one place where the layers are wired together.

Both faces use it: the FastAPI lifespan builds one ``Services`` at start-up and closes it at
shutdown; each CLI command builds the parts it needs. Heavy parts (the embedding model, the Chroma
store, the retriever, the classifier) are created lazily on first use and then kept.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any

from web.metrics import Metrics
from web.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from assistant.classify import Classifier
    from assistant.llm import ChatModel
    from assistant.retrieval import HybridRetriever
    from assistant.service import Assistant
    from assistant.storage import Storage
    from assistant.verified import VerifiedAnswers
    from index_engine.loaders import Dataset
    from ingest.embeddings import Embedder
    from ingest.models import FileResult, SecurityLevel
    from ingest.parsers import ParseLimits
    from ingest.store import Store


@dataclass
class Services:
    """The assembled parts of the product, shared by all requests of one process.

    Never read another cached property while holding ``_lock``: on Python 3.11 every
    ``cached_property`` has its own lock, so nesting them inside ``_lock`` deadlocks (seen: the
    first chat and the first upload arriving together hung the server for good).
    """

    settings: Settings
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    #: This process's metrics (``GET /metrics``), in a registry of their own.
    metrics: Metrics = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.metrics = Metrics(snapshot_ages=self._snapshot_ages)

    def _snapshot_ages(self) -> dict[str, float]:
        """The retrieval snapshots' ages; nothing until the retriever is built (never builds it)."""
        retriever = self.__dict__.get("retriever")
        return retriever.snapshot_ages() if retriever is not None else {}

    @cached_property
    def dataset(self) -> Dataset:
        """The validated tables (initiatives, benefit register, DiMiOS, employee survey)."""
        from index_engine.loaders import load_dataset  # (pandas: imported when first needed)

        return load_dataset(self.settings.dataset_dir)

    def reload_dataset(self) -> Dataset:
        """Read the tables again (after new data was loaded) and drop what depends on them."""
        from index_engine.loaders import load_dataset

        with self._lock:
            fresh = load_dataset(self.settings.dataset_dir)
            self.__dict__["dataset"] = fresh
            for name in ("classifier", "assistant"):
                self.__dict__.pop(name, None)
            return fresh

    @cached_property
    def embedder(self) -> Embedder:
        """The embedding model chosen by ``DIGI_EMBEDDER``."""
        from ingest.embeddings import get_embedder

        s = self.settings
        with self._lock:
            return get_embedder(
                s.embedder,
                base_url=s.embeddings_base_url or s.llm_base_url,
                api_key=s.api_key_value,
            )

    @cached_property
    def store(self) -> Store:
        """The Chroma store: embedded under the data folder, or the configured server.

        Every version it ingests gets its retrieval snapshot (:mod:`assistant.retrieval_index`).
        """
        from ingest.store import open_store

        embedder = self.embedder  # dependencies outside _lock: see the class docstring
        with self._lock:
            store = open_store(
                data_dir=self.settings.data_dir,
                chroma_url=self.settings.chroma_url,
                embedder=embedder,
                limits=self.parse_limits,
            )
            store.indexer = partial(_write_snapshot, store)
            return store

    def unchanged_files(
        self, paths: Sequence[Path], level: SecurityLevel
    ) -> list[FileResult] | None:
        """Each file's ``unchanged`` result, when every file is stored as it is (else None).

        Answered from the embedded store's receipt without opening the store (an unchanged
        re-ingest then takes a fraction of a second); None sends the caller through the store.
        """
        from ingest.chunking import ChunkingConfig
        from ingest.receipt import all_unchanged, receipt_for

        receipt = receipt_for(self.settings.data_dir, self.settings.chroma_url)
        docs = receipt.documents() if receipt is not None else None
        if docs is None:
            return None
        embedder = self.embedder
        return all_unchanged(
            docs,
            paths,
            embedder=embedder.name,
            budget=ChunkingConfig(max_tokens=embedder.max_tokens).budget,
            level=level,
        )

    @property
    def parse_limits(self) -> ParseLimits:
        """What one uploaded or ingested document may hold (from the settings)."""
        from ingest.parsers import ParseLimits

        s = self.settings
        return ParseLimits(
            max_pages=s.max_document_pages,
            max_chars=s.max_document_chars,
            max_paragraphs=s.max_document_paragraphs,
            max_expanded_mb=s.max_document_expanded_mb,
            max_seconds=s.max_parse_seconds,
            max_chunks=s.max_document_chunks,
        )

    @cached_property
    def retriever(self) -> HybridRetriever:
        """Hybrid (dense + Swedish BM25) retrieval over the store."""
        from assistant.retrieval import HybridRetriever

        store = self.store  # dependencies outside _lock: see the class docstring
        with self._lock:
            return HybridRetriever(store)

    @cached_property
    def storage(self) -> Storage:
        """Conversations, accepted classifications and the audit log."""
        from assistant.storage import Storage

        with self._lock:
            return Storage(
                self.settings.resolved_database_url,
                max_messages=self.settings.conversation_max_messages,
                upgrade=self.settings.db_auto_upgrade,
            )

    @cached_property
    def chat_model(self) -> ChatModel | None:
        """The language model, or None in offline mode."""
        if self.settings.offline:
            return None
        from assistant.llm import OpenAIChatModel, build_openai_client

        s = self.settings
        client = build_openai_client(
            base_url=s.llm_base_url, api_key=s.api_key_value, timeout=s.llm_timeout
        )
        return OpenAIChatModel(
            client,
            model=s.llm_model,
            max_tokens=s.llm_max_tokens,
            temperature=s.llm_temperature,
            token_param=s.llm_token_param,
        )

    @cached_property
    def classifier(self) -> Classifier:
        """The initiative classifier, trained on the register plus accepted corrections."""
        from assistant.classify import Classifier

        dataset, embedder, storage = self.dataset, self.embedder, self.storage
        chat_model = self.chat_model  # dependencies outside _lock: see the class docstring
        with self._lock:
            return Classifier.train(
                dataset,
                embedder,
                corrections=storage.list_classifications(),
                chat_model=chat_model,
            )

    def reset_classifier(self) -> None:
        """Drop the trained classifier (after an accepted classification); retrained on next use."""
        with self._lock:
            self.__dict__.pop("classifier", None)

    @cached_property
    def assistant(self) -> Assistant:
        """The chat assistant: tools, offline responder and the model loop."""
        from assistant.service import Assistant

        dataset, retriever, storage = self.dataset, self.retriever, self.storage
        chat_model = self.chat_model  # dependencies outside _lock: see the class docstring
        with self._lock:
            assistant = Assistant(
                dataset=dataset,
                retriever=retriever,
                storage=storage,
                chat_model=chat_model,
                classifier_factory=lambda: self.classifier,
                max_rounds=self.settings.llm_max_rounds,
                max_question_chars=self.settings.max_question_chars,
                on_answer=self.metrics.record_answer,
            )
        if assistant.verified is not None and self.settings.verified_seed:
            from assistant.verified import BUNDLED_FILE

            assistant.verified.seed(self.settings.verified_file or BUNDLED_FILE)
        return assistant

    @property
    def verified(self) -> VerifiedAnswers:
        """The verified answers (of the assistant, which loads the bundled ones)."""
        verified = self.assistant.verified
        assert verified is not None  # the assistant has storage, so it has verified answers
        return verified

    def close(self) -> None:
        """Release what was opened."""
        if "storage" in self.__dict__:
            self.storage.close()


def _write_snapshot(store: Store, *version: Any) -> None:
    """Write a new version's retrieval snapshot (imported at the first write: a light CLI)."""
    from assistant.retrieval_index import write_segment

    write_segment(store, *version)
