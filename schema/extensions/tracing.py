"""strawberry's OpenTelemetry extension, restricted to what the hub wants in a trace.

strawberry's ``OpenTelemetryExtension`` records the whole document as a ``query`` attribute
(inline values may be NIKs) and, through its ``resolve`` hook, a span with the arguments of
every field that has a resolver — hundreds for one case-graph answer, and a per-field hook
that slows every field even when nothing records (``bench/tracing.py`` measures both). Here:

- the operation span: its name and type (``GraphQL mutation CreateReferral``), the label the
  metrics use for it, never the document or its variables; it is the current span while the
  operation runs, so SQL, data-loader, connector and HTTP spans nest under it;
- strawberry's own parsing and validation spans;
- no per-field spans: the I/O of a query happens in data-loader batches (``batch_span``) and
  connector loads, which have spans of their own.

Installed by ``build_schema`` only when tracing is on.
"""

from __future__ import annotations

from collections.abc import Generator

from graphql import get_operation_ast
from opentelemetry import context, trace
from opentelemetry.trace import SpanKind, StatusCode
from strawberry.extensions import LifecycleStep, SchemaExtension
from strawberry.extensions.tracing import OpenTelemetryExtension

from schema.extensions.metrics import error_codes, operation_label


class OperationTracing(OpenTelemetryExtension):
    # The base class's per-field hook, switched off: strawberry then wraps no field at all.
    resolve = SchemaExtension.resolve  # type: ignore[assignment]

    def on_operation(self) -> Generator[None, None, None]:
        span = self._tracer.start_span("GraphQL operation", kind=SpanKind.INTERNAL,
                                       attributes={"component": "graphql"})
        self._span_holder[LifecycleStep.OPERATION] = span
        token = context.attach(trace.set_span_in_context(span))
        try:
            yield
        finally:
            ctx = self.execution_context
            operation = get_operation_ast(ctx.graphql_document, ctx.operation_name) if ctx.graphql_document else None
            kind = operation.operation.value if operation is not None else "unknown"
            selections = operation.selection_set.selections if operation is not None else ()
            first = getattr(getattr(selections[0], "name", None), "value", None) if selections else None
            name = operation_label(ctx.operation_name, first)
            span.update_name(f"GraphQL {kind} {name}")
            span.set_attribute("graphql.operation.type", kind)
            span.set_attribute("graphql.operation.name", name)
            errors = ctx.result.errors if ctx.result is not None else ctx.pre_execution_errors
            if codes := error_codes(errors):
                span.set_attribute("graphql.error.codes", sorted(set(codes)))
                if {"INTERNAL", "CONNECTOR_UNAVAILABLE"} & set(codes):
                    span.set_status(StatusCode.ERROR)
            context.detach(token)
            span.end()
