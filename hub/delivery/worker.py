"""The delivery worker: claims due outbox messages, POSTs them, records every attempt.

Up to ``delivery_concurrency`` POSTs are in flight, at most
``delivery_endpoint_max_in_flight`` of them to one partner endpoint (the claim enforces it,
over all workers). Free slots are refilled in batches while the other attempts are still
sending: a claim is a transaction, so claiming one message per finished attempt would cost a
transaction per message. Finished attempts are recorded in batches by the ``Recorder``.

One attempt — POST, verdict, record, metrics and log line — is ``DeliveryWorker.attempt``:
the single place to wrap in a tracing span. On shutdown the worker stops claiming, lets
in-flight attempts finish within the timeout, and hands back those that did not.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.db.base import utcnow
from hub.delivery import outbox
from hub.delivery.engine import worker_engine
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
    def __init__(self, engine: AsyncEngine, settings: Settings, name: str | None = None,
                 rng: random.Random | None = None) -> None:
        self._shared_engine = engine
        self._engine = engine
        self._s = settings
        self.name = name or worker_name()
        self._rng = rng or random.Random()
        self._steps = settings.delivery_steps
        self._lease = timedelta(seconds=settings.delivery_lease_seconds)
        self._disable_after = timedelta(hours=settings.partner_disable_after_hours)
        self._batch = max(1, min(settings.delivery_batch_size, settings.delivery_concurrency))
        self._refill = max(1, self._batch // 2)
        self._endpoint_cache: dict[str, tuple[Endpoint, float]] = {}
        self._sending = 0  # claimed attempts not yet recorded
        self._finished = 0  # attempts recorded (or given up), ever
        self._wake_at = 0  # claim again once _finished reaches this (or nothing is sending)
        self._wake = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set, then shut down gracefully."""
        log.info("delivery worker %s started", self.name)
        in_flight: dict[asyncio.Task[None], Claimed] = {}
        stopping = asyncio.create_task(self._wake_on(stop))
        async with worker_engine(self._shared_engine) as engine:
            self._engine = engine
            self._recorder = Recorder(engine, self.name, self._disable_after)
            recording = asyncio.create_task(self._recorder.run())
            async with Sender(self._s.delivery_timeout_seconds, self._s.allow_private_webhooks,
                              self._s.delivery_concurrency) as sender:
                try:
                    while not stop.is_set():
                        await self._round(sender, in_flight)
                finally:
                    stopping.cancel()
                    await self._shut_down(in_flight)
                    self._recorder.close()
                    await recording
        log.info("delivery worker %s stopped", self.name)

    async def _round(self, sender: Sender, in_flight: dict[asyncio.Task[None], Claimed]) -> None:
        """Claim into the free slots, then wait until it is worth claiming again."""
        want = min(self._s.delivery_concurrency - self._sending, self._batch)
        claimed = await self._claim(want) if want > 0 else []
        await self._start(sender, claimed, in_flight)
        if want and len(claimed) == want:
            # More may be due: claim again as soon as a refill's worth of slots is free.
            timeout: float | None = None
            threshold = max(0, self._refill - (self._s.delivery_concurrency - self._sending))
        else:
            # Nothing more is due, or the due endpoints are at their in-flight cap: claim again
            # when half of what is in flight has finished, or after the poll interval.
            timeout = self._s.delivery_poll_seconds
            threshold = max(1, min(self._refill, self._sending // 2))
        if threshold == 0:
            return
        self._wake.clear()
        self._wake_at = self._finished + threshold
        try:
            await asyncio.wait_for(self._wake.wait(), timeout)
        except TimeoutError:
            pass

    async def _wake_on(self, stop: asyncio.Event) -> None:
        await stop.wait()
        self._wake.set()

    async def _claim(self, limit: int) -> list[Claimed]:
        try:
            claimed = await outbox.claim(self._engine, limit, self._lease, utcnow(),
                                         self._s.delivery_endpoint_max_in_flight)
            metrics.observe_leases("claimed", len(claimed))
            return claimed
        except Exception:  # noqa: BLE001 - the database may be briefly away; try again next round
            log.exception("claiming due messages failed")
            return []

    async def _start(self, sender: Sender, claimed: list[Claimed], in_flight: dict[asyncio.Task[None], Claimed]) -> None:
        if not claimed:
            return
        try:
            endpoints = await self._endpoints({m.partner_id for m in claimed})
        except Exception:  # noqa: BLE001 - the leases run out and the messages are claimed again
            log.exception("reading the endpoints of %d claimed messages failed", len(claimed))
            return
        for message in claimed:
            self._sending += 1
            task = asyncio.create_task(self.attempt(sender, message, endpoints[message.partner_id]))
            in_flight[task] = message
            task.add_done_callback(in_flight.pop)

    async def _endpoints(self, partner_ids: set[str]) -> dict[str, Endpoint]:
        # Kept for a second: a claim then costs one query, not two, and a new URL or a
        # rotated secret is still in use within a second.
        now = asyncio.get_running_loop().time()
        stale = {p for p in partner_ids if p not in self._endpoint_cache or self._endpoint_cache[p][1] < now - 1.0}
        if stale:
            for pid, endpoint in (await outbox.endpoints(self._engine, stale, utcnow())).items():
                self._endpoint_cache[pid] = (endpoint, now)
        return {p: self._endpoint_cache[p][0] for p in partner_ids}

    async def attempt(self, sender: Sender, message: Claimed, endpoint: Endpoint) -> None:
        """One delivery attempt of one claimed message: POST it, decide, record, report."""
        # Each attempt has its own id: sent as x-request-id and on the attempt's log line.
        attempt_id = request_id.new_request_id()
        request_id.current.set(attempt_id)  # this task's own context: other attempts keep theirs
        try:
            outcome = await sender.send(message, endpoint, attempt_id)
            decision = self.decide(message, outcome)
            kept = await self._recorder.record(Result(message, outcome, decision, utcnow()))
        except Exception:  # noqa: BLE001 - the lease expires and another attempt follows
            log.exception("recording an attempt of %s failed", message.id)
            return
        finally:
            # The slot is free once the result is stored: until then the message is SENDING,
            # and the claim counts it against its endpoint's cap.
            self._sending -= 1
            self._finished += 1
            if self._finished >= self._wake_at or not self._sending:
                self._wake.set()
        if not kept:
            metrics.observe_leases("lost")
            log.warning("lease on %s expired before its result was recorded; result dropped", message.id)
            return
        metrics.observe_delivery(decision.verdict.value.lower(), outcome.duration_ms)
        # Every attempt is in delivery_attempts; the log carries failures, successes only at DEBUG
        # (a JSON line per webhook would cost the worker more CPU than the webhook itself).
        level = logging.DEBUG if decision.verdict is Verdict.DELIVERED else logging.INFO
        if log.isEnabledFor(level):
            log.log(level, "delivery attempt", extra={
                "request_id": attempt_id, "message_id": message.id, "event_type": message.event_type,
                "status_code": outcome.status_code, "verdict": decision.verdict.value, "error": outcome.error,
                "duration_ms": outcome.duration_ms})

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
        unfinished_tasks = dict(in_flight)
        _, pending = await asyncio.wait(set(unfinished_tasks), timeout=self._s.delivery_timeout_seconds + 2)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        unfinished = [unfinished_tasks[t] for t in pending]
        metrics.observe_leases("released", len(unfinished))
        try:
            await outbox.release(self._engine, unfinished, utcnow())
        except Exception:  # noqa: BLE001 - their leases expire instead
            log.exception("releasing %d unfinished messages failed", len(unfinished))
