"""An external identity provider's JWKS, fetched with aiohttp and cached.

The set is refetched when it is older than ``max_age`` or when a token names a ``kid``
the cache lacks — but at most once per ``cooldown``, so a caller sending random ``kid``s
cannot make the hub hammer the identity provider. Concurrent misses share one fetch.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import aiohttp
from joserfc.jwk import KeySet

log = logging.getLogger("slrt.auth.jwks")


class JwksUnavailable(Exception):
    """The identity provider's key set could not be fetched and none is cached."""


class RemoteJwks:
    def __init__(self, url: str, *, cooldown: float = 30.0, max_age: float = 300.0, timeout: float = 5.0) -> None:
        self.url = url
        self.cooldown = cooldown
        self.max_age = max_age
        self.timeout = timeout
        self.fetches = 0  # how many times the provider was asked, for metrics and tests
        self._keys: KeySet | None = None
        self._kids: frozenset[str] = frozenset()
        self._fetched_at = -float("inf")
        self._attempted_at = -float("inf")
        self._lock = asyncio.Lock()
        self._session: aiohttp.ClientSession | None = None

    async def __call__(self, kid: str | None) -> KeySet:
        now = time.monotonic()
        fresh = now - self._fetched_at < self.max_age
        known = kid is None or kid in self._kids
        if self._keys is not None and fresh and known:
            return self._keys
        async with self._lock:
            now = time.monotonic()
            # Another request may have fetched while this one waited for the lock.
            if self._keys is not None and (kid is None or kid in self._kids) and now - self._fetched_at < self.max_age:
                return self._keys
            if now - self._attempted_at >= self.cooldown:
                self._attempted_at = now
                await self._fetch()
        if self._keys is None:
            raise JwksUnavailable("the identity provider's keys are not available")
        return self._keys

    async def _fetch(self) -> None:
        self.fetches += 1
        try:
            if self._session is None or self._session.closed:
                self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
            async with self._session.get(self.url, headers={"accept": "application/json"}) as response:
                response.raise_for_status()
                data: dict[str, Any] = await response.json(content_type=None)
            # Only signing keys of the accepted families; private parts are never kept.
            keys = [k for k in data.get("keys", []) if k.get("use", "sig") == "sig" and k.get("kty") in {"RSA", "EC"}]
            keyset = KeySet.import_key_set({"keys": keys})
        except (TimeoutError, aiohttp.ClientError, ValueError, TypeError, KeyError) as exc:
            log.warning("JWKS fetch from %s failed: %s", self.url, type(exc).__name__)
            return
        self._keys = keyset
        self._kids = frozenset(str(k.get("kid")) for k in keys if k.get("kid"))
        self._fetched_at = time.monotonic()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
