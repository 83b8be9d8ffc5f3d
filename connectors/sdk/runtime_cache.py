"""A TTL cache keyed by (connector, key), shared by all runtimes of one hub process.

Not-found answers are cached too (as `NOT_FOUND`), so an unknown NIK does not cost an
upstream call on every query. Bounded by `max_entries`; the oldest entries go first.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Final


class _NotFound:
    def __repr__(self) -> str:
        return "NOT_FOUND"


NOT_FOUND: Final = _NotFound()
MISSING: Final = object()


class TTLCache:
    def __init__(self, max_entries: int = 100_000, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: OrderedDict[tuple[str, str], tuple[float, object]] = OrderedDict()
        self._max = max_entries
        self._clock = clock

    def get(self, connector: str, key: str) -> object:
        """The cached value, `NOT_FOUND`, or `MISSING` when absent or expired."""
        entry = self._entries.get((connector, key))
        if entry is None:
            return MISSING
        expires_at, value = entry
        if self._clock() >= expires_at:
            del self._entries[(connector, key)]
            return MISSING
        return value

    def set(self, connector: str, key: str, value: object, ttl: float) -> None:
        if ttl <= 0:
            return
        self._entries[(connector, key)] = (self._clock() + ttl, value)
        self._entries.move_to_end((connector, key))
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def clear(self, connector: str | None = None) -> None:
        if connector is None:
            self._entries.clear()
            return
        for cache_key in [k for k in self._entries if k[0] == connector]:
            del self._entries[cache_key]

    def __len__(self) -> int:
        return len(self._entries)
