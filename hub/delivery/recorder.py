"""Batches attempt results into few transactions: one commit records many deliveries.

An attempt hands its result over and ends: its HTTP slot and its task are free at once, and
what follows the write (metrics, the attempt's log line, a lost lease) is done per batch by
the worker's ``on_written``. While one batch commits, the next one fills up. The results
not yet written are the ``backlog``: the worker claims no more while it is too long, so a
slow database holds the claims back instead of letting unrecorded attempts pile up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta

from hub.delivery.results import Result
from hub.delivery.store import OutboxStore

log = logging.getLogger("slrt.delivery")
MAX_BATCH = 200

# Told after every batch: the results and the ids whose lease held, or None if the write failed
# (the leases then expire and the messages go again).
Written = Callable[[list[Result], "set[str] | None"], None]


class Recorder:
    def __init__(self, store: OutboxStore, worker: str, disable_after: timedelta, on_written: Written) -> None:
        self._store = store
        self._on_written = on_written
        self._worker = worker
        self._disable_after = disable_after
        self._pending: list[Result] = []
        self._writing = 0
        self._wake = asyncio.Event()
        self._closing = False

    @property
    def backlog(self) -> int:
        """Results handed over and not yet written (or known dropped)."""
        return len(self._pending) + self._writing

    def add(self, result: Result) -> None:
        self._pending.append(result)
        self._wake.set()

    def close(self) -> None:
        """Record what is pending, then let ``run`` return."""
        self._closing = True
        self._wake.set()

    async def run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
                await self._write(batch)
            if self._closing:
                return

    async def _write(self, batch: list[Result]) -> None:
        self._writing = len(batch)
        kept: set[str] | None = None
        try:
            kept = await self._store.record(batch, self._worker, self._disable_after)
        except Exception:  # noqa: BLE001 - the leases expire and the messages go again
            log.exception("recording %d delivery attempts failed", len(batch))
        finally:
            self._writing = 0
        self._on_written(batch, kept)
