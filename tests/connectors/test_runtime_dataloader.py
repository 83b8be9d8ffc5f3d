"""`batch_load` is a DataLoader load_fn: one upstream call per batch, errors per key."""

from __future__ import annotations

import asyncio

from strawberry.dataloader import DataLoader

from connectors.sdk import ConnectorRuntime, ConnectorUnavailable


def runtime(probe, upstream, session) -> ConnectorRuntime:
    settings = probe.settings_class.for_connector("probe", base_url=upstream.base_url, cache_ttl=0, retries=0)
    return ConnectorRuntime(probe(settings), session)


async def test_dataloader_batches_many_loads_into_one_call(probe, upstream, http_session) -> None:
    loader = DataLoader(load_fn=runtime(probe, upstream, http_session).batch_load)
    keys = [f"32750101019000{i:02d}" for i in range(1, 41)]
    records = await asyncio.gather(*(loader.load(k) for k in keys))
    assert upstream.calls == 1
    assert [r is None for r in records] == [k.endswith("9") for k in keys]


async def test_failure_reaches_every_load_as_connector_unavailable(probe, upstream, http_session) -> None:
    upstream.script = [503]
    loader = DataLoader(load_fn=runtime(probe, upstream, http_session).batch_load)
    results = await asyncio.gather(
        *(loader.load(k) for k in ["3275010101900001", "3275010101900002"]), return_exceptions=True
    )
    assert all(isinstance(r, ConnectorUnavailable) and r.reason == "http_503" for r in results)
