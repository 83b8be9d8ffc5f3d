"""Request limits at the HTTP edge: body size (HTTP 413) and rate per caller (HTTP 429).

The rate limit counts per OAuth client (or, for user tokens, per subject) on the API and
per client address on the token endpoint, with the ``limits`` package's moving window.
It runs after authentication, so an unauthenticated flood is refused by the 401 path
without touching any counter a real caller depends on.
"""

from __future__ import annotations

import json
import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _TooLarge(Exception):
    pass


async def _reply(send: Send, status: int, code: str, message: str,
                 headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuses request bodies over ``max_bytes`` — by Content-Length, or while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        message = f"request body larger than {self.max_bytes} bytes"
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _reply(send, 413, "PAYLOAD_TOO_LARGE", message)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return msg

        async def tracking_send(msg: Message) -> None:
            nonlocal started
            started = started or msg["type"] == "http.response.start"
            await send(msg)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _reply(send, 413, "PAYLOAD_TOO_LARGE", message)


class RateLimit:
    """``RATE_LIMITED`` with ``Retry-After`` once a caller exceeds its allowance."""

    def __init__(self, app: ASGIApp, api_limit: str, token_limit: str) -> None:
        self.app = app
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._api: list[RateLimitItem] = parse_many(api_limit)
        self._token: list[RateLimitItem] = parse_many(token_limit)

    def _key(self, scope: Scope) -> tuple[list[RateLimitItem], str] | None:
        path = scope["path"]
        if path.startswith("/graphql"):
            actor = scope.get("state", {}).get("actor")
            if actor is None:
                return None
            return self._api, f"api:{actor.client_id or actor.subject}"
        if path == "/oauth/token":
            client = scope.get("client")
            return self._token, f"token:{client[0] if client else '-'}"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        keyed = None if scope["type"] != "http" else self._key(scope)
        if keyed is not None:
            items, key = keyed
            for item in items:
                if not self._limiter.hit(item, key):
                    reset, _ = self._limiter.get_window_stats(item, key)
                    wait = max(1, math.ceil(reset - time.time()))
                    await _reply(send, 429, "RATE_LIMITED", f"too many requests; retry in {wait} s",
                                 ((b"retry-after", str(wait).encode()),))
                    return
        await self.app(scope, receive, send)
