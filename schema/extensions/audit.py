"""Writes the audit records of a request's unmasked PII reads before the response leaves.

If the audit log cannot be written, the response is withheld (``INTERNAL``): no
identity number is shown in clear without its record.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension

log = logging.getLogger("slrt.audit")


class PiiAudit(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        yield
        ctx = self.execution_context.context
        reads = getattr(ctx, "pii_reads", None)
        if not reads:
            return
        request = getattr(ctx, "request", None)
        client = getattr(request, "client", None)
        try:
            await ctx.hub.audit.record(ctx.actor, list(reads), client_ip=client.host if client else None,
                                       request_id=ctx.request_id)
        except Exception:
            log.exception("audit log write failed; response withheld", extra={"request_id": ctx.request_id})
            result = self.execution_context.result
            if isinstance(result, ExecutionResult):  # changed in place: strawberry returns this object
                result.data = None
                result.errors = [GraphQLError(f"Internal error; quote request id {ctx.request_id} when reporting it",
                                              extensions={"code": "INTERNAL", "requestId": ctx.request_id})]
        reads.clear()
