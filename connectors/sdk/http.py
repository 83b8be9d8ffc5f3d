"""`Http`: the only way a connector talks to its upstream.

Wraps the hub's shared `aiohttp.ClientSession` with the connector's base URL and
outbound auth, reads JSON bodies, and classifies every failure with `errors`.
It has no timeout of its own: the runtime bounds the whole load (retries included).
"""

from __future__ import annotations

from typing import Any, Protocol

import aiohttp
import orjson

from connectors.sdk.errors import TransientUpstreamError, error_for_status, malformed


class OutboundAuth(Protocol):
    """Adds credentials to an outbound request (API key header, bearer token...)."""

    async def headers(self) -> dict[str, str]: ...


class NoAuth:
    async def headers(self) -> dict[str, str]:
        return {}


class Http:
    """Base-URL-relative JSON calls; counts the calls it makes (for the audit record)."""

    def __init__(
        self, session: aiohttp.ClientSession, base_url: str, auth: OutboundAuth | None = None
    ) -> None:
        self._session = session
        self.base_url = base_url.rstrip("/")
        self._auth = auth or NoAuth()
        self.calls = 0

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    async def get_json(self, path: str, params: dict[str, str] | None = None) -> Any:
        return await self.request_json("GET", path, params=params)

    async def post_json(self, path: str, body: Any) -> Any:
        return await self.request_json("POST", path, body=body)

    async def request_json(
        self, method: str, path: str, *, body: Any = None, params: dict[str, str] | None = None
    ) -> Any:
        headers = {"Accept": "application/json", **(await self._auth.headers())}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = orjson.dumps(body)
        self.calls += 1
        try:
            async with self._session.request(
                method, self.url(path), data=data, params=params, headers=headers
            ) as resp:
                raw = await resp.read()
                error = error_for_status(resp.status)
        except TimeoutError as exc:  # aiohttp's own socket timeouts
            raise TransientUpstreamError("timeout") from exc
        except aiohttp.ClientError as exc:
            raise TransientUpstreamError("connection") from exc
        if error is not None:
            raise error
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise malformed() from exc
