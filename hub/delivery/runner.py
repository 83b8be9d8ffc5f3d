"""Running a worker as a process (``slrt-hub worker``): signals end it gracefully."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Coroutine
from typing import Any, TypeVar

from hub import heap
from hub.db.engine import create_engine
from hub.delivery.worker import DeliveryWorker
from hub.observability import tracing
from hub.settings import Settings

T = TypeVar("T")


async def run_worker(settings: Settings, stop: asyncio.Event | None = None) -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    engine = create_engine(settings.database_url)
    tracing.instrument_engine(engine)
    # The cyclic collector was 10-12 % of the worker's CPU, its full collections walking every
    # module object (docs/perf/README.md): the same tuning as a serving process.
    heap.settle_after_startup()
    try:
        await DeliveryWorker(engine, settings).run(stop)
    finally:
        await engine.dispose()


def run_in_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run the worker on uvloop when installed (it comes with uvicorn[standard]): the worker is
    mostly event-loop and socket work, which uvloop does at a fraction of the CPU."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)
