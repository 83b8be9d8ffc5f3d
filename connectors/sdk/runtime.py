"""`ConnectorRuntime`: the plumbing the hub wraps around every connector (SPEC 8).

One runtime per enabled connector, all sharing the hub's `aiohttp.ClientSession` and
one `TTLCache`. `load_many` is what a DataLoader batch function calls::

    runtimes = build_runtimes(discover(), session)
    records = await runtimes["bpjs"].load_many(niks)   # {nik: HealthCoverage | None}

Order of a load: cache -> breaker -> rate limit -> upstream call with tenacity retries
of transient errors, all inside `asyncio.timeout(settings.timeout)`. Any failure
raises `ConnectorUnavailable(name, reason)`; the hub nulls only that field. Misses beyond
the connector's `max_batch` are split into chunks fetched side by side (each through the
rate limit and retries); the load fails as a whole if one chunk fails.

Each upstream load is an OpenTelemetry span (`connector <name>`: key count, outcome,
calls made), each try of each chunk a child span with its retry number; they record nothing
when the hub has not turned tracing on. Never the keys (NIKs, KKs) nor exception messages.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

import aiohttp
from aiolimiter import AsyncLimiter
from opentelemetry import trace
from opentelemetry.trace import StatusCode
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from connectors.sdk.auth import auth_from_settings
from connectors.sdk.contract import Connector
from connectors.sdk.errors import (
    ConnectorUnavailable,
    TransientUpstreamError,
    UpstreamError,
    malformed,
)
from connectors.sdk.http import Http, OutboundAuth
from connectors.sdk.records import ConnectorRecord, stamp, stamped
from connectors.sdk.runtime_breaker import BreakerState, CircuitBreaker
from connectors.sdk.runtime_cache import MISSING, NOT_FOUND, TTLCache
from connectors.sdk.runtime_hooks import CallHook, CallRecord, log, log_call
from connectors.sdk.settings import ConnectorSettings


_tracer = trace.get_tracer("slrt.connectors")


@dataclass(frozen=True, slots=True)
class ConnectorStatus:
    """What the `connectors` query shows for one connector."""

    name: str
    enabled: bool
    healthy: bool | None  # None: not known yet (no call, no health check)
    breaker_state: BreakerState
    last_error: str | None  # a reason code, never data
    p50_latency_ms: float | None


class ConnectorRuntime:
    def __init__(
        self,
        connector: Connector[ConnectorSettings],
        session: aiohttp.ClientSession,
        *,
        cache: TTLCache | None = None,
        hooks: Sequence[CallHook] = (log_call,),
        auth: OutboundAuth | None = None,
        clock: Callable[[], float] = time.monotonic,
        on_breaker_change: Callable[[str, BreakerState], None] | None = None,
    ) -> None:
        self.connector = connector
        self.settings = connector.settings
        self.name = connector.name
        self.auth = auth if auth is not None else auth_from_settings(self.settings, session)
        self._session = session
        self.cache = cache if cache is not None else TTLCache()
        self.hooks = list(hooks)
        self.breaker = CircuitBreaker(
            self.settings.breaker_threshold,
            self.settings.breaker_reset,
            clock=clock,
            on_change=(lambda state: on_breaker_change(self.name, state)) if on_breaker_change else None,
        )
        self.max_batch = self.settings.max_batch or connector.max_batch
        self._limiter = AsyncLimiter(max(self.settings.rate_limit, 0.001), 1.0)
        self._latencies: deque[float] = deque(maxlen=200)
        self._healthy: bool | None = None
        self._last_error: str | None = None

    def http(self) -> Http:
        return Http(self._session, self.settings.base_url, self.auth)

    async def load_many(
        self, keys: Iterable[str], *, deadline: float | None = None
    ) -> dict[str, ConnectorRecord | None]:
        """Records for `keys` (None = not found), at most one upstream load per call.

        `deadline` (event-loop time) ends the load earlier than the connector's timeout:
        the hub sets it to the request's start plus that timeout, so a hanging system
        delays the response by its timeout at most, however late in the query it is called.
        Raises `ConnectorUnavailable` on timeout, upstream error or open breaker.
        """
        wanted = list(dict.fromkeys(keys))
        result: dict[str, ConnectorRecord | None] = {}
        misses: list[str] = []
        for key in wanted:
            hit = self.cache.get(self.name, key)
            if hit is MISSING:
                misses.append(key)
            else:
                # the cache holds a copy stamped `cached=True`, never mutated: shared, not copied
                result[key] = None if hit is NOT_FOUND else cast(ConnectorRecord, hit)
        if not misses:
            return result
        if not self.settings.enabled:
            raise ConnectorUnavailable(self.name, "disabled")
        timeout = self.settings.timeout
        if deadline is not None:
            timeout = min(timeout, deadline - asyncio.get_running_loop().time())
            if timeout <= 0:  # the caller's time is up: not the upstream's failure
                raise ConnectorUnavailable(self.name, "timeout")
        if not self.breaker.allow():
            raise ConnectorUnavailable(self.name, "circuit_open")
        fetched = await self._load_upstream(misses, timeout)
        now = datetime.now(UTC)
        ttl = self.settings.cache_ttl
        for key in misses:
            record = fetched.get(key)
            if record is None:
                self.cache.set(self.name, key, NOT_FOUND, ttl)
                result[key] = None
            else:
                # The connector built it for this call (Connector.fetch_many): stamped in place,
                # no copy; the cache gets its own copy, made once here rather than on every hit.
                stamp(record, source=self.name, fetched_at=now, cached=False)
                if ttl > 0:
                    self.cache.set(self.name, key, stamped(record, source=self.name, fetched_at=now, cached=True), ttl)
                result[key] = record
        return {key: result[key] for key in wanted}

    async def batch_load(
        self, keys: Sequence[str], deadline: float | None = None
    ) -> list[ConnectorRecord | None | ConnectorUnavailable]:
        """A DataLoader `load_fn`: values in key order; on failure every key gets the error.

        strawberry's DataLoader raises an Exception value at the `load()` of its key, so
        each field resolver sees `ConnectorUnavailable` and only that field is nulled.
        """
        try:
            found = await self.load_many(keys, deadline=deadline)
        except ConnectorUnavailable as exc:
            return [exc] * len(keys)
        return [found[key] for key in keys]

    async def _load_upstream(self, keys: list[str], timeout: float) -> Mapping[str, ConnectorRecord]:
        http = self.http()
        started = time.perf_counter()
        outcome = "cancelled"  # stays so only if the caller's task is cancelled mid-load
        found: Mapping[str, ConnectorRecord] = {}
        span = _tracer.start_span(f"connector {self.name}", attributes={
            "slrt.connector": self.name, "slrt.connector.keys": len(keys)})
        try:
            async with asyncio.timeout(timeout):
                with trace.use_span(span, record_exception=False, set_status_on_exception=False):
                    found = await self._in_chunks(keys, http)
            outcome = "ok"
        except TimeoutError:
            outcome = "timeout"
        except UpstreamError as exc:
            outcome = exc.reason
        except Exception as exc:  # noqa: BLE001 - a bug in the connector: its field fails, not the query
            outcome = "connector_error"
            # the type only: an exception message may quote upstream data (NIKs, names)
            log.warning("connector %s raised %s", self.name, type(exc).__name__)
        finally:
            duration = time.perf_counter() - started
            if outcome == "cancelled":
                self.breaker.release()  # nobody learnt anything about the upstream
            else:
                self._finish(outcome, duration)
            span.set_attributes({"slrt.connector.outcome": outcome, "slrt.connector.calls": http.calls,
                                 "slrt.connector.found": len(found)})
            if outcome != "ok":
                span.set_status(StatusCode.ERROR, outcome)
            span.end()
            self._emit(
                CallRecord(self.name, len(keys), outcome, duration, http.calls, datetime.now(UTC), len(found),
                           budget=timeout)
            )
        if outcome != "ok":
            raise ConnectorUnavailable(self.name, outcome)
        return found

    async def _in_chunks(self, keys: list[str], http: Http) -> Mapping[str, ConnectorRecord]:
        """One upstream call per `max_batch` keys; the first failure cancels the rest and decides."""
        size = self.max_batch
        if len(keys) <= size:
            return await self._with_retries(keys, http)
        try:
            async with asyncio.TaskGroup() as group:
                calls = [group.create_task(self._with_retries(keys[i:i + size], http))
                         for i in range(0, len(keys), size)]
        except BaseExceptionGroup as failed:
            raise failed.exceptions[0] from None
        found: dict[str, ConnectorRecord] = {}
        for call in calls:
            found.update(call.result())
        return found

    async def _with_retries(self, keys: list[str], http: Http) -> Mapping[str, ConnectorRecord]:
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(TransientUpstreamError),
            stop=stop_after_attempt(self.settings.retries + 1),
            wait=wait_exponential_jitter(multiplier=0.05, max=1.0, jitter=0.05),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt, _tracer.start_as_current_span(
                    f"connector {self.name} try", record_exception=False, set_status_on_exception=False,
                    attributes={"slrt.connector": self.name, "slrt.connector.keys": len(keys),
                                "slrt.connector.retry": attempt.retry_state.attempt_number - 1}) as span:
                async with self._limiter:
                    try:
                        found = await self.connector.fetch_many(keys, http)
                    except (KeyError, TypeError, ValueError, AttributeError) as exc:
                        # the connector could not read the body: treat like garbage upstream
                        span.set_status(StatusCode.ERROR, "malformed")
                        raise malformed() from exc
                    except UpstreamError as exc:
                        span.set_status(StatusCode.ERROR, exc.reason)
                        raise
                    # keys the upstream volunteered but we did not ask for are dropped
                    asked = set(keys)
                    return {k: v for k, v in found.items() if k in asked}
        raise AssertionError("unreachable")  # pragma: no cover

    def _finish(self, outcome: str, duration: float) -> None:
        if outcome == "ok":
            self._latencies.append(duration)
            self.breaker.record_success()
            self._healthy = True
        else:
            self.breaker.record_failure()
            self._last_error = outcome
            self._healthy = False

    def _emit(self, record: CallRecord) -> None:
        for hook in self.hooks:
            try:
                hook(record)
            except Exception:  # noqa: BLE001, S110 - a broken metrics hook must not break the query
                pass

    async def check_health(self) -> bool:
        """Run the connector's `health()` within its timeout; updates `status().healthy`."""
        try:
            async with asyncio.timeout(self.settings.timeout):
                self._healthy = bool(await self.connector.health(self.http()))
        except (TimeoutError, UpstreamError, aiohttp.ClientError) as exc:
            self._last_error = getattr(exc, "reason", "timeout")
            self._healthy = False
        return self._healthy

    def status(self) -> ConnectorStatus:
        p50 = statistics.median(self._latencies) * 1000 if self._latencies else None
        return ConnectorStatus(
            self.name, self.settings.enabled, self._healthy, self.breaker.state, self._last_error, p50
        )

    def __repr__(self) -> str:
        return f"<ConnectorRuntime {self.name!r} settings={self.settings!r}>"


def build_runtimes(
    connector_classes: Mapping[str, type[Connector[ConnectorSettings]]],
    session: aiohttp.ClientSession,
    *,
    settings: Mapping[str, ConnectorSettings] | None = None,
    cache: TTLCache | None = None,
    hooks: Sequence[CallHook] = (log_call,),
    include_disabled: bool = False,
    on_breaker_change: Callable[[str, BreakerState], None] | None = None,
) -> dict[str, ConnectorRuntime]:
    """One runtime per connector, settings read from `SLRT_CONNECTOR_<NAME>_*` unless given.

    Disabled connectors are left out unless `include_disabled` (the `connectors`
    query shows them; the schema does not get their field).
    """
    shared_cache = cache if cache is not None else TTLCache()
    runtimes: dict[str, ConnectorRuntime] = {}
    for name, cls in connector_classes.items():
        conf = (settings or {}).get(name) or cls.settings_class.for_connector(name)
        if not conf.enabled and not include_disabled:
            continue
        runtimes[name] = ConnectorRuntime(
            cls(conf), session, cache=shared_cache, hooks=hooks, on_breaker_change=on_breaker_change
        )
    return runtimes
