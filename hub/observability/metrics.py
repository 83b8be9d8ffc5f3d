"""Prometheus metrics of the hub (SPEC 10): the API and each delivery worker serve their own.

Metric families are module-level, as prometheus-client expects; the functions below are
the only way the rest of the hub records into them, so label values stay bounded (an
operation name, an error code, a connector name - never a NIK, a case id or a path
somebody made up). With ``serve --workers N`` every process records into shared files and
any worker's ``/metrics`` answers for all (``hub.observability.multiprocess``); each gauge
says how the processes' values combine (``multiprocess_mode``).
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

from connectors.sdk.runtime_breaker import BreakerState
from connectors.sdk.runtime_hooks import CallRecord
from hub.observability import multiprocess

# GraphQL answers are fast; webhooks and upstream calls may take seconds.
_FAST = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_SLOW = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)

GRAPHQL_REQUESTS = Counter("slrt_graphql_requests", "GraphQL operations executed",
                           ["operation", "type"])
GRAPHQL_LATENCY = Histogram("slrt_graphql_request_duration_seconds", "GraphQL operation latency",
                            ["operation"], buckets=_FAST)
GRAPHQL_ERRORS = Counter("slrt_graphql_errors", "Top-level GraphQL errors by extensions.code", ["code"])
HTTP_LATENCY = Histogram("slrt_http_request_duration_seconds", "HTTP request latency, first byte in to last out",
                         ["method", "route", "status"], buckets=_FAST)

CONNECTOR_CALLS = Counter("slrt_connector_calls", "Upstream loads per connector and outcome",
                          ["connector", "outcome"])
CONNECTOR_LATENCY = Histogram("slrt_connector_call_duration_seconds", "One upstream load, retries included",
                              ["connector"], buckets=_SLOW)
CONNECTOR_ERRORS = Counter("slrt_connector_errors", "Failed upstream loads by reason", ["connector", "reason"])
# Each process has its own breaker: with several workers, how many of them are in each state.
CONNECTOR_BREAKER = Gauge("slrt_connector_breaker_state",
                          "1 for the breaker's current state (CLOSED, HALF_OPEN, OPEN), 0 for the others; "
                          "with several workers, how many workers' breakers are in that state",
                          ["connector", "state"], multiprocess_mode="livesum")

DELIVERIES = Counter("slrt_deliveries", "Webhook delivery attempts by outcome (delivered, retry, dead, gone)",
                     ["outcome"])
DELIVERY_LATENCY = Histogram("slrt_delivery_duration_seconds", "One webhook POST", buckets=_SLOW)
# Read from the database by whichever process is scraped: the latest reading is the truth.
OUTBOX_DEPTH = Gauge("slrt_outbox_messages", "Outbox messages not yet delivered, by delivery state", ["state"],
                     multiprocess_mode="mostrecent")
OUTBOX_OLDEST_DUE = Gauge("slrt_outbox_oldest_due_age_seconds",
                          "How long the oldest due message has waited past its attempt time (0: none due)",
                          multiprocess_mode="mostrecent")
WORKER_LEASES = Counter("slrt_worker_leases", "Outbox leases taken, lost before recording, or handed back",
                        ["event"])

REVOCATION_RELOADS = Counter("slrt_revocation_list_reloads", "Reloads of the revoked clients and disabled partners "
                             "(outcome ok or error)", ["outcome"])

UNNAMED = "anonymous"


def observe_graphql(operation: str | None, kind: str, seconds: float, error_codes: list[str]) -> None:
    name = operation or UNNAMED
    GRAPHQL_REQUESTS.labels(name, kind).inc()
    GRAPHQL_LATENCY.labels(name).observe(seconds)
    for code in error_codes:
        GRAPHQL_ERRORS.labels(code).inc()


_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


def observe_http(method: str, route: str, status: int, seconds: float) -> None:
    HTTP_LATENCY.labels(method if method in _METHODS else "OTHER", route, str(status)).observe(seconds)


def observe_connector_call(record: CallRecord) -> None:
    """A `connectors.sdk` call hook: pass it in `hooks=` when building the runtimes."""
    CONNECTOR_CALLS.labels(record.connector, "ok" if record.outcome == "ok" else "error").inc()
    CONNECTOR_LATENCY.labels(record.connector).observe(record.duration)
    if record.outcome != "ok":
        CONNECTOR_ERRORS.labels(record.connector, record.outcome).inc()


def observe_breaker(connector: str, state: BreakerState) -> None:
    """A `connectors.sdk` breaker hook: pass it as `on_breaker_change=` when building the runtimes."""
    for each in BreakerState:
        CONNECTOR_BREAKER.labels(connector, each.value).set(1 if each is state else 0)


def observe_delivery(outcome: str, duration_ms: int) -> None:
    DELIVERIES.labels(outcome).inc()
    DELIVERY_LATENCY.observe(duration_ms / 1000)


def observe_leases(event: str, count: int = 1) -> None:
    if count:
        WORKER_LEASES.labels(event).inc(count)


def observe_revocation_reload(outcome: str) -> None:
    REVOCATION_RELOADS.labels(outcome).inc()


def exposition() -> tuple[bytes, str]:
    """The text format body and its content type, for a `/metrics` endpoint: this process's
    metrics, or with several workers every worker's, combined."""
    if multiprocess.enabled():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
