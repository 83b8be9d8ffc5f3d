"""The last gate before a span leaves the process: every identity number masked.

Spans are kept free of personal data where they are made (no query text, no variables,
no resolver arguments, parameterised SQL, URLs without their query string). This exporter
is the net under that, as the log formatter is for log lines: a run of 16 digits in a
span's name, attributes, events, links or status becomes ``3275************`` before any
exporter (OTLP, console, a test's memory) sees it, whatever code put it there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from opentelemetry.sdk.trace import Event, ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.trace import Link, Status

from hub.people.identity import mask_identity_numbers

_DIGITS16 = "0123456789"


def _suspect(text: str) -> bool:
    # Cheap pre-check: the regex runs only on strings that hold 16 digits at all.
    return len(text) >= 16 and sum(c in _DIGITS16 for c in text) >= 16


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_identity_numbers(value) if _suspect(value) else value
    if isinstance(value, tuple | list):
        return type(value)(_value(v) for v in value)
    return value


def _attributes(attributes: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if attributes is None:
        return None
    return {mask_identity_numbers(k): _value(v) for k, v in attributes.items()}


def _strings(span: ReadableSpan) -> Sequence[str]:
    found: list[str] = [span.name, span.status.description or ""]
    groups = [span.attributes or {}, *(e.attributes or {} for e in span.events), *(lk.attributes or {} for lk in span.links)]
    found += [e.name for e in span.events]
    for attributes in groups:
        for key, value in attributes.items():
            found.append(key)
            found += [v for v in (value if isinstance(value, tuple | list) else (value,)) if isinstance(v, str)]
    return found


def masked(span: ReadableSpan) -> ReadableSpan:
    """``span`` itself when nothing in it holds 16 digits, else a copy with every run masked."""
    if not any(_suspect(text) for text in _strings(span)):
        return span
    status = span.status
    if status.description:
        status = Status(status.status_code, mask_identity_numbers(status.description))
    return ReadableSpan(
        name=mask_identity_numbers(span.name), context=span.context, parent=span.parent, resource=span.resource,
        attributes=_attributes(span.attributes),
        events=[Event(mask_identity_numbers(e.name), _attributes(e.attributes), e.timestamp) for e in span.events],
        links=[Link(lk.context, _attributes(lk.attributes)) for lk in span.links],
        kind=span.kind, status=status, start_time=span.start_time, end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope)


class MaskingExporter(SpanExporter):
    """Wraps the exporter that sends spans out; give it to the span processor."""

    def __init__(self, inner: SpanExporter) -> None:
        self._inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self._inner.export([masked(s) for s in spans])

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._inner.force_flush(timeout_millis)
