"""The connector conformance kit: one test class every connector subclasses.

    class TestBpjs(ConnectorConformance):
        connector = Bpjs
        simulator = bpjs_simulator                  # factory: (Knobs | None) -> web.Application
        known_keys = ["3275022211790011", ...]      # keys the simulator knows
        unknown_key = "3275020101900009"            # a key it answers "not found" for

Every test runs the connector inside a real `ConnectorRuntime` against its simulator
served over real HTTP on 127.0.0.1, and drives the simulator's knobs through its own
`_control` endpoint and counts upstream calls with `_stats`. Proves: the declaration is
valid, N keys make one upstream call, not found is None (no error), records carry
provenance, the cache answers repeats, a hanging upstream is cut at the timeout, 5xx is
retried then reported, a malformed body is reported, the breaker opens and closes, and
secrets never show in `repr`, status or logs.

The kit marks its own async tests and fixtures (pytest-asyncio, from the hub's `testing`
extra), so a connector's repository needs no pytest configuration to run it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, ClassVar

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer

from connectors.sdk import (
    BreakerState,
    CallRecord,
    Connector,
    ConnectorRecord,
    ConnectorRuntime,
    ConnectorSettings,
    ConnectorUnavailable,
    validate_connector_class,
)
from connectors.simkit import Knobs

SECRET = "conformance-secret-d0n0tl0g"


class ManualClock:
    """A clock tests move by hand, so breaker and cache timing need no sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Simulator:
    """A running simulator and the HTTP handles a test needs."""

    def __init__(self, server: TestServer, session: aiohttp.ClientSession) -> None:
        self.server = server
        self.session = session
        self.base_url = str(server.make_url("")).rstrip("/")

    async def knobs(self, **values: Any) -> None:
        async with self.session.post(f"{self.base_url}/_control", json=values) as resp:
            assert resp.status == 200, await resp.text()

    async def calls(self) -> int:
        return (await self.stats())["calls"]

    async def stats(self) -> dict[str, int]:
        """``calls``, ``keys`` (asked for, in all calls) and ``largest`` (keys in one call)."""
        async with self.session.get(f"{self.base_url}/_stats") as resp:
            return {k: int(v) for k, v in (await resp.json()).items()}


