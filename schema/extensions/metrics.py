"""GraphQL metrics and the operation name on the request's log line.

Only ``on_operation``: per-field hooks would run for each of thousands of fields in a
case-graph answer. Listed first among the extensions so it finishes last, after
``HubErrors`` has coded (and masked) the errors it counts.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from graphql import GraphQLError, get_operation_ast
from strawberry.extensions import SchemaExtension

from hub.observability import metrics

# Clients name their operations freely; a bounded set of label values keeps Prometheus healthy.
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_MAX_NAMES = 500
_seen: set[str] = set()


def operation_label(given: str | None, first_field: str | None) -> str:
    """The client's operation name, else ``anonymous:<first root field>`` (schema-bounded)."""
    if given is None:
        return f"{metrics.UNNAMED}:{first_field}" if first_field else metrics.UNNAMED
    if not _NAME.match(given):
        return "invalid"
    if given not in _seen:
        if len(_seen) >= _MAX_NAMES:
            return "other"
        _seen.add(given)
    return given


def error_codes(errors: list[GraphQLError] | None) -> list[str]:
    # Errors GraphQL itself raises (a field that does not exist) carry no code.
    return [str((e.extensions or {}).get("code") or "GRAPHQL_VALIDATION_FAILED") for e in errors or ()]


class OperationMetrics(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        ctx = self.execution_context
        first_field: str | None = None
        kind = "unknown"
        operation = get_operation_ast(ctx.graphql_document, ctx.operation_name) if ctx.graphql_document else None
        if operation is not None:
            kind = operation.operation.value
            selections = operation.selection_set.selections
            first_field = getattr(getattr(selections[0], "name", None), "value", None) if selections else None
        name = operation_label(ctx.operation_name, first_field)
        errors = ctx.result.errors if ctx.result is not None else ctx.pre_execution_errors
        metrics.observe_graphql(name, kind, time.perf_counter() - started, error_codes(errors))
        _name_request(ctx.context, name)


def _name_request(context: object, name: str) -> None:
    """Puts the operation name in the ASGI scope, where the request log line picks it up."""
    request = getattr(context, "request", None)
    scope = getattr(request, "scope", None)
    if not isinstance(scope, dict):
        return
    state = scope.setdefault("state", {})
    # A batched request runs several operations; the log line names them all.
    state["operation"] = f"{state['operation']},{name}" if state.get("operation") else name
