"""A delivery worker running beside the API in ``slrt-hub serve`` (``SLRT_DELIVERY_EMBEDDED``)."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.delivery.worker import DeliveryWorker
from hub.settings import Settings

log = logging.getLogger("slrt.delivery")


class EmbeddedWorker:
    def __init__(self, engine: AsyncEngine, settings: Settings) -> None:
        self._worker = DeliveryWorker(engine, settings)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> EmbeddedWorker:
        self._task = asyncio.create_task(self._worker.run(self._stop), name="delivery-worker")
        self._task.add_done_callback(self._report)
        return self

    async def stop(self) -> None:
        """Stop claiming, let in-flight attempts finish (or hand them back), then return."""
        self._stop.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    @staticmethod
    def _report(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("the embedded delivery worker stopped", exc_info=task.exception())
