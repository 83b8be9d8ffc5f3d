"""Bearer-token authentication at the HTTP edge: no valid token, no GraphQL (HTTP 401)."""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from auth.refusals import Refusal
from auth.verifier import InvalidToken, TokenVerifier

log = logging.getLogger("slrt.auth")


async def _unauthorized(send: Send, refusal: InvalidToken) -> None:
    """401: the sentence as the message; the stable code as ``extensions.reason`` and as the
    challenge's ``error_description`` (RFC 6750 restricts ``error`` to its own three codes)."""
    body = json.dumps({"errors": [{"message": str(refusal), "extensions": {
        "code": "UNAUTHENTICATED", "reason": refusal.reason.value}}]}).encode()
    if refusal.reason is Refusal.TOKEN_MISSING:
        # RFC 6750 3.1: a request with no credentials gets no error code in the challenge
        challenge = 'Bearer realm="slrt-hub"'
    else:
        challenge = f'Bearer realm="slrt-hub", error="invalid_token", error_description="{refusal.reason.value}"'
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
            await _unauthorized(send, self.verifier.refuse(Refusal.TOKEN_MISSING))
            return
        try:
            actor = await self.verifier.verify(token.strip())
        except InvalidToken as exc:
            log.info("token refused: %s", exc.reason.value)
            await _unauthorized(send, exc)
            return
        scope.setdefault("state", {})["actor"] = actor
        await self.app(scope, receive, send)
