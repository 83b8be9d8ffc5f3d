"""A load's deadline (the hub sets request start + timeout) ends it before the timeout."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from connectors.bpjs.connector import Bpjs, BpjsSettings
from connectors.sdk import BreakerState, CallRecord, ConnectorRuntime, ConnectorUnavailable
from connectors.simulators import start

NIKS = ["3275014101850001"]


@pytest.fixture
async def hanging_bpjs(http_session: aiohttp.ClientSession) -> AsyncIterator[str]:
    runner, port = await start("127.0.0.1", 0)
    base = f"http://127.0.0.1:{port}/bpjs"
    async with http_session.post(f"{base}/_control", json={"hang": True}):
        pass
    yield base
    async with http_session.post(f"{base}/_control", json={"hang": False}):
        pass
    await runner.cleanup()


async def test_a_deadline_sooner_than_the_timeout_ends_the_load(http_session: aiohttp.ClientSession,
                                                                hanging_bpjs: str) -> None:
    seen: list[CallRecord] = []
    runtime = ConnectorRuntime(Bpjs(BpjsSettings(base_url=hanging_bpjs, timeout=30.0, breaker_threshold=1)),
                               http_session, hooks=[seen.append])

    with pytest.raises(ConnectorUnavailable) as raised:
        await runtime.load_many(NIKS, deadline=asyncio.get_running_loop().time() + 0.2)

    assert raised.value.reason == "timeout"
    [call] = seen  # the deadline, not the 30 s timeout, bounded the wait handed to the upstream call
    assert call.outcome == "timeout" and call.budget is not None and 0 < call.budget <= 0.2
    assert runtime.breaker.state is BreakerState.OPEN  # the upstream did hang: that is its failure


async def test_a_passed_deadline_calls_nothing(http_session: aiohttp.ClientSession, hanging_bpjs: str) -> None:
    runtime = ConnectorRuntime(Bpjs(BpjsSettings(base_url=hanging_bpjs, breaker_threshold=1)), http_session)

    with pytest.raises(ConnectorUnavailable):
        await runtime.load_many(NIKS, deadline=asyncio.get_running_loop().time() - 1)

    async with http_session.get(f"{hanging_bpjs}/_stats") as r:
        assert (await r.json())["calls"] == 0
    assert runtime.breaker.state is BreakerState.CLOSED  # the caller ran out of time, not the upstream
