"""Storing finished attempts: one attempt row each, the message's new state, the endpoint's streak.

A result whose lease token no longer matches (the lease ran out and another worker took the
message) is dropped: only the current holder writes. On PostgreSQL a batch of results is ONE
statement (``RECORD_POSTGRES``), atomic on its own; SQLite updates message by message in one
transaction. The failure streak of an endpoint with a failure in the batch is then kept by
``track_endpoint`` (rare; the all-success case is part of the statement).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncConnection

from hub.delivery.claims import Claimed
from hub.delivery.models import DeliveryAttempt, DeliveryMessage, DeliveryState
from hub.delivery.policy import AttemptOutcome, Verdict
from hub.referrals.models import Partner

MAX_BODY_KEPT = 1024  # the first 1 KiB of a response body is kept with the attempt
MAX_TEXT = 500


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    next_attempt_at: datetime | None  # None: no further attempt


@dataclass(frozen=True, slots=True)
class Result:
    """One finished attempt, waiting to be recorded."""

    message: Claimed
    outcome: AttemptOutcome
    decision: Decision
    at: datetime
    attempt_id: str | None = None  # the x-request-id it was sent with, for its log line


def delivered(r: Result) -> bool:
    return r.decision.verdict is Verdict.DELIVERED


def _state(decision: Decision) -> str:
    if decision.verdict is Verdict.DELIVERED:
        return DeliveryState.DELIVERED.value
    if decision.verdict is Verdict.RETRY and decision.next_attempt_at is not None:
        return DeliveryState.RETRYING.value
    return DeliveryState.DEAD.value


def _last_error(r: Result) -> str | None:
    error = r.outcome.error or (f"HTTP {r.outcome.status_code}" if not delivered(r) else None)
    return error[:MAX_TEXT] if error else None


def _body(r: Result) -> str | None:
    return r.outcome.body[:MAX_BODY_KEPT] if r.outcome.body else None


def _error(r: Result) -> str | None:
    return r.outcome.error[:MAX_TEXT] if r.outcome.error else None


def recovered(results: list[Result]) -> set[str]:
    """Endpoints that answered 2xx to every attempt of the batch: their failure streak ends."""
    return {r.message.partner_id for r in results if delivered(r)} - {
        r.message.partner_id for r in results if not delivered(r)}


def still_failing(results: list[Result], kept: set[str]) -> dict[str, list[Result]]:
    """The kept results of every endpoint with a failure in the batch, in time order."""
    partners = {r.message.partner_id for r in results if r.message.id in kept and not delivered(r)}
    return {p: sorted((r for r in results if r.message.partner_id == p and r.message.id in kept), key=lambda r: r.at)
            for p in partners}


# One statement for a whole batch: the arrays are unnested into rows, the messages whose
# lease token still matches are updated, and their attempt rows are inserted from what the
# UPDATE returned (the attempt number is the message's new attempt count).
RECORD_POSTGRES = """
WITH v AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::timestamptz[],
                       $7::timestamptz[], $8::integer[], $9::integer[], $10::text[], $11::text[])
         AS v(id, token, state, at, last_error, next_at, delivered_at, code, duration, error, body)
), kept AS (
  UPDATE delivery_messages AS t
     SET state = v.state, attempts = t.attempts + 1, lease_token = NULL, lease_expires_at = NULL,
         updated_at = v.at, last_error = v.last_error,
         next_attempt_at = coalesce(v.next_at, t.next_attempt_at),
         delivered_at = coalesce(v.delivered_at, t.delivered_at)
    FROM v
   WHERE t.id = v.id AND t.lease_token = v.token
  RETURNING t.id, t.attempts
), recovered AS (
  UPDATE partners SET failing_since = NULL WHERE id = ANY($12::text[]) AND failing_since IS NOT NULL
)
INSERT INTO delivery_attempts (message_id, number, at, status_code, duration_ms, error, response_body, worker)
SELECT kept.id, kept.attempts, v.at, v.code, v.duration, v.error, v.body, $13
  FROM kept JOIN v ON v.id = kept.id
RETURNING message_id
"""


def record_postgres_args(results: list[Result], worker: str) -> tuple[object, ...]:
    return ([r.message.id for r in results], [r.message.lease_token for r in results],
            [_state(r.decision) for r in results], [r.at for r in results], [_last_error(r) for r in results],
            [r.decision.next_attempt_at for r in results], [r.at if delivered(r) else None for r in results],
            [r.outcome.status_code for r in results], [r.outcome.duration_ms for r in results],
            [_error(r) for r in results], [_body(r) for r in results], sorted(recovered(results)), worker[:100])


async def record_sqlite(conn: AsyncConnection, results: list[Result], worker: str) -> set[str]:
    """Message by message (SQLite: one worker, small outboxes); returns the ids whose lease held."""
    t = DeliveryMessage.__table__
    numbers: dict[str, int] = {}
    for r in results:
        values: dict[str, object] = {"state": _state(r.decision), "attempts": t.c.attempts + 1, "lease_token": None,
                                     "lease_expires_at": None, "updated_at": r.at, "last_error": _last_error(r)}
        if r.decision.next_attempt_at is not None:
            values["next_attempt_at"] = r.decision.next_attempt_at
        if delivered(r):
            values["delivered_at"] = r.at
        number = (await conn.execute(update(t).where(t.c.id == r.message.id, t.c.lease_token == r.message.lease_token)
                                     .values(**values).returning(t.c.attempts))).scalar_one_or_none()
        if number is not None:
            numbers[r.message.id] = number
    rows = [{"message_id": r.message.id, "number": numbers[r.message.id], "at": r.at,
             "status_code": r.outcome.status_code, "duration_ms": r.outcome.duration_ms, "error": _error(r),
             "response_body": _body(r), "worker": worker} for r in results if r.message.id in numbers]
    if rows:
        await conn.execute(insert(DeliveryAttempt.__table__), rows)
    P = Partner.__table__
    for partner_id in recovered(results):
        await conn.execute(update(P).where(P.c.id == partner_id, P.c.failing_since.is_not(None))
                           .values(failing_since=None))
    return set(numbers)


async def track_endpoint(conn: AsyncConnection, partner_id: str, results: list[Result],
                          disable_after: timedelta) -> None:
    """Keep the failure streak of an endpoint: cleared by a success, disabling it when too long."""
    P = Partner.__table__
    at = results[-1].at
    if any(r.decision.verdict is Verdict.GONE for r in results):
        await conn.execute(update(P).where(P.c.id == partner_id).values(
            active=False, disabled_reason="the endpoint answered 410 Gone", updated_at=at))
        return
    last_ok = max((i for i, r in enumerate(results) if delivered(r)), default=None)
    failures = results[last_ok + 1:] if last_ok is not None else results
    if last_ok is not None:
        await conn.execute(update(P).where(P.c.id == partner_id, P.c.failing_since.is_not(None))
                           .values(failing_since=None))
    if not failures:
        return
    await conn.execute(update(P).where(P.c.id == partner_id, P.c.failing_since.is_(None))
                       .values(failing_since=failures[0].at))
    await conn.execute(update(P).where(P.c.id == partner_id, P.c.active.is_(True), P.c.failing_since <= at - disable_after)
                       .values(active=False, updated_at=at, disabled_reason="the endpoint failed continuously for too long"))
