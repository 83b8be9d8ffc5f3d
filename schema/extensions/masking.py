"""Unexpected errors reach clients as ``INTERNAL`` with a request id, and the log has the rest."""

from __future__ import annotations

import logging
import re

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

log = logging.getLogger("slrt.graphql")

# graphql-core 3.3: "Variable '$input' has invalid value at .sectors[1]: …"
# graphql-core 3.2: "Variable '$input' got invalid value 'X' at 'input.sectors[1]'; …"
_NEW_STYLE = re.compile(r"^Variable '\$(\w+)' has invalid value(?: at ([^:]+))?:")
_OLD_STYLE = re.compile(r"^Variable '\$(\w+)' got invalid value .*? at '([^']+)'")


def variable_path(message: str) -> list[str] | None:
    """The input path of a refused variable value, e.g. ["input", "sectors", "1"]."""
    if match := _NEW_STYLE.match(message):
        variable, rest = match.group(1), match.group(2) or ""
        return [variable, *[p for p in re.split(r"[.\[\]]+", rest) if p]]
    if match := _OLD_STYLE.match(message):
        return [p for p in re.split(r"[.\[\]]+", match.group(2)) if p]
    return None


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
            extensions = {"code": "INVALID_INPUT", "field": variable_path(error.message)}
            return GraphQLError(error.message, nodes=error.nodes, path=error.path, extensions=extensions)
        return error
