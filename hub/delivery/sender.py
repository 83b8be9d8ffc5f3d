"""One webhook POST with aiohttp, in the Standard Webhooks wire format.

The connector refuses addresses the SSRF guard forbids at connect time (a resolver that
filters what DNS returns), so a name that changed to a private address since registration
is never called. Redirects are not followed. tenacity retries only a connection the server
dropped mid-request, within the attempt; the multi-hour schedule belongs to the outbox.
Each attempt carries its own ``x-request-id`` (set here, not by a trace hook: a hook per
request costs the worker more than the signature).
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
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_random

from hub.delivery.claims import Claimed
from hub.delivery.store import Endpoint
from hub.delivery.policy import AttemptOutcome, parse_retry_after
from hub.observability import request_id, tracing
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
    return " ".join(signer.sign(message_id, at, body) for signer in endpoint.signers)


class Sender:
    """POSTs messages over one ``aiohttp`` session: keep-alive connections are reused per endpoint.

    The connector's limit is the worker's concurrency, so a POST never waits for a connection
    (a wait would count against its timeout); the per-endpoint cap is the claim's business.
    """

    def __init__(self, timeout: float, allow_private: bool, concurrency: int) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._allow_private = allow_private
        self._concurrency = concurrency
        self._session: aiohttp.ClientSession | None = None
        self._refusals: dict[str, str | None] = {}  # URL -> why the guard refuses it (None: allowed)

    async def __aenter__(self) -> Sender:
        connector = aiohttp.TCPConnector(limit=self._concurrency, resolver=GuardedResolver(self._allow_private))
        # with tracing on, a span per POST and W3C traceparent on it
        self._session = aiohttp.ClientSession(connector=connector, timeout=self._timeout,
                                             headers={"user-agent": USER_AGENT},
                                             trace_configs=tracing.client_trace_configs())
        return self

    async def __aexit__(self, *exc: Any) -> None:
        if self._session is not None:
            await self._session.close()

    async def send(self, message: Claimed, endpoint: Endpoint, attempt_id: str) -> AttemptOutcome:
        """POST one message; every failure is an outcome (status and error), never an exception."""
        started = time.perf_counter()

        def done(**kw: Any) -> AttemptOutcome:
            return AttemptOutcome(duration_ms=int((time.perf_counter() - started) * 1000), **kw)

        refusal = self._refusal(endpoint.url)
        if refusal is not None:
            return done(status_code=None, error=f"refused by the SSRF guard: {refusal}")
        try:
            try:
                return await self._post(message, endpoint, attempt_id, done)
            except aiohttp.ServerDisconnectedError:
                # A kept-alive connection the server had already closed: tenacity retries
                # within the attempt; the multi-hour schedule belongs to the outbox.
                async for retry in AsyncRetrying(stop=stop_after_attempt(2), wait=wait_random(0.02, 0.1), reraise=True,
                                                 retry=retry_if_exception_type(aiohttp.ServerDisconnectedError)):
                    with retry:
                        return await self._post(message, endpoint, attempt_id, done)
        except TimeoutError:
            return done(status_code=None, error=f"timeout after {self._timeout.total:g} s")
        except (aiohttp.ClientError, OSError) as exc:
            return done(status_code=None, error=f"{type(exc).__name__}: {exc}"[:500])
        raise AssertionError("unreachable")

    def _refusal(self, url: str) -> str | None:
        """The URL-form and literal-address part of the guard, once per URL (names are checked
        by the resolver at every connection)."""
        if url not in self._refusals:
            try:
                host, _ = check_url_form(url, self._allow_private)
                if _is_ip(host) and not address_allowed(host.strip("[]"), self._allow_private):
                    raise EndpointRefused("the webhook URL points to a loopback, private or reserved address")
                self._refusals[url] = None
            except EndpointRefused as exc:
                self._refusals[url] = str(exc)
        return self._refusals[url]

    async def _post(self, message: Claimed, endpoint: Endpoint, attempt_id: str, done: Any) -> AttemptOutcome:
        assert self._session is not None, "use the sender as an async context manager"
        at = datetime.now(UTC)
        headers = {
            "content-type": "application/json",
            "webhook-id": message.id,
            "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": signature(endpoint, message.id, at, message.body),
            request_id.HEADER: attempt_id,  # the partner can quote it; the hub logs it with the attempt
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
