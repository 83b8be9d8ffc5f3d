"""Unexpected errors reach clients as ``INTERNAL`` with a request id, and the log has the rest."""

from __future__ import annotations

import logging
import re

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

log = logging.getLogger("slrt.graphql")

_VARIABLE_PATH = re.compile(r"at '([^']+)'")


def _is_unexpected(error: GraphQLError) -> bool:
    return error.original_error is not None and not isinstance(error.original_error, GraphQLError)


class HubErrors(MaskErrors):
    """Masks unexpected exceptions and codes invalid variables as ``INVALID_INPUT``."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda e: True)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        if _is_unexpected(error):
            request_id = getattr(self.execution_context.context, "request_id", None)
            log.error("unexpected error in %s", ".".join(map(str, error.path or [])),
                      extra={"request_id": request_id}, exc_info=error.original_error)
            return GraphQLError(f"Internal error; quote request id {request_id} when reporting it",
                                nodes=error.nodes, path=error.path,
                                extensions={"code": "INTERNAL", "requestId": request_id})
        if not (error.extensions or {}).get("code") and error.message.startswith("Variable '$"):
            # Values GraphQL itself refuses (an unknown Sector, a malformed Date) are bad input too.
            match = _VARIABLE_PATH.search(error.message)
            field = re.split(r"[.\[\]]+", match.group(1).strip("[]")) if match else None
            extensions = {"code": "INVALID_INPUT", "field": [f for f in field or [] if f] or None}
            return GraphQLError(error.message, nodes=error.nodes, path=error.path, extensions=extensions)
        return error