class ConnectorConformance:
    connector: ClassVar[type[Connector[Any]]]
    simulator: ClassVar[Callable[[Knobs | None], web.Application]]
    known_keys: ClassVar[Sequence[str]]
    unknown_key: ClassVar[str]
    timeout: ClassVar[float] = 0.5  # seconds; small so the timeout test is quick

    @pytest_asyncio.fixture
    async def session(self) -> AsyncIterator[aiohttp.ClientSession]:
        async with aiohttp.ClientSession() as session:
            yield session

    @pytest_asyncio.fixture
    async def sim(self, session: aiohttp.ClientSession) -> AsyncIterator[Simulator]:
        # read from the class: a plain function stored there would bind as a method
        server = TestServer(type(self).simulator(None), host="127.0.0.1")
        await server.start_server()
        try:
            yield Simulator(server, session)
        finally:
            await server.close()

    def settings(self, sim: Simulator, **overrides: Any) -> ConnectorSettings:
        values: dict[str, Any] = {
            "base_url": sim.base_url,
            "timeout": self.timeout,
            "retries": 2,
            "cache_ttl": 0,
            "auth": "api_key",
            "api_key": SECRET,
            **overrides,
        }
        return self.connector.settings_class.for_connector(self.connector.name, **values)

    def runtime(
        self, sim: Simulator, clock: Callable[[], float] = time.monotonic, **overrides: Any
    ) -> ConnectorRuntime:
        return ConnectorRuntime(self.connector(self.settings(sim, **overrides)), sim.session, clock=clock)

    # -- declaration ---------------------------------------------------------------

    def test_declaration_is_valid(self) -> None:
        validate_connector_class(self.connector)
        assert self.known_keys, "known_keys must name at least one key the simulator knows"
        assert self.unknown_key not in self.known_keys

    # -- happy path ----------------------------------------------------------------

    @pytest.mark.asyncio
    async def test_batch_makes_one_upstream_call(self, sim: Simulator) -> None:
        runtime = self.runtime(sim)
        keys = [*self.known_keys, self.unknown_key]
        records = await runtime.load_many(keys)
        assert await sim.calls() == 1
        assert list(records) == keys
        for key in self.known_keys:
            record = records[key]
            assert isinstance(record, self.connector.record_type), key
            assert record.source == self.connector.name
            assert record.cached is False
            assert record.fetched_at.year >= 2024

    @pytest.mark.asyncio
    async def test_unknown_key_is_not_found_not_an_error(self, sim: Simulator) -> None:
        records = await self.runtime(sim).load_many([self.unknown_key])
        assert records == {self.unknown_key: None}

    @pytest.mark.asyncio
    async def test_repeat_is_served_from_cache(self, sim: Simulator) -> None:
        runtime = self.runtime(sim, cache_ttl=60)
        await runtime.load_many(self.known_keys)
        again = await runtime.load_many(self.known_keys)
        assert await sim.calls() == 1
        assert all(isinstance(r, ConnectorRecord) and r.cached for r in again.values())

    @pytest.mark.asyncio
    async def test_health(self, sim: Simulator) -> None:
        runtime = self.runtime(sim)
        assert await runtime.check_health() is True
        assert runtime.status().healthy is True

    # -- failures ------------------------------------------------------------------

    @pytest.mark.asyncio
    async def test_hanging_upstream_times_out_within_budget(self, sim: Simulator) -> None:
        await sim.knobs(hang=True)
        calls: list[CallRecord] = []
        runtime = self.runtime(sim)
        runtime.hooks.append(calls.append)
        # The simulator hangs until released: only the runtime's timeout can end this load.
        # The guard only keeps a broken runtime from hanging the suite; the assertions read
        # what the runtime recorded, so a busy machine cannot fail them.
        async with asyncio.timeout(self.timeout + 60):
            with pytest.raises(ConnectorUnavailable) as caught:
                await runtime.load_many(self.known_keys)
        assert caught.value.reason == "timeout"
        assert caught.value.connector_name == self.connector.name
        [call] = calls
        assert (call.outcome, call.budget, call.attempts) == ("timeout", self.timeout, 1)
        assert call.duration >= self.timeout - 0.01  # it waited for its budget, then gave up
        await sim.knobs(hang=False)

    @pytest.mark.asyncio
    async def test_5xx_is_retried_then_unavailable(self, sim: Simulator) -> None:
        await sim.knobs(error_rate=1.0)
        runtime = self.runtime(sim, timeout=5.0, retries=2)
        with pytest.raises(ConnectorUnavailable) as caught:
            await runtime.load_many(self.known_keys)
        assert caught.value.reason == "http_503"
        assert await sim.calls() == 3  # first try + 2 retries
        assert runtime.status().last_error == "http_503"

    @pytest.mark.asyncio
    async def test_malformed_body_is_unavailable(self, sim: Simulator) -> None:
        await sim.knobs(malformed=True)
        runtime = self.runtime(sim, timeout=5.0, retries=0)
        with pytest.raises(ConnectorUnavailable) as caught:
            await runtime.load_many(self.known_keys)
        assert caught.value.reason == "malformed_body"

    @pytest.mark.asyncio
    async def test_breaker_opens_and_closes(self, sim: Simulator) -> None:
        clock = ManualClock()
        runtime = self.runtime(sim, clock=clock, retries=0, breaker_threshold=2, breaker_reset=30)
        await sim.knobs(error_rate=1.0)
        for _ in range(2):
            with pytest.raises(ConnectorUnavailable):
                await runtime.load_many(self.known_keys)
        assert runtime.status().breaker_state is BreakerState.OPEN
        with pytest.raises(ConnectorUnavailable) as caught:
            await runtime.load_many(self.known_keys)
        assert caught.value.reason == "circuit_open"
        assert await sim.calls() == 2  # an open breaker sends nothing upstream
        await sim.knobs(error_rate=0.0)
        clock.advance(31)
        assert runtime.status().breaker_state is BreakerState.HALF_OPEN
        records = await runtime.load_many(self.known_keys)
        assert all(records[k] is not None for k in self.known_keys)
        assert runtime.status().breaker_state is BreakerState.CLOSED

    # -- secrets and PII -----------------------------------------------------------

    @pytest.mark.asyncio
    async def test_secrets_and_keys_stay_out_of_repr_status_and_logs(
        self, sim: Simulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        runtime = self.runtime(sim)
        caplog.set_level(logging.DEBUG)
        await runtime.load_many(self.known_keys)
        await sim.knobs(error_rate=1.0)
        with pytest.raises(ConnectorUnavailable) as caught:
            await runtime.load_many([self.unknown_key])
        exposed = [
            repr(runtime.settings),
            str(runtime.settings),
            repr(runtime.connector),
            repr(runtime),
            repr(runtime.status()),
            str(caught.value),
            caplog.text,
        ]
        exposed += [repr(r.__dict__) for r in caplog.records]
        for text in exposed:
            assert SECRET not in text
            for key in [*self.known_keys, self.unknown_key]:
                assert key not in text
