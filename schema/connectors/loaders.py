"""Per-request connector loaders: one upstream call per connector per batch.

Every connector field and the needs screening load through these, so a query for 20
cases with their households and members costs one `fetch_many` per connector, and
keys asked twice in one request (a person who is also a case subject) are fetched once.
"""

from __future__ import annotations

import asyncio
from typing import Any

from connectors.sdk import ConnectorRecord, ConnectorRuntime
from strawberry.dataloader import DataLoader


class ConnectorLoaders:
    def __init__(self, runtimes: dict[str, ConnectorRuntime]) -> None:
        self._runtimes = runtimes
        self._loaders: dict[str, DataLoader[str, ConnectorRecord | None]] = {}
        # household id -> its screening, evaluated once however many fields ask for it
        self.screenings: dict[str, asyncio.Future[Any]] = {}

    def load(self, connector: str, key: str) -> asyncio.Future[ConnectorRecord | None]:
        """The record for `key` (None: not found); raises `connectors.sdk.ConnectorUnavailable`."""
        loader = self._loaders.get(connector)
        if loader is None:
            # `batch_load` answers the ConnectorUnavailable value for every key of a failed
            # batch; DataLoader raises it at each key's `load`, so each field fails alone.
            loader = self._loaders[connector] = DataLoader(load_fn=self._runtimes[connector].batch_load)
        return loader.load(key)
