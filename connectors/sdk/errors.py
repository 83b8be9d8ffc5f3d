"""The upstream error taxonomy, decided in one place.

Connectors never decide whether a failure is worth retrying: `Http` turns every
upstream answer into a value or one of two exception families here, and the runtime
retries `TransientUpstreamError` only. Whatever finally fails reaches the hub as
`ConnectorUnavailable`, which it maps to the GraphQL code `CONNECTOR_UNAVAILABLE`.
"""

from __future__ import annotations


class UpstreamError(Exception):
    """Base of every upstream failure; `reason` is a short, PII-free code."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientUpstreamError(UpstreamError):
    """Worth retrying: timeout, connection error, 408/425/429, 5xx, malformed body."""


class FatalUpstreamError(UpstreamError):
    """Not worth retrying: any other 4xx (bad credentials, bad request, ...)."""


# 408 Request Timeout and 425 Too Early are transient by definition (RFC 9110 / 8470).
_TRANSIENT_4XX = frozenset({408, 425, 429})


def error_for_status(status: int) -> UpstreamError | None:
    """Classify an HTTP status: None for success, else the error to raise."""
    if 200 <= status < 300:
        return None
    if status >= 500 or status in _TRANSIENT_4XX:
        return TransientUpstreamError(f"http_{status}")
    return FatalUpstreamError(f"http_{status}")


def malformed(detail: str = "malformed_body") -> TransientUpstreamError:
    """A body we cannot read is treated like a 5xx: a proxy or a half-deployed upstream."""
    return TransientUpstreamError(detail)


class ConnectorUnavailable(Exception):
    """The connector could not answer this batch; the hub nulls only its field.

    `reason` is one of: ``timeout``, ``circuit_open``, ``disabled``, ``connection``,
    ``malformed_body``, ``http_<status>``, ``connector_error`` (the connector code raised),
    ``token_...`` (the OAuth2 token endpoint failed) - never keys or personal data.
    """

    def __init__(self, connector_name: str, reason: str) -> None:
        super().__init__(f"connector {connector_name!r} unavailable: {reason}")
        self.connector_name = connector_name
        self.reason = reason


class ConnectorDefinitionError(Exception):
    """A connector class is broken; raised at start-up, naming the connector."""

    def __init__(self, connector_name: str, problem: str) -> None:
        super().__init__(f"connector {connector_name!r} is invalid: {problem}")
        self.connector_name = connector_name
        self.problem = problem
