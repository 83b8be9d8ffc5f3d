"""`batch_load` is a DataLoader load_fn: one upstream call per batch (several of at most
`max_batch` keys when the batch is bigger), errors per key."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import ValidationError
from strawberry.dataloader import DataLoader

from connectors.sdk import ConnectorRuntime, ConnectorUnavailable
from connectors.sdk.runtime_hooks import CallRecord


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


async def test_one_batch_over_max_batch_is_one_load_and_several_upstream_calls(probe, upstream, http_session) -> None:
    settings = probe.settings_class.for_connector("probe", base_url=upstream.base_url, cache_ttl=0, retries=0,
                                                  max_batch=16)
    loads: list[CallRecord] = []
    loader = DataLoader(load_fn=ConnectorRuntime(probe(settings), http_session, hooks=[loads.append]).batch_load)
    keys = [f"327501010190{i:04d}" for i in range(1, 41)]
    records = await asyncio.gather(*(loader.load(k) for k in keys))
    assert sorted(upstream.keys_per_call) == [8, 16, 16]
    assert sorted(k for call in upstream.keys_asked for k in call) == sorted(keys)  # each key asked once
    assert [(r.keys, r.attempts) for r in loads] == [(40, 3)]  # one DataLoader batch, one load
    assert [r is None for r in records] == [k.endswith("9") for k in keys]


def test_the_deployment_setting_overrides_the_connector_default(probe, monkeypatch) -> None:
    assert probe.max_batch == 500  # the SDK's class default
    monkeypatch.setenv("SLRT_CONNECTOR_PROBE_MAX_BATCH", "25")
    assert probe.settings_class.for_connector("probe").max_batch == 25
    monkeypatch.setenv("SLRT_CONNECTOR_PROBE_MAX_BATCH", "0")
    with pytest.raises(ValidationError):
        probe.settings_class.for_connector("probe")


async def test_one_failing_chunk_fails_every_key_of_the_batch(probe, upstream, http_session) -> None:
    settings = probe.settings_class.for_connector("probe", base_url=upstream.base_url, cache_ttl=0, retries=0,
                                                  max_batch=2)
    upstream.script = [503]
    loader = DataLoader(load_fn=ConnectorRuntime(probe(settings), http_session).batch_load)
    keys = [f"327501010190000{i}" for i in range(1, 6)]
    results = await asyncio.gather(*(loader.load(k) for k in keys), return_exceptions=True)
    assert all(isinstance(r, ConnectorUnavailable) and r.reason == "http_503" for r in results)
