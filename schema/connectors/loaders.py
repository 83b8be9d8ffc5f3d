"""Per-request connector loaders: one upstream call per connector per batch.

Every connector field and the needs screening load through these, so a query for 20
cases with their households and members costs one `fetch_many` per connector, and
keys asked twice in one request (a person who is also a case subject) are fetched once.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable
from typing import Any

from connectors.sdk import ConnectorRecord, ConnectorRuntime
from schema.batch_loader import BatchLoader


class ConnectorLoaders:
    def __init__(self, runtimes: dict[str, ConnectorRuntime], started: float | None = None) -> None:
        self._runtimes = runtimes
        self._loaders: dict[str, BatchLoader[str, ConnectorRecord | None]] = {}
        # Each connector's timeout counts from the start of the request (`started`, on the
        # loop's clock), not from the moment the query reaches its field: the response waits
        # for it that long at most.
        self._started = asyncio.get_running_loop().time() if started is None else started
        # household id -> its screening, evaluated once however many fields ask for it
        self.screenings: dict[str, asyncio.Future[Any]] = {}

    def load(self, connector: str, key: str) -> Awaitable[ConnectorRecord | None]:
        """The record for `key` (None: not found); raises `connectors.sdk.ConnectorUnavailable`."""
        return self.loader(connector).load(key)

    def loader(self, connector: str) -> BatchLoader[str, ConnectorRecord | None]:
        loader = self._loaders.get(connector)
        if loader is None:
            # `batch_load` answers the ConnectorUnavailable value for every key of a failed
            # batch; the loader fails each key with it, so each field fails alone.
            runtime = self._runtimes[connector]
            loader = self._loaders[connector] = BatchLoader(
                functools.partial(runtime.batch_load, deadline=self._started + runtime.settings.timeout))
        return loader
