"""The PII rule on every result the hub sends, whatever the transport (README Access).

One function, `release`, makes a result fit to leave: for a caller without pii:read it
masks any 16-digit run left in the data, error messages and extensions (fields mask
their own numbers; this is the safety net for free text such as a complaint); for every
caller it writes the audit rows of the operation's clear reads in one batch, and if that
write fails it withholds the result (``INTERNAL``): no number is shown in clear without
its record.

`PiiGuard` applies it to each result exactly once:
- `on_stream_result`: every result `Schema.stream` yields — each subscription message,
  and queries and mutations over graphql-transport-ws;
- `on_operation`, at its end: the single result of `Schema.execute` (HTTP), which no
  stream hook sees.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from hub.access.audit import PiiRead
from hub.people.identity import mask_identity_numbers, mask_identity_numbers_in
from schema.access.pii import close_clear_reads, open_clear_reads

log = logging.getLogger("slrt.audit")


async def release(result: Any, context: Any, reads: set[PiiRead]) -> None:
    """Mask and audit `result` (a GraphQL execution result, changed in place) for `context`'s caller."""
    if not getattr(context, "sees_pii", False):  # no caller (a bare schema.execute): fail closed
        _mask(result)
    if not reads:
        return
    batch = list(reads)
    reads.clear()  # the next message of a subscription collects afresh
    request = getattr(context, "request", None)
    client = getattr(request, "client", None)
    try:
        await context.hub.audit.record(context.actor, batch, client_ip=client.host if client else None,
                                       request_id=context.request_id)
    except Exception:
        log.exception("audit log write failed; result withheld", extra={"request_id": context.request_id})
        result.data = None
        result.errors = [GraphQLError(f"Internal error; quote request id {context.request_id} when reporting it",
                                      extensions={"code": "INTERNAL", "requestId": context.request_id})]


def _mask(result: Any) -> None:
    if result.data is not None:
        result.data = mask_identity_numbers_in(result.data)
    if result.errors:
        result.errors = [_masked_error(e) for e in result.errors]
    if getattr(result, "extensions", None):
        result.extensions = mask_identity_numbers_in(result.extensions)


def _masked_error(error: GraphQLError) -> GraphQLError:
    message = mask_identity_numbers(error.message)
    extensions = mask_identity_numbers_in(error.extensions)
    if message == error.message and extensions == error.extensions:
        return error
    return GraphQLError(message, nodes=error.nodes, source=error.source, positions=error.positions,
                        path=error.path, original_error=error.original_error, extensions=extensions)


class PiiGuard(SchemaExtension):
    """Collects an operation's clear reads and releases each of its results (see module doc)."""

    def __init__(self, *, execution_context: Any = None) -> None:
        super().__init__(execution_context=execution_context)
        self._streamed = False
        self._reads: set[PiiRead] = set()

    async def on_operation(self) -> AsyncIterator[None]:
        self._reads, token = open_clear_reads()
        try:
            yield
            if not self._streamed and self.execution_context.result is not None:
                await release(self.execution_context.result, self.execution_context.context, self._reads)
        finally:
            close_clear_reads(token)

    async def on_stream_result(self, result: Any) -> AsyncIterator[None]:
        self._streamed = True
        await release(result, self.execution_context.context, self._reads)
        yield
