"""Request limits at the HTTP edge: body size (HTTP 413) and rate per caller (HTTP 429).

The API's allowance counts per caller — the token's subject together with its client
(``CallerAllowance.key``) — and is shared by HTTP requests and the operations of a
WebSocket; the token endpoint counts per client address. Both use the ``limits``
package's moving window. The API's count runs after authentication, so an
unauthenticated flood is refused by the 401 path without touching any counter a real
caller depends on.
"""

from __future__ import annotations

import json
import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from auth.principal import Actor


class _TooLarge(Exception):
    pass


async def reply(send: Send, status: int, code: str, message: str,
                headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    """A refusal at the edge, shaped like a GraphQL error: ``{"errors": [{message, extensions.code}]}``."""
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuses request bodies over ``max_bytes`` — by Content-Length, or while streaming —
    and closes a WebSocket (1009, message too big) on a frame over it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self.app(scope, self._bounded_frames(receive, send), send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        message = f"request body larger than {self.max_bytes} bytes"
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await reply(send, 413, "PAYLOAD_TOO_LARGE", message)
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
                await reply(send, 413, "PAYLOAD_TOO_LARGE", message)


    def _bounded_frames(self, receive: Receive, send: Send) -> Receive:
        # The server (uvicorn's ws_max_size) should refuse such frames first; this holds
        # under any server or setting, at the cost of the frame having been read.
        async def bounded() -> Message:
            message = await receive()
            if message["type"] == "websocket.receive":
                text = message.get("text")
                size = len(text.encode()) if text is not None else len(message.get("bytes") or b"")
                if size > self.max_bytes:
                    await send({"type": "websocket.close", "code": 1009,
                                "reason": f"frame larger than {self.max_bytes} bytes"})
                    return {"type": "websocket.disconnect", "code": 1009}
            return message

        return bounded


class CallerAllowance:
    """Operations per caller over the API, one allowance for HTTP and WebSocket alike."""

    def __init__(self, limit: str) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._items: list[RateLimitItem] = parse_many(limit)

    @staticmethod
    def key(actor: Actor) -> str:
        # The subject is the caller. Never the client alone: with an external identity
        # provider every user token carries the web app's `azp`, so a client-only key
        # lets one user spend everybody's allowance. The client is added so a service
        # account's allowance is its client's.
        return f"api:{actor.subject}|{actor.client_id or '-'}"

    def take(self, actor: Actor) -> int | None:
        """Counts one request or operation: None when allowed, else the seconds to wait."""
        return _take(self._limiter, self._items, self.key(actor))


def _take(limiter: MovingWindowRateLimiter, items: list[RateLimitItem], key: str) -> int | None:
    for item in items:
        if not limiter.hit(item, key):
            reset, _ = limiter.get_window_stats(item, key)
            return max(1, math.ceil(reset - time.time()))
    return None


class RateLimit:
    """``RATE_LIMITED`` with ``Retry-After`` once a caller exceeds its allowance."""

    def __init__(self, app: ASGIApp, allowance: CallerAllowance, token_limit: str) -> None:
        self.app = app
        self._allowance = allowance
        self._token_limiter = MovingWindowRateLimiter(MemoryStorage())
        self._token: list[RateLimitItem] = parse_many(token_limit)

    def _wait(self, scope: Scope) -> int | None:
        path = scope["path"]
        if path.startswith("/graphql"):
            actor = scope.get("state", {}).get("actor")
            return None if actor is None else self._allowance.take(actor)
        if path == "/oauth/token":
            client = scope.get("client")
            return _take(self._token_limiter, self._token, f"token:{client[0] if client else '-'}")
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        wait = self._wait(scope) if scope["type"] == "http" else None
        if wait is not None:
            await reply(send, 429, "RATE_LIMITED", f"too many requests; retry in {wait} s",
                         ((b"retry-after", str(wait).encode()),))
            return
        await self.app(scope, receive, send)
