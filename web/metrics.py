"""Prometheus metrics: one registry per :class:`web.services.Services` (so per app).

Each app has its own :class:`prometheus_client.CollectorRegistry`, never the process-wide default,
so several apps in one process (the tests) do not collide and ``GET /metrics`` shows only this
app's numbers. Requests are labelled with the *route template* (``/api/figures/{key}``), never the
raw path, so the number of series stays bounded; requests that match no route share ``unmatched``.

| metric | type | labels |
|---|---|---|
| ``digirapport_http_requests_total`` | counter | method, route, status |
| ``digirapport_http_request_duration_seconds`` | histogram | method, route, status |
| ``digirapport_chat_answers_total`` | counter | mode (offline, llm) |
| ``digirapport_model_fallbacks_total`` | counter | (the model failed; offline answered) |
| ``digirapport_ungrounded_numbers_total`` | counter | (numbers the grounding check flagged) |
| ``digirapport_answers_with_ungrounded_numbers_total`` | counter | mode |
| ``digirapport_ingest_duration_seconds`` | histogram | status (added, replaced, failed …) |
| ``digirapport_ingest_failures_total`` | counter | |
| ``digirapport_retrieval_snapshot_age_seconds`` | gauge | collection |

A streamed answer's duration runs to its last byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from assistant.service import ChatResult

#: The exposition format's content type (text format 0.0.4).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
#: The route label of a request no route matched.
UNMATCHED = "unmatched"

#: Request latency buckets (seconds): fast JSON routes to slow chat answers and uploads.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
#: Ingest duration buckets (seconds): a small text file to a large PDF on a CPU.
INGEST_BUCKETS = (0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)


class _SnapshotAges(Collector):
    """The age of each retrieval snapshot, read at scrape time (nothing when none is built)."""

    def __init__(self, ages: Callable[[], Mapping[str, float]]) -> None:
        self.ages = ages

    def collect(self) -> Iterator[Metric]:
        gauge = GaugeMetricFamily(
            "digirapport_retrieval_snapshot_age_seconds",
            "Seconds since the search index (BM25 + sentence vectors) of a collection was built.",
            labels=["collection"],
        )
        for collection, age in sorted(self.ages().items()):
            gauge.add_metric([collection], age)
        yield gauge


class Metrics:
    """The app's metrics and the calls that update them."""

    def __init__(self, snapshot_ages: Callable[[], Mapping[str, float]] | None = None) -> None:
        """Create the metrics in a registry of their own.

        Args:
            snapshot_ages: Returns ``{collection: seconds}`` for the built retrieval snapshots.
        """
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "digirapport_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "digirapport_http_request_duration_seconds",
            "Time from request to the last byte of the answer.",
            ["method", "route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.answers = Counter(
            "digirapport_chat_answers", "Chat answers, by what answered.", ["mode"], registry=r
        )
        self.fallbacks = Counter(
            "digirapport_model_fallbacks",
            "Answers given offline because the language model failed.",
            registry=r,
        )
        self.ungrounded = Counter(
            "digirapport_ungrounded_numbers",
            "Numbers in answers that the grounding check found in no tool result or passage.",
            registry=r,
        )
        self.ungrounded_answers = Counter(
            "digirapport_answers_with_ungrounded_numbers",
            "Answers with at least one ungrounded number, by mode.",
            ["mode"],
            registry=r,
        )
        self.ingest_duration = Histogram(
            "digirapport_ingest_duration_seconds",
            "Time to ingest one document (parse, chunk, embed, store), by outcome.",
            ["status"],
            buckets=INGEST_BUCKETS,
            registry=r,
        )
        self.ingest_failures = Counter(
            "digirapport_ingest_failures", "Documents that could not be ingested.", registry=r
        )
        for mode in ("offline", "llm"):  # both series exist from the start (rate() needs them)
            self.answers.labels(mode=mode)
            self.ungrounded_answers.labels(mode=mode)
        if snapshot_ages is not None:
            r.register(_SnapshotAges(snapshot_ages))

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request and its duration."""
        labels = {"method": method, "route": route, "status": str(status)}
        self.requests.labels(**labels).inc()
        self.latency.labels(**labels).observe(seconds)

    def record_answer(self, result: ChatResult, fell_back: bool) -> None:
        """Count one chat answer (the assistant's ``on_answer`` hook)."""
        self.answers.labels(mode=result.mode).inc()
        if fell_back:
            self.fallbacks.inc()
        if result.ungrounded_numbers:
            self.ungrounded.inc(len(result.ungrounded_numbers))
            self.ungrounded_answers.labels(mode=result.mode).inc()

    def observe_ingest(self, seconds: float, status: str) -> None:
        """Count one ingested document (``status`` ``failed`` also counts as a failure)."""
        self.ingest_duration.labels(status=status).observe(seconds)
        if status == "failed":
            self.ingest_failures.inc()

    def exposition(self) -> bytes:
        """The metrics in the Prometheus text format."""
        return generate_latest(self.registry)
