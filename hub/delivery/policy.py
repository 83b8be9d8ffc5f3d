"""What an attempt's outcome means and when to try again (SPEC section 5), decided in one place.

Retry on connection errors, timeouts, 408, 425, 429, 5xx (and redirects, which are never
followed); a 410 ends the message and disables the endpoint; any other 4xx ends the message
at once. The wait before attempt n+1 of a round is ``steps[n]`` with ±jitter; a
``Retry-After`` is honoured but kept within one to two steps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import Enum

RETRYABLE_4XX = frozenset({408, 425, 429})


class Verdict(str, Enum):
    DELIVERED = "DELIVERED"
    RETRY = "RETRY"
    DEAD = "DEAD"
    GONE = "GONE"  # 410: dead, and the endpoint is disabled


@dataclass(frozen=True, slots=True)
class AttemptOutcome:
    status_code: int | None
    duration_ms: int
    error: str | None = None
    body: str | None = None
    retry_after: float | None = None


def verdict(outcome: AttemptOutcome) -> Verdict:
    code = outcome.status_code
    if code is None:
        return Verdict.RETRY
    if 200 <= code < 300:
        return Verdict.DELIVERED
    if code == 410:
        return Verdict.GONE
    if 400 <= code < 500 and code not in RETRYABLE_4XX:
        return Verdict.DEAD
    return Verdict.RETRY


def next_delay(steps: tuple[float, ...], attempts_in_round: int, retry_after: float | None, jitter: float,
               rng: random.Random | None = None) -> float | None:
    """Seconds until the next attempt, or None when the schedule is spent (the message is DEAD)."""
    if attempts_in_round >= len(steps):
        return None
    step = steps[attempts_in_round]
    if retry_after is not None:
        return min(max(retry_after, step), 2 * step)
    return step * (1 + (rng or random).uniform(-jitter, jitter))


def parse_retry_after(value: str | None) -> float | None:
    """Delay-seconds or an HTTP date, as RFC 9110 allows; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from datetime import UTC, datetime
    from email.utils import parsedate_to_datetime

    try:
        at = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return max(0.0, (at - datetime.now(UTC)).total_seconds())
