"""GraphQL over GET carries only what may be written in a URL.

URLs end up in proxy, browser and server logs, so a NIK or KK number in one is disclosed
to whoever reads those. A GET to ``/graphql`` may carry a query document (strawberry
already refuses mutations over GET) without ``variables`` and with no run of 16 digits in
any parameter; anything else is refused with HTTP 400 (``INVALID_INPUT``) before the
token is even looked at, and must be sent by POST. The GraphiQL page (a GET without a
query) is not affected.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from hub.http.limits import reply

IDENTITY_NUMBER = re.compile(r"\d{16}")


def unsafe_get(query_string: str) -> str | None:
    """Why a GET with this query string may not run, or None."""
    params = parse_qsl(query_string, keep_blank_values=True)
    if any(name == "variables" and value.strip() not in ("", "{}", "null") for name, value in params):
        return "GraphQL over GET takes no variables; send the request by POST"
    if any(IDENTITY_NUMBER.search(value) for _, value in params):
        return "a GraphQL GET request may not carry an identity number; send the request by POST"
    return None


class SafeGetQueries:
    def __init__(self, app: ASGIApp, path: str = "/graphql") -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == self.path:
            problem = unsafe_get(scope.get("query_string", b"").decode("latin-1"))
            if problem is not None:
                await reply(send, 400, "INVALID_INPUT", problem)
                return
        await self.app(scope, receive, send)
