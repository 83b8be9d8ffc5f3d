"""The TTL cache keyed by (connector, key): hits, negative caching, expiry, partial batches."""

from __future__ import annotations

from connectors.sdk import ConnectorRuntime, TTLCache
from connectors.testing import ManualClock


def runtime(probe, upstream, session, cache, ttl=60.0) -> ConnectorRuntime:
    settings = probe.settings_class.for_connector("probe", base_url=upstream.base_url, cache_ttl=ttl)
    return ConnectorRuntime(probe(settings), session, cache=cache)


async def test_hits_and_not_found_are_cached_until_expiry(probe, upstream, http_session) -> None:
    clock = ManualClock()
    rt = runtime(probe, upstream, http_session, TTLCache(clock=clock))
    keys = ["3275010101900001", "3275010101900009"]  # the second is not found upstream
    first = await rt.load_many(keys)
    second = await rt.load_many(keys)
    assert upstream.calls == 1
    assert first[keys[0]].cached is False and second[keys[0]].cached is True
    assert second[keys[0]].fetched_at == first[keys[0]].fetched_at
    assert second[keys[1]] is None
    clock.advance(61)
    third = await rt.load_many(keys)
    assert upstream.calls == 2
    assert third[keys[0]].cached is False


async def test_only_misses_go_upstream(probe, upstream, http_session) -> None:
    rt = runtime(probe, upstream, http_session, TTLCache())
    await rt.load_many(["3275010101900001"])
    result = await rt.load_many(["3275010101900001", "3275010101900002"])
    assert upstream.calls == 2
    assert result["3275010101900001"].cached is True
    assert result["3275010101900002"].cached is False
    assert list(result) == ["3275010101900001", "3275010101900002"]


async def test_cache_is_keyed_by_connector(probe, upstream, http_session) -> None:
    cache = TTLCache()
    cache.set("other", "3275010101900001", object(), ttl=60)
    rt = runtime(probe, upstream, http_session, cache)
    await rt.load_many(["3275010101900001"])
    assert upstream.calls == 1


async def test_ttl_zero_disables_cache(probe, upstream, http_session) -> None:
    rt = runtime(probe, upstream, http_session, TTLCache(), ttl=0)
    await rt.load_many(["3275010101900001"])
    await rt.load_many(["3275010101900001"])
    assert upstream.calls == 2


def test_cache_is_bounded() -> None:
    cache = TTLCache(max_entries=2)
    for key in "abc":
        cache.set("c", key, key, ttl=60)
    assert len(cache) == 2
