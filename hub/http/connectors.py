"""The hub's connectors at run time: discovered, validated, one shared HTTP session.

Built once in `Hub.start`. Discovery and validation run there, so a broken connector
stops start-up with its name (`ConnectorDefinitionError`), not the first query. Every
discovered connector gets a runtime (the `connectors` query shows disabled ones too);
only the enabled ones add a field to the schema.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

import aiohttp

from connectors.sdk import (
    BreakerState,
    CallHook,
    Connector,
    ConnectorRuntime,
    ConnectorSettings,
    ConnectorStatus,
    TTLCache,
    build_runtimes,
    discover,
    log_call,
    validate_connector_class,
)
from hub.observability import tracing
from hub.observability.request_id import outbound_trace_config

ConnectorClass = type[Connector[ConnectorSettings]]

log = logging.getLogger("slrt.connectors")


def enabled_classes(
    classes: Mapping[str, ConnectorClass],
    settings: Mapping[str, ConnectorSettings] | None = None,
) -> dict[str, ConnectorClass]:
    """The connectors whose settings (given, else `SLRT_CONNECTOR_<NAME>_ENABLED`) enable them."""
    given = settings or {}
    return {name: cls for name, cls in classes.items()
            if (given.get(name) or cls.settings_class.for_connector(name)).enabled}


class ConnectorRegistry:
    """Runtimes by connector name, the aiohttp session and the TTL cache they share."""

    def __init__(self, session: aiohttp.ClientSession, runtimes: dict[str, ConnectorRuntime],
                 cache: TTLCache) -> None:
        self._session = session
        self.runtimes = runtimes
        self.cache = cache

    @classmethod
    async def start(cls, classes: Mapping[str, ConnectorClass] | None = None,
                    settings: Mapping[str, ConnectorSettings] | None = None, *,
                    hooks: Sequence[CallHook] = (log_call,),
                    on_breaker_change: Callable[[str, BreakerState], None] | None = None) -> ConnectorRegistry:
        """Discover (unless `classes` are given) and build one runtime per connector.

        `settings` overrides a connector's settings by name (tests, the demo); the
        others come from the environment. `hooks` see every upstream call (logs, metrics).
        """
        if classes is None:
            found = discover()
        else:  # given classes (tests, embedding) are held to the same contract as entry points
            found = {name: validate_connector_class(cls, expected_name=name) for name, cls in classes.items()}
        # The pool is shared by every connector; per-connector timeouts bound each call.
        # Its trace configs send the current request's id upstream as x-request-id and, when
        # tracing is on, a span per call with W3C traceparent.
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100, limit_per_host=20),
                                        trace_configs=[outbound_trace_config(), *tracing.client_trace_configs()])
        cache = TTLCache()
        runtimes = build_runtimes(found, session, settings=settings, cache=cache, hooks=hooks,
                                  include_disabled=True, on_breaker_change=on_breaker_change)
        registry = cls(session, runtimes, cache)
        log.info("connectors ready", extra={"enabled": sorted(registry.enabled()), "known": sorted(runtimes)})
        return registry

    def enabled(self) -> dict[str, ConnectorClass]:
        """Enabled connectors by name: the ones the schema shows."""
        return {name: type(rt.connector) for name, rt in self.runtimes.items() if rt.settings.enabled}

    def statuses(self) -> list[ConnectorStatus]:
        return [self.runtimes[name].status() for name in sorted(self.runtimes)]

    async def close(self) -> None:
        await self._session.close()
