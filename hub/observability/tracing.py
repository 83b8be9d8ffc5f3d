"""OpenTelemetry traces: off unless the standard ``OTEL_*`` variables ask for them.

Turned on when ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``…_TRACES_ENDPOINT``) or
``OTEL_TRACES_EXPORTER`` is set, and ``OTEL_SDK_DISABLED`` is not ``true``; the SDK itself
reads the rest (``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``, ``OTEL_TRACES_SAMPLER``,
``OTEL_EXPORTER_OTLP_HEADERS``, …). Spans go out over OTLP/HTTP (``otlp``, the default) or
to stdout (``console``), always through ``MaskingExporter``.

When off, nothing is installed: no ASGI middleware, no SQLAlchemy listener, no aiohttp
trace config, no strawberry extension, and the hub's own span helpers return at once.
When on, what is traced (the instrumentations are the maintained OpenTelemetry ones):

- each HTTP request and WebSocket (``opentelemetry-instrumentation-asgi``; probes left out;
  URLs without their query string), each GraphQL operation with its parsing and validation
  (strawberry's extension, ``schema/extensions/tracing.py``: name and type, never the
  document or its variables; no per-field spans), each data-loader batch (``batch_span``);
- each SQL statement run for traced work (``opentelemetry-instrumentation-sqlalchemy``,
  parameterised; background polls left out);
- each connector load and each of its upstream attempts (``connectors.sdk.runtime``) and
  each outbound HTTP call (``opentelemetry-instrumentation-aiohttp-client``), which carries
  W3C ``traceparent`` to the sector systems and on every webhook;
- each delivery attempt, linked to the request whose transaction queued the message
  (its ``traceparent`` is kept in the outbox row): hours later, in another process.

Only W3C trace context is propagated, never baggage: a caller's baggage could carry personal
data on to a sector system or a partner.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import aiohttp
import yarl
from opentelemetry import context, propagate, trace
from opentelemetry.trace import Link, NonRecordingSpan, Span
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.people.identity import mask_identity_numbers

log = logging.getLogger("slrt.tracing")
TRACER = "slrt.hub"
PROBES = "/healthz,/readyz,/metrics"
# Headers are recorded only if a deployer asks (OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_*);
# these are redacted even then: tokens, cookies, secrets, webhook signatures.
SENSITIVE_HEADERS = ["authorization", "proxy-authorization", "cookie", "set-cookie", "webhook-signature",
                     ".*secret.*", ".*token.*", ".*api-key.*"]
_W3C = TraceContextTextMapPropagator()
_on = False


def wanted(env: Mapping[str, str] = os.environ) -> bool:
    """Whether the ``OTEL_*`` variables ask for traces."""
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporter = env.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter == "none":
        return False
    return bool(exporter or env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def enabled() -> bool:
    return _on


def configure_from_environment(service: str) -> bool:
    """Start tracing for this process if the environment asks for it; True when on."""
    if _on or not wanted():
        return _on
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

    exporters: list[SpanExporter] = []
    for name in os.environ.get("OTEL_TRACES_EXPORTER", "otlp").split(","):
        if name.strip().lower() == "console":
            exporters.append(ConsoleSpanExporter())
        elif name.strip().lower() in ("otlp", ""):
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            protocol = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or os.environ.get(
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            if protocol.strip().lower() != "http/protobuf":  # gRPC would need grpcio, not installed
                log.warning("OTEL_EXPORTER_OTLP_PROTOCOL %r is not supported here; sending http/protobuf", protocol)
            exporters.append(OTLPSpanExporter())
        else:
            log.warning("OTEL_TRACES_EXPORTER %r is not supported here (otlp, console); ignored", name.strip())
    install(exporters, service, BatchSpanProcessor)
    return True


def install(exporters: list[Any], service: str, processor: Callable[[Any], Any]) -> None:
    """Set the process's tracer provider: each exporter behind ``MaskingExporter``, fed by
    ``processor`` (``BatchSpanProcessor``; a test's ``SimpleSpanProcessor``)."""
    global _on
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider

    from hub.observability.trace_export import MaskingExporter

    resource = Resource.create()
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: service}))
    provider = TracerProvider(resource=resource)  # OTEL_TRACES_SAMPLER is read here
    for exporter in exporters:
        provider.add_span_processor(processor(MaskingExporter(exporter)))
    trace.set_tracer_provider(provider)
    propagate.set_global_textmap(_W3C)
    _on = True


def stop() -> None:
    """Install nothing more from now on (tests; the provider set stays, OpenTelemetry allows one)."""
    global _on
    _on = False


def resume() -> None:
    """Turn tracing back on after ``stop`` (tests), with the provider ``install`` set."""
    global _on
    _on = True


def flush() -> None:
    provider = trace.get_tracer_provider()
    if _on and hasattr(provider, "force_flush"):
        provider.force_flush()


