"""All simulators on one port: routing under /<name>/, knobs at run time, request counts."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from connectors.sdk import build_runtimes, discover
from connectors.simulators import SIMULATORS, create_app, simulator_state
from connectors.synthetic.person import demo_kk, family


@pytest.fixture
async def served() -> AsyncIterator[tuple[str, TestServer]]:
    server = TestServer(create_app(), host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("")).rstrip("/"), server
    await server.close()


async def test_each_simulator_under_its_name_with_openapi(
    served, http_session: aiohttp.ClientSession
) -> None:
    base, _ = served
    for name in SIMULATORS:
        async with http_session.get(f"{base}/{name}/openapi.json") as resp:
            assert resp.status == 200
            assert (await resp.json())["openapi"].startswith("3.")
        async with http_session.get(f"{base}/{name}/health") as resp:
            assert (await resp.json())["system"] == name


async def test_one_call_per_connector_for_many_households(
    served, http_session: aiohttp.ClientSession
) -> None:
    base, server = served
    classes = discover()
    settings = {
        n: c.settings_class.for_connector(n, base_url=f"{base}/{n}", cache_ttl=0) for n, c in classes.items()
    }
    runtimes = build_runtimes(classes, http_session, settings=settings)
    kks = [demo_kk("327502", block) for block in range(1, 21)]
    niks = [member[0] for kk in kks for member in family(kk)]
    for runtime in runtimes.values():
        keys = kks if runtime.connector.extends.name == "HOUSEHOLD" else niks
        await runtime.load_many(keys)
    for name in SIMULATORS:
        async with http_session.get(f"{base}/{name}/_stats") as resp:
            assert (await resp.json())["calls"] == 1, name
    assert simulator_state(server.app, "bpjs").keys == len(niks)


async def test_control_sets_knobs_of_one_simulator_only(served, http_session: aiohttp.ClientSession) -> None:
    base, server = served
    async with http_session.post(f"{base}/pupr/_control", json={"error_rate": 1.0}) as resp:
        assert (await resp.json())["error_rate"] == 1.0
    async with http_session.post(f"{base}/pupr/rtlh/batch", json={"no_kk": [demo_kk("327502", 1)]}) as resp:
        assert resp.status == 503
    async with http_session.post(
        f"{base}/siks_ng/dtsen/keluarga/batch", json={"no_kk": [demo_kk("327502", 1)]}
    ) as resp:
        assert resp.status == 200
    async with http_session.post(
        f"{base}/pupr/_control", json={"error_rate": 0, "reset_stats": True}
    ) as resp:
        assert resp.status == 200
    assert simulator_state(server.app, "pupr").calls == 0
    async with http_session.post(f"{base}/pupr/_control", json={"bogus": 1}) as resp:
        assert resp.status == 400
