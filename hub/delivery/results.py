"""Storing finished attempts: one attempt row each, the message's new state, the endpoint's streak.

A batch of results is one transaction. A result whose lease token no longer matches (the
lease ran out and another worker took the message) is dropped: only the current holder
writes. On PostgreSQL the whole batch is ONE statement — array parameters unnested into
rows, an ``UPDATE … RETURNING`` of the messages whose lease held, the attempt rows inserted
from what it returned — built once, so it is compiled once and prepared once per connection.
SQLite (one worker, small outboxes) updates message by message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import BindParameter, DateTime, Integer, String, TextClause, bindparam, insert, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

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


async def record_many(engine: AsyncEngine, results: list[Result], worker: str, disable_after: timedelta) -> set[str]:
    """Store attempts and new message states in one transaction; returns the ids whose lease held."""
    if not results:
        return set()
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            kept = await _record_at_once(conn, results, worker[:100])
        else:
            kept = await _record_one_by_one(conn, results, worker[:100])
        # A batch where every attempt of an endpoint succeeded has nothing more to say about it
        # (the statement above ended any failure streak); the others are tracked here.
        for partner_id in {r.message.partner_id for r in results if r.message.id in kept and not _delivered(r)}:
            mine = [r for r in results if r.message.partner_id == partner_id and r.message.id in kept]
            await _track_endpoint(conn, partner_id, sorted(mine, key=lambda r: r.at), disable_after)
    return kept


def _delivered(r: Result) -> bool:
    return r.decision.verdict is Verdict.DELIVERED


def _state(decision: Decision) -> str:
    if decision.verdict is Verdict.DELIVERED:
        return DeliveryState.DELIVERED.value
    if decision.verdict is Verdict.RETRY and decision.next_attempt_at is not None:
        return DeliveryState.RETRYING.value
    return DeliveryState.DEAD.value


def _last_error(r: Result) -> str | None:
    error = r.outcome.error or (f"HTTP {r.outcome.status_code}" if not _delivered(r) else None)
    return error[:MAX_TEXT] if error else None


def _body(r: Result) -> str | None:
    return r.outcome.body[:MAX_BODY_KEPT] if r.outcome.body else None


def _error(r: Result) -> str | None:
    return r.outcome.error[:MAX_TEXT] if r.outcome.error else None


async def _record_at_once(conn: AsyncConnection, results: list[Result], worker: str) -> set[str]:
    recovered = {r.message.partner_id for r in results if _delivered(r)} - {
        r.message.partner_id for r in results if not _delivered(r)}
    params = {
        "ids": [r.message.id for r in results], "tokens": [r.message.lease_token for r in results],
        "states": [_state(r.decision) for r in results], "ats": [r.at for r in results],
        "last_errors": [_last_error(r) for r in results],
        "next_ats": [r.decision.next_attempt_at for r in results],
        "delivered_ats": [r.at if _delivered(r) else None for r in results],
        "codes": [r.outcome.status_code for r in results], "durations": [r.outcome.duration_ms for r in results],
        "errors": [_error(r) for r in results], "bodies": [_body(r) for r in results],
        "recovered": sorted(recovered), "worker": worker,
    }
    return set((await conn.execute(_record_statement(), params)).scalars())


@cache
def _record_statement() -> TextClause:
    stamps, texts, ints = ARRAY(DateTime(timezone=True)), ARRAY(String), ARRAY(Integer)
    return text("""
WITH v AS (
  SELECT * FROM unnest(:ids, :tokens, :states, :ats, :last_errors, :next_ats, :delivered_ats,
                       :codes, :durations, :errors, :bodies)
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
  -- an endpoint that answered 2xx to every attempt of the batch ends its failure streak
  UPDATE partners SET failing_since = NULL WHERE id = ANY(:recovered) AND failing_since IS NOT NULL
)
INSERT INTO delivery_attempts (message_id, number, at, status_code, duration_ms, error, response_body, worker)
SELECT kept.id, kept.attempts, v.at, v.code, v.duration, v.error, v.body, :worker
  FROM kept JOIN v ON v.id = kept.id
RETURNING message_id
""").bindparams(
        *(_array(name, texts) for name in ("ids", "tokens", "states", "last_errors", "errors", "bodies", "recovered")),
        *(_array(name, stamps) for name in ("ats", "next_ats", "delivered_ats")),
        *(_array(name, ints) for name in ("codes", "durations")))


def _array(name: str, type_: ARRAY) -> BindParameter[object]:
    return bindparam(name, type_=type_)


async def _record_one_by_one(conn: AsyncConnection, results: list[Result], worker: str) -> set[str]:
    t = DeliveryMessage.__table__
    numbers: dict[str, int] = {}
    for r in results:
        values: dict[str, object] = {"state": _state(r.decision), "attempts": t.c.attempts + 1, "lease_token": None,
                                     "lease_expires_at": None, "updated_at": r.at, "last_error": _last_error(r)}
        if r.decision.next_attempt_at is not None:
            values["next_attempt_at"] = r.decision.next_attempt_at
        if _delivered(r):
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
    for partner_id in {r.message.partner_id for r in results if r.message.id in numbers and _delivered(r)} - {
            r.message.partner_id for r in results if not _delivered(r)}:
        P = Partner.__table__
        await conn.execute(update(P).where(P.c.id == partner_id, P.c.failing_since.is_not(None))
                           .values(failing_since=None))
    return set(numbers)


async def _track_endpoint(conn: AsyncConnection, partner_id: str, results: list[Result],
                          disable_after: timedelta) -> None:
    """Keep the failure streak of an endpoint: cleared by a success, disabling it when too long."""
    P = Partner.__table__
    at = results[-1].at
    if any(r.decision.verdict is Verdict.GONE for r in results):
        await conn.execute(update(P).where(P.c.id == partner_id).values(
            active=False, disabled_reason="the endpoint answered 410 Gone", updated_at=at))
        return
    last_ok = max((i for i, r in enumerate(results) if _delivered(r)), default=None)
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