# -- instrumentation, installed only when on ---------------------------------------------------
def instrument_engine(engine: AsyncEngine) -> None:
    """SQL spans for the statements of ``engine`` run inside a traced piece of work (a request,
    an operation, a delivery attempt), parameterised as SQLAlchemy sends them."""
    if not _on:
        return
    from opentelemetry.instrumentation.sqlalchemy import __version__
    from opentelemetry.metrics import get_meter

    # What SQLAlchemyInstrumentor().instrument(engine=…) does, for each engine of the process.
    name = "opentelemetry.instrumentation.sqlalchemy"
    usage = get_meter(name, __version__).create_up_down_counter("db.client.connections.usage")
    _engine_tracer()(trace.get_tracer(name, __version__), engine.sync_engine, usage)


def _engine_tracer() -> type:
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

    class WorkSql(EngineTracer):  # type: ignore[misc]
        """Statements outside any traced work are left out: the delivery worker's idle polls,
        the revocation list's reloads, the outbox gauges would otherwise each be a trace of one
        span, every second, burying the requests an operator is looking for."""

        def _before_cur_exec(self, conn: Any, cursor: Any, statement: Any, params: Any, context: Any,
                             executemany: Any) -> tuple[Any, Any]:
            if not trace.get_current_span().get_span_context().is_valid:
                return statement, params
            return super()._before_cur_exec(conn, cursor, statement, params, context, executemany)  # type: ignore[no-any-return]

    return WorkSql


def client_trace_configs() -> list[aiohttp.TraceConfig]:
    """For every hub-owned ``aiohttp.ClientSession``: a span per call and ``traceparent`` sent."""
    if not _on:
        return []
    from opentelemetry.instrumentation.aiohttp_client import create_trace_config

    return [create_trace_config(url_filter=url_for_span, sensitive_headers=SENSITIVE_HEADERS)]


def url_for_span(url: yarl.URL) -> str:
    """A URL as spans show it: no query string, no credentials, identity numbers masked (a sector
    system's API may carry a NIK in its path)."""
    return mask_identity_numbers(str(url.with_query(None).with_fragment(None).with_user(None)))


def asgi_middleware() -> list[Any]:
    """Starlette middleware tracing each request (outermost, so its span holds everything)."""
    if not _on:
        return []
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
    from starlette.middleware import Middleware

    return [Middleware(OpenTelemetryMiddleware, excluded_urls=PROBES, exclude_spans=["receive", "send"],
                       server_request_hook=_request_without_query,
                       http_capture_headers_sanitize_fields=SENSITIVE_HEADERS)]


_URL_ATTRIBUTES = ("http.url", "url.full", "http.target")


def _request_without_query(span: Span, scope: dict[str, Any]) -> None:
    # GraphQL over GET carries the whole document in the query string: it stays out of spans.
    attributes = getattr(span, "attributes", None) or {}
    for key in _URL_ATTRIBUTES:
        if isinstance(attributes.get(key), str):
            span.set_attribute(key, mask_identity_numbers(attributes[key].split("?", 1)[0]))
    if "url.query" in attributes:
        span.set_attribute("url.query", "")


# -- the hub's own spans -----------------------------------------------------------------------
_NOTHING = contextlib.nullcontext()


def batch_span(loader: str, keys: int) -> contextlib.AbstractContextManager[Any]:
    """A span for one data-loader batch: the group of resolvers waiting on the same I/O."""
    if not _on:
        return _NOTHING  # one attribute read and a shared no-op: this is on every request's path
    return trace.get_tracer(TRACER).start_as_current_span(
        f"load {loader}", record_exception=False, attributes={"slrt.loader": loader, "slrt.loader.keys": keys})


def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the current span, to keep beside work done later (the outbox)."""
    if not _on:
        return None
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    return carrier.get("traceparent")


def link_to(traceparent: str | None) -> list[Link]:
    """A link to the span a stored ``traceparent`` names (none for a missing or malformed one)."""
    if not traceparent:
        return []
    span_context = trace.get_current_span(_W3C.extract({"traceparent": traceparent})).get_span_context()
    return [Link(span_context)] if span_context.is_valid else []


@contextlib.contextmanager
def linked_span(name: str, traceparent: str | None, attributes: Mapping[str, Any]) -> Iterator[Span]:
    """A new trace's root span linked to the one ``traceparent`` names (a delivery attempt)."""
    if not _on:
        yield NonRecordingSpan(trace.INVALID_SPAN_CONTEXT)
        return
    with trace.get_tracer(TRACER).start_as_current_span(
            name, context=context.Context(), links=link_to(traceparent), attributes=dict(attributes),
            record_exception=False) as span:
        yield span


def current_trace_id() -> str | None:
    """The current trace's id (hex), for the request's log line."""
    if not _on:
        return None
    span_context = trace.get_current_span().get_span_context()
    return format(span_context.trace_id, "032x") if span_context.is_valid else None
