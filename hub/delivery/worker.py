"""The delivery worker: claims due outbox messages, POSTs them, records every attempt.

Up to ``delivery_concurrency`` POSTs are in flight; free slots are refilled by claiming
more due messages, so every claimed message starts at once and its lease only needs to
outlast one attempt. On shutdown the worker stops claiming, lets in-flight attempts finish
within the timeout, and hands back (releases) those that did not.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.db.base import utcnow
from hub.delivery import outbox
from hub.delivery.outbox import Claimed, Decision, Endpoint, Result
from hub.delivery.policy import AttemptOutcome, Verdict, next_delay, verdict
from hub.delivery.recorder import Recorder
from hub.delivery.sender import Sender
from hub.observability import metrics, request_id
from hub.settings import Settings

log = logging.getLogger("slrt.delivery")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class DeliveryWorker:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], settings: Settings, name: str | None = None,
                 rng: random.Random | None = None) -> None:
        self._sessions = sessions
        self._s = settings
        self.name = name or worker_name()
        self._rng = rng or random.Random()
        self._steps = settings.delivery_steps
        self._lease = timedelta(seconds=settings.delivery_lease_seconds)
        self._disable_after = timedelta(hours=settings.partner_disable_after_hours)
        self._refill = max(1, min(settings.delivery_batch_size, settings.delivery_concurrency) // 2)
        self._endpoint_cache: dict[str, tuple[Endpoint, float]] = {}

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set, then shut down gracefully."""
        log.info("delivery worker %s started", self.name)
        in_flight: dict[asyncio.Task[None], Claimed] = {}
        self._sending = 0  # attempts in their HTTP phase; recording runs beside them in batches
        self._slot_freed = asyncio.Event()
        self._recorder = Recorder(self._sessions, self.name, self._disable_after)
        recording = asyncio.create_task(self._recorder.run())
        stopping = asyncio.create_task(stop.wait())
        async with Sender(self._s.delivery_timeout_seconds, self._s.allow_private_webhooks,
                          self._s.delivery_concurrency) as sender:
            try:
                while not stop.is_set():
                    for task in [t for t in in_flight if t.done()]:
                        in_flight.pop(task)
                    free = self._s.delivery_concurrency - self._sending
                    want = min(free, self._s.delivery_batch_size)
                    claimed: list[Claimed] = []
                    # Refill in batches, not slot by slot: a claim is a commit, so claiming one
                    # message per finished attempt would cost a transaction per message.
                    if free >= self._refill or not self._sending:
                        claimed = await self._claim(want)
                        await self._start(sender, claimed, in_flight)
                    if claimed and len(claimed) == want:
                        continue  # more may be due right now
                    self._slot_freed.clear()
                    slot = asyncio.create_task(self._slot_freed.wait())
                    timeout = None if free < self._refill and self._sending else self._s.delivery_poll_seconds
                    await asyncio.wait({slot, stopping}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
                    slot.cancel()
            finally:
                stopping.cancel()
                await self._shut_down(in_flight)
                self._recorder.close()
                await recording
        log.info("delivery worker %s stopped", self.name)

    async def _claim(self, limit: int) -> list[Claimed]:
        try:
            claimed = await outbox.claim(self._sessions, limit, self._lease, utcnow())
            metrics.observe_leases("claimed", len(claimed))
            return claimed
        except Exception:  # noqa: BLE001 - the database may be briefly away; try again next round
            log.exception("claiming due messages failed")
            return []

    async def _start(self, sender: Sender, claimed: list[Claimed], in_flight: dict[asyncio.Task[None], Claimed]) -> None:
        if not claimed:
            return
        endpoints = await self._endpoints({m.partner_id for m in claimed})
        for message in claimed:
            self._sending += 1
            task = asyncio.create_task(self._deliver(sender, message, endpoints[message.partner_id]))
            in_flight[task] = message

    async def _endpoints(self, partner_ids: set[str]) -> dict[str, Endpoint]:
        # Kept for a second: a claim then costs one query, not two, and a new URL or a
        # rotated secret is still in use within a second.
        now = asyncio.get_running_loop().time()
        stale = {p for p in partner_ids if p not in self._endpoint_cache or self._endpoint_cache[p][1] < now - 1.0}
        if stale:
            for pid, endpoint in (await outbox.endpoints(self._sessions, stale, utcnow())).items():
                self._endpoint_cache[pid] = (endpoint, now)
        return {p: self._endpoint_cache[p][0] for p in partner_ids}

    async def _deliver(self, sender: Sender, message: Claimed, endpoint: Endpoint) -> None:
        # Each attempt has its own id: sent as x-request-id and on the attempt's log line.
        attempt_id = request_id.new_request_id()
        request_id.current.set(attempt_id)  # this task's own context: other attempts keep theirs
        try:
            outcome = await sender.send(message, endpoint)
        finally:
            self._sending -= 1
            self._slot_freed.set()
        decision = self.decide(message, outcome)
        try:
            kept = await self._recorder.record(Result(message, outcome, decision, utcnow()))
        except Exception:  # noqa: BLE001 - the lease expires and another attempt follows
            log.exception("recording an attempt of %s failed", message.id)
            return
        if not kept:
            metrics.observe_leases("lost")
            log.warning("lease on %s expired before its result was recorded; result dropped", message.id)
            return
        metrics.observe_delivery(decision.verdict.value.lower(), outcome.duration_ms)
        # Every attempt is in delivery_attempts; the log carries failures, successes only at DEBUG
        # (a JSON line per webhook would cost the worker more CPU than the webhook itself).
        level = logging.DEBUG if decision.verdict is Verdict.DELIVERED else logging.INFO
        log.log(level, "delivery attempt", extra={"request_id": attempt_id, "message_id": message.id, "event_type": message.event_type,
                                                   "status_code": outcome.status_code, "verdict": decision.verdict.value,
                                                   "error": outcome.error, "duration_ms": outcome.duration_ms})

    def decide(self, message: Claimed, outcome: AttemptOutcome) -> Decision:
        v = verdict(outcome)
        if v is not Verdict.RETRY:
            return Decision(v, None)
        done_in_round = message.attempts - message.round_start + 1
        delay = next_delay(self._steps, done_in_round, outcome.retry_after, self._s.delivery_jitter, self._rng)
        if delay is None:
            return Decision(Verdict.DEAD, None)
        return Decision(v, utcnow() + timedelta(seconds=delay))

    async def _shut_down(self, in_flight: dict[asyncio.Task[None], Claimed]) -> None:
        if not in_flight:
            return
        _, pending = await asyncio.wait(set(in_flight), timeout=self._s.delivery_timeout_seconds + 2)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        unfinished = [in_flight[t] for t in pending]
        metrics.observe_leases("released", len(unfinished))
        try:
            await outbox.release(self._sessions, unfinished, utcnow())
        except Exception:  # noqa: BLE001 - their leases expire instead
            log.exception("releasing %d unfinished messages failed", len(unfinished))
