"""A request id for every request (returned in ``x-request-id``) and one log line per request."""

from __future__ import annotations

import logging
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.observability import metrics, request_id as request_ids, tracing

log = logging.getLogger("slrt.request")
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_IDENTITY_NUMBER = re.compile(r"\d{16}")


def _request_id(scope: Scope) -> str:
    """The caller's ``x-request-id`` when it is harmless, else a new one.

    Harmless: 8–64 characters of ``A-Za-z0-9._-`` without a run of 16 digits. Kept for
    tracing across systems; anything else (long, spaces, markup, control characters, a
    NIK) never reaches a log line, an audit row or the audit log's readers.
    """
    given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
    harmless = _SAFE_ID.fullmatch(given) and not _IDENTITY_NUMBER.search(given)
    request_id = given if harmless else request_ids.new_request_id()
    scope.setdefault("state", {})["request_id"] = request_id
    return request_id


def _trace_id() -> dict[str, str]:
    # With tracing on, the line names the request's trace: from a log line to its trace.
    trace_id = tracing.current_trace_id()
    return {"trace_id": trace_id} if trace_id else {}


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
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
                "request_id": request_id, **_trace_id(), "method": scope["method"], "path": scope["path"], "status": status,
                "duration_ms": round(elapsed * 1000, 2),
                "subject": getattr(actor, "subject", None),
                "operation": scope.get("state", {}).get("operation"),
            })

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        # One id for the socket's life: its operations' audit rows and errors quote it.
        request_id = _request_id(scope)
        token = request_ids.current.set(request_id)

        async def accept_with_id(message: Message) -> None:
            if message["type"] == "websocket.accept":
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, accept_with_id)
        finally:
            request_ids.current.reset(token)
