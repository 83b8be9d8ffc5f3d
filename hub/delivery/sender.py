"""One webhook POST with aiohttp, in the Standard Webhooks wire format.

The connector refuses addresses the SSRF guard forbids at connect time (a resolver that
filters what DNS returns), so a name that changed to a private address since registration
is never called. Redirects are not followed. tenacity retries only a connection the server
dropped mid-request, within the attempt; the multi-hour schedule belongs to the outbox.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from standardwebhooks import Webhook
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_random

from hub.delivery.outbox import Claimed, Endpoint
from hub.delivery.policy import AttemptOutcome, parse_retry_after
from hub.observability.request_id import outbound_trace_config
from hub.referrals.endpoints import EndpointRefused, address_allowed, check_url_form

USER_AGENT = "slrt-hub-webhooks/1"
READ_LIMIT = 64 * 1024  # read this much so the connection can be reused; keep the first 1 KiB


class GuardedResolver(AbstractResolver):
    def __init__(self, allow_private: bool) -> None:
        self._inner = DefaultResolver()
        self._allow_private = allow_private

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        for r in results:
            if not address_allowed(r["host"], self._allow_private):
                raise OSError(f"{host} resolves to a loopback, private or reserved address")
        return results

    async def close(self) -> None:
        await self._inner.close()


def signature(endpoint: Endpoint, message_id: str, at: datetime, body: str) -> str:
    # Several space-separated signatures are valid Standard Webhooks: one per live secret.
    return " ".join(Webhook(secret).sign(message_id, at, body) for secret in endpoint.secrets)


class Sender:
    def __init__(self, timeout: float, allow_private: bool, concurrency: int) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._allow_private = allow_private
        self._concurrency = concurrency
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Sender:
        connector = aiohttp.TCPConnector(limit=self._concurrency, resolver=GuardedResolver(self._allow_private))
        self._session = aiohttp.ClientSession(connector=connector, timeout=self._timeout,
                                             headers={"user-agent": USER_AGENT},
                                             trace_configs=[outbound_trace_config()])  # x-request-id
        return self

    async def __aexit__(self, *exc: Any) -> None:
        if self._session is not None:
            await self._session.close()

    async def send(self, message: Claimed, endpoint: Endpoint) -> AttemptOutcome:
        started = time.perf_counter()

        def done(**kw: Any) -> AttemptOutcome:
            return AttemptOutcome(duration_ms=int((time.perf_counter() - started) * 1000), **kw)

        try:
            host, _ = check_url_form(endpoint.url, self._allow_private)
            if _is_ip(host) and not address_allowed(host.strip("[]"), self._allow_private):
                raise EndpointRefused("the webhook URL points to a loopback, private or reserved address")
        except EndpointRefused as exc:
            return done(status_code=None, error=f"refused by the SSRF guard: {exc}")
        try:
            async for attempt in AsyncRetrying(
                    stop=stop_after_attempt(3), wait=wait_random(0.02, 0.1), reraise=True,
                    retry=retry_if_exception_type((aiohttp.ServerDisconnectedError,))):
                with attempt:
                    return await self._post(message, endpoint, done)
        except TimeoutError:
            return done(status_code=None, error=f"timeout after {self._timeout.total:g} s")
        except aiohttp.ClientError as exc:
            return done(status_code=None, error=f"{type(exc).__name__}: {exc}"[:500])
        except OSError as exc:
            return done(status_code=None, error=f"{type(exc).__name__}: {exc}"[:500])
        raise AssertionError("unreachable")

    async def _post(self, message: Claimed, endpoint: Endpoint, done: Any) -> AttemptOutcome:
        assert self._session is not None, "use the sender as an async context manager"
        at = datetime.now(UTC)
        headers = {
            "content-type": "application/json",
            "webhook-id": message.id,
            "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": signature(endpoint, message.id, at, message.body),
        }
        async with self._session.post(endpoint.url, data=message.body.encode(), headers=headers,
                                      allow_redirects=False) as response:
            raw = await response.content.read(READ_LIMIT)
            return done(status_code=response.status, body=raw[:1024].decode("utf-8", "replace") or None,
                        retry_after=parse_retry_after(response.headers.get("retry-after")))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False
