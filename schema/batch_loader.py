"""`BatchLoader`: per-request batch loading, and whole batches without a future per key.

It does what strawberry's DataLoader does — `load(key)` returns an awaitable, and every key
asked for in one tick of the event loop is fetched in one call, each key once per request —
and three things it does not:

- `load_all(keys)` fetches the keys not known yet in one call and waits for it, without a
  future per key: the relations `prefetch` loads (schema/relations.py) are hundreds of keys
  per level, and a DataLoader spends ~10 µs on each (its future, a batch task object, the
  wait), about a tenth of the hub's CPU for the 50-case graph (docs/perf/README.md);
- `peek(key)` gives a loaded value at once (raising its failure), so a resolver whose data
  is loaded needs no coroutine, and `prime(key, value)` holds a value read with something
  else (a case lookup reads the case's sectors with it);
- each `load` gets its own future, so shared results survive the cancellation of one waiter:
  when a non-null field fails, graphql-core cancels the other fields of its object, and a
  cancelled resolver cancels the future it awaits; a DataLoader hands every resolver asking
  for a key the same future, so they would all raise CancelledError out of the request.

``fetch(keys)`` returns one value per key, in order; an exception value fails that key
only, an exception raised fails every key of the call. A fetch that is itself cancelled
records nothing: its waiters see the cancellation, a later `load` fetches again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Final, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

MISSING: Final = object()  # `peek`: not loaded (yet)


class _Failed:
    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


class BatchLoader(Generic[K, V]):
    def __init__(self, fetch: Callable[[list[K]], Awaitable[Sequence[V | BaseException]]]) -> None:
        self._fetch = fetch
        self._loaded: dict[K, Any] = {}  # key -> value, or _Failed
        self._pending: set[K] = set()  # keys queued or being fetched
        self._waiters: dict[K, list[asyncio.Future[V]]] = {}  # `load` futures not answered yet
        self._queue: list[K] = []  # keys of `load` calls for this tick's fetch
        self._fetching: set[asyncio.Task[None]] = set()  # referenced until done (the loop keeps weak ones)

    def peek(self, key: K) -> V | Any:
        """The loaded value of `key`, or `MISSING`; raises the key's failure."""
        value = self._loaded.get(key, MISSING)
        if type(value) is _Failed:
            raise value.error
        return value

    def prime(self, key: K, value: V) -> None:
        """Hold `value` for `key`, read along with something else, unless `key` is loaded or
        being fetched already."""
        if key not in self._loaded and key not in self._pending:
            self._loaded[key] = value

    def load(self, key: K) -> Awaitable[V]:
        """The value of `key`, fetched with the other keys asked for in this tick."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[V] = loop.create_future()
        value = self._loaded.get(key, MISSING)
        if value is not MISSING:
            _settle(future, value)
            return future
        self._waiters.setdefault(key, []).append(future)
        if key not in self._pending:
            if not self._queue:
                loop.call_soon(self._dispatch)
            self._queue.append(key)
            self._pending.add(key)
        return future

    def start_all(self, keys: Iterable[K]) -> None:
        """Start fetching, in one call, every key of `keys` neither loaded nor being fetched;
        a later `load_all` or `load` of them waits for that call."""
        missing = [k for k in dict.fromkeys(keys) if k not in self._loaded and k not in self._pending]
        if missing:
            self._pending.update(missing)
            self._start(missing)

    async def load_all(self, keys: Iterable[K]) -> None:
        """Fetch every key of `keys` not loaded yet, in one call, and wait for all of them.

        Failures are recorded, not raised: `peek` (or the field's `load`) reports them."""
        wanted = [k for k in dict.fromkeys(keys) if k not in self._loaded]
        waits: list[asyncio.Future[Any]] = [asyncio.ensure_future(self.load(k)) for k in wanted if k in self._pending]
        missing = [k for k in wanted if k not in self._pending]
        if missing:
            self._pending.update(missing)
            waits.append(self._start(missing))
        if waits:
            # `wait`, not `gather`: cancelling this caller leaves the shared fetch running
            done, _ = await asyncio.wait(waits)
            for finished in done:  # retrieved: the fields report their failures themselves
                if not finished.cancelled():
                    finished.exception()

    def _dispatch(self) -> None:
        keys, self._queue = self._queue, []
        self._start(keys)

    def _start(self, keys: list[K]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(self._run(keys))
        self._fetching.add(task)
        task.add_done_callback(self._fetching.discard)
        return task

    async def _run(self, keys: list[K]) -> None:
        try:
            values: Sequence[Any] = await self._fetch(keys)
            if len(values) != len(keys):
                raise ValueError(f"fetch returned {len(values)} values for {len(keys)} keys")
        except asyncio.CancelledError:
            for key in keys:
                self._pending.discard(key)
                for future in self._waiters.pop(key, ()):
                    future.cancel()
            raise
        except Exception as error:  # noqa: BLE001 - every key of the call fails with it
            values = [error] * len(keys)
        for key, value in zip(keys, values, strict=True):
            loaded = self._loaded[key] = _Failed(value) if isinstance(value, BaseException) else value
            self._pending.discard(key)
            for future in self._waiters.pop(key, ()):
                _settle(future, loaded)


def _settle(future: asyncio.Future[Any], value: Any) -> None:
    if future.done():  # cancelled by its caller
        return
    if type(value) is _Failed:
        future.set_exception(value.error)
    else:
        future.set_result(value)
