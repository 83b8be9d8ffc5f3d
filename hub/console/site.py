"""Serving the console: its files, its ``config.json``, and the headers that confine it.

Every response under ``/console/`` carries a Content-Security-Policy allowing scripts from
the hub itself only (plus the one inline import map, by hash), connections to the hub and
the identity provider only, and no framing: injected markup cannot load or send anything.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from hub.settings import Settings

STATIC = Path(__file__).parent / "static"
IMPORT_MAP = re.compile(rb'<script type="importmap">(.*?)</script>', re.S)


class ConsoleSite:
    def __init__(self, settings: Settings, demo_sign_in: bool = False) -> None:
        self.settings = settings
        self.demo_sign_in = demo_sign_in

    @cached_property
    def index(self) -> bytes:
        return (STATIC / "index.html").read_bytes()

    @cached_property
    def csp(self) -> str:
        found = IMPORT_MAP.search(self.index)
        assert found is not None, "index.html lost its import map"
        digest = base64.b64encode(hashlib.sha256(found.group(1)).digest()).decode()
        connect = ["'self'"]
        if self.settings.oauth_jwks_url:  # an external identity provider: discovery and token calls go there
            issuer = urlsplit(self.settings.issuer)
            connect.append(f"{issuer.scheme}://{issuer.netloc}")
        return "; ".join([
            "default-src 'self'", f"script-src 'self' 'sha256-{digest}'", "style-src 'self'",
            "img-src 'self' data:", f"connect-src {' '.join(connect)}", "frame-ancestors 'none'",
            "base-uri 'none'", "form-action 'self'", "object-src 'none'"])

    def headers(self) -> dict[str, str]:
        return {"content-security-policy": self.csp, "x-content-type-options": "nosniff",
                "referrer-policy": "no-referrer", "x-frame-options": "DENY", "cache-control": "no-cache"}

    def config(self) -> dict[str, Any]:
        """What the app needs to sign in; public, no secret in it."""
        s = self.settings
        if self.demo_sign_in:
            sign_in = "demo"
        elif s.oauth_jwks_url:
            sign_in = "oidc"
        else:
            sign_in = "none"
        return {"signIn": sign_in, "issuer": s.issuer if sign_in == "oidc" else None,
                "clientId": s.console_client_id, "scope": s.console_scope,
                "graphql": "/graphql", "debug": s.debug,
                # Pasting a token (from `slrt-hub token`) is for development only.
                "pasteToken": s.debug}

    def routes(self) -> list[BaseRoute]:
        async def to_slash(_: Request) -> Response:
            return RedirectResponse("/console/", status_code=308)

        async def index(_: Request) -> Response:
            return HTMLResponse(self.index, headers=self.headers())

        async def config(_: Request) -> Response:
            return JSONResponse(self.config(), headers=self.headers())

        return [Route("/console", to_slash), Route("/console/", index), Route("/console/config.json", config),
                Mount("/console", app=_WithHeaders(StaticFiles(directory=STATIC), self.headers))]


class _WithHeaders:
    def __init__(self, app: Any, headers: Any) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        extra = [(k.encode(), v.encode()) for k, v in self.headers().items()]

        async def sending(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, sending)
