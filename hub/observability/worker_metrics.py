"""``/metrics`` of a ``slrt-hub worker`` process, on its own port (SLRT_WORKER_METRICS_PORT).

Each process counts its own work, so each serves its own metrics: Prometheus scrapes the
API and every worker. The worker also refreshes the outbox gauges, since nobody scrapes
through an async handler here (prometheus-client serves from a thread).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

from prometheus_client import start_http_server

from hub.db.engine import create_engine, create_session_factory
from hub.observability import outbox_gauges
from hub.settings import Settings

log = logging.getLogger("slrt.metrics")
REFRESH_SECONDS = 15.0


async def with_worker_metrics(settings: Settings, work: Awaitable[None]) -> None:
    """Run ``work`` (the worker), serving metrics meanwhile when a port is set."""
    if not settings.worker_metrics_port:
        await work
        return
    server, thread = start_http_server(settings.worker_metrics_port, addr=settings.worker_metrics_host)
    log.info("worker metrics on http://%s:%d/metrics", settings.worker_metrics_host, settings.worker_metrics_port)
    engine = create_engine(settings.database_url)
    refresher = asyncio.create_task(outbox_gauges.refresh_forever(create_session_factory(engine), REFRESH_SECONDS))
    try:
        await work
    finally:
        refresher.cancel()
        await asyncio.gather(refresher, return_exceptions=True)
        server.shutdown()
        thread.join(timeout=5)
        await engine.dispose()
