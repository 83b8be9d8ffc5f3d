"""`BatchLoader` (schema/batch_loader.py): one fetch per tick, each key once per request,
failures per key, and a shared result that survives the cancellation of one waiter."""

from __future__ import annotations

import asyncio

import pytest

from schema.batch_loader import MISSING, BatchLoader


class Upstream:
    """A fetch that records its calls; `gate` holds every call until set."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.gate = asyncio.Event()
        self.gate.set()

    async def fetch(self, keys: list[str]) -> list[object]:
        self.calls.append(list(keys))
        await self.gate.wait()
        if "boom" in keys:
            raise RuntimeError("the whole call failed")
        return [LookupError(k) if k.startswith("bad") else k.upper() for k in keys]


async def test_loads_of_one_tick_are_one_fetch_and_each_key_is_fetched_once() -> None:
    upstream = Upstream()
    loader = BatchLoader(upstream.fetch)
    assert await asyncio.gather(loader.load("a"), loader.load("b"), loader.load("a")) == ["A", "B", "A"]
    assert await loader.load("b") == "B"
    await loader.load_all(["a", "b", "c"])
    assert upstream.calls == [["a", "b"], ["c"]]
    assert loader.peek("c") == "C"
    assert loader.peek("d") is MISSING


async def test_a_failed_key_fails_alone_and_a_failed_call_fails_its_keys() -> None:
    loader = BatchLoader(Upstream().fetch)
    results = await asyncio.gather(loader.load("bad1"), loader.load("ok"), return_exceptions=True)
    assert isinstance(results[0], LookupError) and results[1] == "OK"
    with pytest.raises(LookupError):
        loader.peek("bad1")

    await loader.load_all(["boom", "x"])  # recorded, not raised: each field reports its own
    for key in ("boom", "x"):
        with pytest.raises(RuntimeError):
            loader.peek(key)


async def test_cancelling_one_waiter_leaves_the_shared_result_to_the_others() -> None:
    upstream = Upstream()
    upstream.gate.clear()
    loader = BatchLoader(upstream.fetch)
    refused = asyncio.ensure_future(loader.load("k"))
    sibling = asyncio.ensure_future(loader.load("k"))
    await asyncio.sleep(0.01)  # the fetch is in flight
    refused.cancel()
    upstream.gate.set()
    assert await sibling == "K"
    assert refused.cancelled()
    assert upstream.calls == [["k"]]


async def test_cancelling_a_load_all_leaves_its_fetch_to_the_fields_that_share_it() -> None:
    upstream = Upstream()
    upstream.gate.clear()
    loader = BatchLoader(upstream.fetch)
    prefetch = asyncio.ensure_future(loader.load_all(["k", "l"]))
    await asyncio.sleep(0.01)
    field = asyncio.ensure_future(loader.load("k"))  # joins the fetch in flight
    await asyncio.sleep(0.01)
    prefetch.cancel()
    upstream.gate.set()
    assert await field == "K"
    assert loader.peek("l") == "L"
    assert upstream.calls == [["k", "l"]]
