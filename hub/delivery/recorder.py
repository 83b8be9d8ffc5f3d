"""Batches attempt results into few transactions: one commit records many deliveries.

Each finished attempt waits for the batch that records it (its result is stored, or known
to be dropped because the lease was lost). While one batch commits, the next one fills up.
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


class Recorder:
    def __init__(self, store: OutboxStore, worker: str, disable_after: timedelta,
                 on_written: Callable[[], None] = lambda: None) -> None:
        self._store = store
        self._on_written = on_written  # told after every batch, stored or not: the worker may claim again
        self._worker = worker
        self._disable_after = disable_after
        self._pending: list[tuple[Result, asyncio.Future[bool]]] = []
        self._wake = asyncio.Event()
        self._closing = False

    async def record(self, result: Result) -> bool:
        """True once stored; False if the lease was lost. Raises if the database failed."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append((result, future))
        self._wake.set()
        return await future

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

    async def _write(self, batch: list[tuple[Result, asyncio.Future[bool]]]) -> None:
        try:
            kept = await self._store.record([r for r, _ in batch], self._worker, self._disable_after)
        except Exception as exc:  # noqa: BLE001 - each waiter learns of it; leases expire, messages go again
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
        else:
            for result, future in batch:
                if not future.done():
                    future.set_result(result.message.id in kept)
        self._on_written()
