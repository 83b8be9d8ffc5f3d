"""Bearer-token authentication at the HTTP edge: no valid token, no GraphQL (HTTP 401)."""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from auth.verifier import InvalidToken, TokenVerifier

log = logging.getLogger("slrt.auth")


async def _unauthorized(send: Send, description: str) -> None:
    body = json.dumps({"errors": [{"message": description, "extensions": {"code": "UNAUTHENTICATED"}}]}).encode()
    challenge = f'Bearer realm="slrt-hub", error="invalid_token", error_description="{description}"'
    await send({"type": "http.response.start", "status": 401, "headers": [
        (b"content-type", b"application/json"), (b"www-authenticate", challenge.encode()),
        (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class BearerAuthentication:
    """Puts the verified ``Actor`` in ``scope["state"]["actor"]`` for the protected paths.

    The GraphiQL page itself (a browser GET asking for HTML) loads without a token when
    debug is on; every query it then sends needs one like any other client's.
    """

    def __init__(self, app: ASGIApp, verifier: TokenVerifier, protected: str = "/graphql",
                 allow_graphiql: bool = False) -> None:
        self.app = app
        self.verifier = verifier
        self.protected = protected
        self.allow_graphiql = allow_graphiql

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.protected):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if self.allow_graphiql and scope["method"] == "GET" and b"text/html" in headers.get(b"accept", b""):
            await self.app(scope, receive, send)
            return
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            await _unauthorized(send, "a bearer access token is required")
            return
        try:
            actor = await self.verifier.verify(token.strip())
        except InvalidToken as exc:
            log.info("token refused: %s", exc)
            await _unauthorized(send, str(exc))
            return
        scope.setdefault("state", {})["actor"] = actor
        await self.app(scope, receive, send)
