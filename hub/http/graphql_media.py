"""GraphQL over HTTP media types: ``application/graphql-response+json`` for clients that ask.

The GraphQL-over-HTTP specification gives a client that accepts
``application/graphql-response+json`` status codes it can act on: a *request error* (a document
that does not parse or validate, or variables that do not coerce, so nothing was executed)
comes back as 400 with no ``data`` entry. A client that asks for ``application/json``, accepts
anything (``*/*``) or sends no ``Accept`` header keeps the legacy shape the specification
prescribes for it: 200 and ``"data": null``. Errors during execution are 200 in both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def preferred_media_type(accept: str | None) -> str:
    """The media type to answer in: the client's highest-ranked one the hub speaks.

    Ties go to the one listed first; wildcards and types the hub does not speak mean
    ``application/json`` (the specification's default for legacy clients).
    """
    best, best_q = JSON, -1.0
    for item in (accept or "").split(","):
        media, *params = (part.strip() for part in item.split(";"))
        media = media.lower()
        if media not in (GRAPHQL_RESPONSE, JSON):
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q and q > 0:
            best, best_q = media, q
    return best


def is_request_error(data_present: bool, errors: Sequence[Mapping[str, Any]] | None) -> bool:
    """Nothing was executed: the result has no data and none of its errors is at a field path.

    Parse and validation errors and variable-coercion errors are such; an error at a field
    that nulled a non-null root still has its ``path``, and is an execution error.
    """
    return not data_present and bool(errors) and all(not e.get("path") for e in errors or ())


def request_error_status(errors: Sequence[Mapping[str, Any]]) -> int:
    """400 for bad requests; 500 when the hub itself failed before executing (``INTERNAL``)."""
    codes = {(e.get("extensions") or {}).get("code") for e in errors}
    return 500 if "INTERNAL" in codes else 400


_STATE = "graphql_media"  # per-request notes between shaping the result and sending it


def shape_result(scope: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """One processed GraphQL result, as the client's media type wants it (HTTP only).

    Notes the media type and the status this result asks for in the request's state, for
    `finish_response`; a request error loses its ``data`` for graphql-response+json clients.
    """
    if scope.get("type") != "http":
        return result
    headers = dict(scope.get("headers") or [])
    media = preferred_media_type(headers.get(b"accept", b"").decode("latin-1"))
    status = 200
    if media == GRAPHQL_RESPONSE and is_request_error(result.get("data") is not None, result.get("errors")):
        result = {key: value for key, value in result.items() if key != "data"}
        status = request_error_status(result["errors"])
    notes = scope.setdefault("state", {}).setdefault(_STATE, {"media": media, "statuses": []})
    notes["statuses"].append(status)
    return result


def finish_response(scope: dict[str, Any], response: Any) -> Any:
    """Give a GraphQL JSON response the media type and status `shape_result` noted.

    A batch answers 200 whatever its operations' outcomes (the specification covers single
    requests); responses that carry no GraphQL result (GraphiQL, plain-text 4xx) pass as they are.
    """
    notes = (scope.get("state") or {}).get(_STATE)
    if (scope.get("type") != "http" or not notes or notes["media"] != GRAPHQL_RESPONSE
            or response.headers.get("content-type") != JSON):
        return response
    response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
    if len(notes["statuses"]) == 1 and response.status_code == 200:
        response.status_code = notes["statuses"][0]
    return response
