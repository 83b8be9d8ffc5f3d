"""Outbound credentials: an API key header, or an OAuth2 client-credentials token.

authlib has no aiohttp client, so the token is fetched with aiohttp (RFC 6749 §4.4)
and cached until `leeway` seconds before it expires; concurrent loads share one fetch.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import aiohttp
import orjson
from pydantic import SecretStr

from connectors.sdk.errors import TransientUpstreamError, error_for_status, malformed
from connectors.sdk.http import NoAuth, OutboundAuth
from connectors.sdk.settings import ConnectorSettings


class ApiKeyAuth:
    def __init__(self, key: SecretStr, header: str = "X-API-Key") -> None:
        self._key = key
        self._header = header

    async def headers(self) -> dict[str, str]:
        return {self._header: self._key.get_secret_value()}

    def __repr__(self) -> str:
        return f"ApiKeyAuth(header={self._header!r}, key=**********)"


class OAuth2ClientCredentials:
    """Bearer token from a token endpoint, cached until shortly before expiry."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token_url: str,
        client_id: str,
        client_secret: SecretStr,
        scope: str | None = None,
        *,
        leeway: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._session = session
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._scope = scope
        self._leeway = leeway
        self._clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {await self.token()}"}

    async def token(self) -> str:
        async with self._lock:
            if self._token is None or self._clock() >= self._expires_at:
                await self._fetch()
            assert self._token is not None
            return self._token

    def invalidate(self) -> None:
        self._token = None

    async def _fetch(self) -> None:
        form = {"grant_type": "client_credentials"}
        if self._scope:
            form["scope"] = self._scope
        # client_secret_basic (RFC 6749 §2.3.1), the method every server must accept
        headers = {
            "Authorization": aiohttp.encode_basic_auth(
                self._client_id, self._client_secret.get_secret_value()
            )
        }
        self.fetches += 1
        try:
            async with self._session.post(self._token_url, data=form, headers=headers) as resp:
                raw = await resp.read()
                error = error_for_status(resp.status)
        except aiohttp.ClientError as exc:
            raise TransientUpstreamError("token_connection") from exc
        if error is not None:
            error.reason = f"token_{error.reason}"
            raise error
        try:
            body = orjson.loads(raw)
            token = str(body["access_token"])
            lifetime = float(body.get("expires_in", 300))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise malformed("token_malformed_body") from exc
        self._token = token
        self._expires_at = self._clock() + max(lifetime - self._leeway, 0.0)

    def __repr__(self) -> str:
        return f"OAuth2ClientCredentials(token_url={self._token_url!r}, client_id={self._client_id!r})"


def auth_from_settings(settings: ConnectorSettings, session: aiohttp.ClientSession) -> OutboundAuth:
    """Build the outbound auth the settings ask for; incomplete settings fail loudly."""
    if settings.auth == "api_key":
        if settings.api_key is None:
            raise ValueError("auth=api_key needs api_key")
        return ApiKeyAuth(settings.api_key, settings.api_key_header)
    if settings.auth == "oauth2":
        if not (settings.token_url and settings.client_id and settings.client_secret):
            raise ValueError("auth=oauth2 needs token_url, client_id and client_secret")
        return OAuth2ClientCredentials(
            session, settings.token_url, settings.client_id, settings.client_secret, settings.scope
        )
    return NoAuth()
