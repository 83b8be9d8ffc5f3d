"""Claiming ahead never outruns the lease: a message claimed into the worker's ready queue
starts and finishes while its lease still holds, so it is never claimed again and sent twice.

The receiver answers every POST after 0.2 s and the worker sends one at a time; with a lease
of 2.5 s and a timeout of 1 s only one message may wait ahead (``claim_ahead``). Claiming the
whole batch of 16 at once would leave the last ones waiting ~3 s: their leases would run
out, the worker would claim them again and send them twice. Asserted on what the receiver
saw and the hub recorded: one POST and one attempt per message.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from hub.delivery.models import DeliveryAttempt, DeliveryMessage, DeliveryState
from hub.delivery.worker import claim_ahead
from tests.referrals.receiver import Receiver
from tests.referrals.scenario import wait_for
from tests.referrals.test_fairness import _all, _messages, _refer

CODES = tuple(f"AHEAD_{i}" for i in range(16))
SETTINGS = {"delivery_concurrency": 1, "delivery_batch_size": 16, "delivery_lease_seconds": 2.5,
            "delivery_timeout_seconds": 1.0, "delivery_endpoint_max_in_flight": 16}


async def test_no_message_waits_in_the_ready_queue_beyond_its_lease(hub, flow, register, worker, settings) -> None:
    receiver = await Receiver(delay=0.2).start()
    try:
        partner = (await register(receiver, name="Dinas Lambat Sedikit", codes=CODES))["partner"]["id"]
        await _refer(hub, flow, CODES)
        w = worker(**SETTINGS)
        await wait_for(_all(hub, partner, DeliveryState.DELIVERED, len(CODES)), timeout=60)
        await w.stop()
    finally:
        await receiver.stop()
    messages = await _messages(hub, partner)
    assert Counter(receiver.ids()) == Counter({m.id: 1 for m in messages})
    async with hub.sessions() as s:
        attempts = await s.scalar(select(func.count()).select_from(DeliveryAttempt).join(DeliveryMessage)
                                  .where(DeliveryMessage.partner_id == partner))
    assert attempts == len(CODES)
    assert all(m.attempts == 1 for m in messages)


def test_claim_ahead_is_bounded_by_the_lease(settings) -> None:
    assert claim_ahead(settings.model_copy(update=SETTINGS)) == 1  # the scenario above
    assert claim_ahead(settings.model_copy(update={"delivery_lease_seconds": 0.5})) == 1  # below one timeout


def test_the_default_claim_ahead_fits_in_the_default_lease(settings) -> None:
    # 160 ahead, 32 POSTs at a time: the last starts after 5 timeouts of 10 s and ends by 60 s.
    assert claim_ahead(settings) == settings.delivery_batch_size == 160
