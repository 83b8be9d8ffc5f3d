"""Errors as the API shows them: payload ``UserError``s and top-level coded errors."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError

from hub.cases.errors import CaseError
from schema.enums import ErrorCode


@strawberry.type
class UserError:
    code: ErrorCode
    message: str
    field: list[str] | None = None

    @classmethod
    def from_domain(cls, error: CaseError) -> UserError:
        return cls(code=error.code, message=error.message, field=list(error.field) if error.field else None)


class HubError(GraphQLError):
    """A top-level error whose message and code are safe to show to the caller."""

    code = "INTERNAL"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": self.code, **extensions})


class Forbidden(HubError):
    code = "FORBIDDEN"


class NotFound(HubError):
    code = "NOT_FOUND"


class InvalidArgument(HubError):
    """An argument outside what the field accepts (a page size, a cursor from another list)."""

    code = "INVALID_INPUT"


class QueryTooComplex(HubError):
    code = "QUERY_TOO_COMPLEX"


class ConnectorUnavailable(HubError):
    """A sector system did not answer: only its field is null; ``connector`` names it."""

    code = "CONNECTOR_UNAVAILABLE"

    def __init__(self, connector: str, reason: str) -> None:
        # `reason` is a code from connectors.sdk (timeout, circuit_open, http_503...), never data
        super().__init__(f"{connector} is unavailable ({reason})", connector=connector, reason=reason)
