"""Observation hooks: metrics and the audit record of every upstream call.

A hook is any callable taking a `CallRecord`. Records name the connector, how many
keys, the outcome and the duration - never the keys themselves (they are NIKs/KKs).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

log = logging.getLogger("connectors.runtime")


@dataclass(frozen=True, slots=True)
class CallRecord:
    connector: str
    keys: int  # keys sent upstream (cache misses), not keys asked for
    outcome: str  # "ok" or a ConnectorUnavailable reason ("timeout", "http_503", ...)
    duration: float  # seconds, the whole load including retries
    attempts: int  # upstream HTTP calls made
    at: datetime
    found: int = 0
    # seconds the load was allowed: the connector's timeout, or less when the request's
    # deadline came sooner. Tests assert on it instead of timing the call themselves.
    budget: float | None = None


CallHook = Callable[[CallRecord], None]


def log_call(record: CallRecord) -> None:
    """The default hook: one structured log line per upstream load, PII-free."""
    log.info(
        "connector call",
        extra={
            "connector": record.connector,
            "keys": record.keys,
            "found": record.found,
            "outcome": record.outcome,
            "duration_ms": round(record.duration * 1000, 1),
            "attempts": record.attempts,
        },
    )
