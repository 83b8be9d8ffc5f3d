"""A request id for every request (returned in ``x-request-id``) and one log line per request."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.observability import metrics, request_id as request_ids

log = logging.getLogger("slrt.request")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        # A caller's id is kept for tracing across systems when it is harmless; else ours.
        request_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_ids.current.set(request_id)  # outbound calls pass it on
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_ids.current.reset(token)
            elapsed = time.perf_counter() - started
            # Unknown paths share one label: a scanner must not mint a time series per URL.
            metrics.observe_http(scope["method"], scope["path"] if status != 404 else "unmatched", status, elapsed)
            actor = scope.get("state", {}).get("actor")
            log.info("%s %s %s", scope["method"], scope["path"], status, extra={
                "request_id": request_id, "method": scope["method"], "path": scope["path"], "status": status,
                "duration_ms": round(elapsed * 1000, 2),
                "subject": getattr(actor, "subject", None),
                "operation": scope.get("state", {}).get("operation"),
            })
