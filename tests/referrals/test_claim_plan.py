"""A claim finds the rows it picked by primary key, whatever the statistics say (PostgreSQL).

The outbox is nearly all DELIVERED whenever it is analysed, so the statistics give the
partial index of pending messages no rows. A burst then leaves thousands due while the
planner still believes none are: the claim used to find its picked rows by scanning that
index, testing every due message against the picked ids, O(due × batch) per claim (32 ms for
3,000 due instead of 2 ms). Asserted on what PostgreSQL counted for the claim's transaction:
the index entries it read, not how long it took.
"""

from __future__ import annotations

from sqlalchemy import insert, text

from hub.db.base import new_id, utcnow
from hub.delivery.models import DeliveryMessage, DeliveryState, new_message_id
from hub.referrals.models import Referral
from hub.referrals.status import ReferralStatus
from tests.conftest import requires_postgres

DUE, BATCH = 2000, 50


async def _outbox(hub, partner: str, programme: str, case_id: str, state: DeliveryState) -> None:  # type: ignore[no-untyped-def]
    """DUE messages to ``partner`` in ``state``, each for a settled referral of its own."""
    now = utcnow()
    referrals = [{"id": new_id(), "case_id": case_id, "programme_code": programme, "partner_id": partner,
                  "reason": "burst", "status": ReferralStatus.COMPLETED, "created_by": "test", "created_at": now,
                  "updated_at": now, "version": 1} for _ in range(DUE)]
    async with hub.engine.begin() as conn:
        await conn.execute(insert(Referral), referrals)
        await conn.execute(insert(DeliveryMessage), [
            {"id": new_message_id(), "referral_id": r["id"], "partner_id": partner, "event_type": "referral.requested",
             "body": "{}", "state": state, "attempts": 1 if state is DeliveryState.DELIVERED else 0, "round_start": 0,
             "next_attempt_at": now, "created_at": now, "updated_at": now} for r in referrals])


async def _analyze(hub) -> None:  # type: ignore[no-untyped-def]
    async with hub.engine.connect() as conn:
        await conn.execute(text("ANALYZE delivery_messages"))
        await conn.commit()


async def _claim(hub, index: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """How many rows one claim of BATCH took, and the entries of ``index`` its transaction read."""
    async with hub.engine.connect() as conn:
        claimed = (await conn.execute(text(
            "SELECT id FROM slrt_claim_deliveries('plan-test', now() + interval '60 seconds', now(), 1000, :n)"),
            {"n": BATCH})).all()
        # This transaction's own counts (not yet flushed to the cumulative statistics).
        read = await conn.scalar(text(f"SELECT pg_stat_get_xact_tuples_returned('{index}'::regclass)"))
        await conn.rollback()
    return len(claimed), int(read)


@requires_postgres
async def test_a_claim_reads_its_picked_rows_by_primary_key_when_the_statistics_say_none_are_due(
        hub, flow, register, receiver) -> None:
    partner = (await register(receiver, codes=("PLAN_BURST",)))["partner"]["id"]
    await _outbox(hub, partner, "PLAN_BURST", await flow.case_in("REVIEWED"), DeliveryState.DELIVERED)
    await _analyze(hub)  # the statistics of a settled outbox: all delivered
    async with hub.engine.begin() as conn:  # the burst: every message due at once
        await conn.execute(text("UPDATE delivery_messages SET state = 'QUEUED' WHERE partner_id = :p"), {"p": partner})

    claimed, read = await _claim(hub, "ix_delivery_messages_partner_due")
    assert claimed == BATCH
    # The pick reads the partner's front (BATCH entries); the picked rows come by primary key.
    assert read <= 2 * BATCH, f"{read} entries of the due index read for a claim of {BATCH}"


@requires_postgres
async def test_a_claim_takes_its_rows_by_primary_key_when_the_statistics_were_taken_on_an_empty_outbox(
        hub, flow, register, receiver) -> None:
    """Analysed while (nearly) empty, the outbox was estimated at one row: the final UPDATE then
    walked the whole primary-key index for every taken row (bench/delivery.py: 1.1 ms of database
    CPU per message instead of 0.15, for the whole run, until the next autoanalyze)."""
    partner = (await register(receiver, codes=("PLAN_EMPTY",)))["partner"]["id"]
    case_id = await flow.case_in("REVIEWED")
    await _analyze(hub)  # the statistics of an outbox cleared out
    await _outbox(hub, partner, "PLAN_EMPTY", case_id, DeliveryState.QUEUED)  # then a burst, all due

    claimed, read = await _claim(hub, "pk_delivery_messages")
    assert claimed == BATCH
    # The take and the update each find the BATCH picked rows by key.
    assert read <= 4 * BATCH, f"{read} primary-key entries read for a claim of {BATCH}"
