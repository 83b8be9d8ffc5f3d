"""The delivery worker: claims due outbox messages, POSTs them, records every attempt.

Three stages overlap so that no POST waits for the database: claimed messages wait in a
*ready* queue (at most one batch), up to ``delivery_concurrency`` POSTs are in flight, and
finished attempts are recorded in batches by the ``Recorder``. An attempt ends when its
result is handed to the recorder: its HTTP slot is freed and the next ready message starts
at once. The queue is topped up by a claim, in batches, when half of it has started, so the
next claim's round trip overlaps the POSTs of the previous one (a claim is a transaction:
claiming one message per finished attempt would cost a transaction per message).

At most ``delivery_endpoint_max_in_flight`` messages per partner endpoint are claimed and
not yet recorded, over all workers (the claim enforces it): a slow endpoint holds no more
slots than that. When a claim finds less than it asked for (nothing more due, or the due
endpoints at their cap), the next one waits until a batch of results is stored (which
frees cap) or the poll interval passes.

One attempt — POST, verdict, hand-over to the recorder — is ``DeliveryWorker.attempt``: the
single place to wrap in a tracing span; its metrics and log line follow the write
(``_written``). On shutdown the worker stops claiming, lets in-flight attempts finish within
the timeout, records their results, and hands back the rest.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from collections import deque
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.db.base import utcnow
from hub.delivery.claims import Claimed
from hub.delivery.policy import AttemptOutcome, Verdict, next_delay, verdict
from hub.delivery.recorder import Recorder
from hub.delivery.results import Decision, Result
from hub.delivery.sender import Sender
from hub.delivery.store import Endpoint, open_store
from hub.observability import metrics, request_id, tracing
from hub.settings import Settings

log = logging.getLogger("slrt.delivery")


def claim_ahead(settings: Settings) -> int:
    """How many messages one claim may take ahead of the POSTs: the batch size, but never more
    than can start *and* finish within their lease if every POST ran to its timeout (the last
    of the queue starts after ceil(batch / concurrency) timeouts, then needs one more). A
    message still waiting when its lease ran out would be claimed again and sent twice."""
    rounds = settings.delivery_lease_seconds / settings.delivery_timeout_seconds - 1
    return max(1, min(settings.delivery_batch_size, int(rounds * settings.delivery_concurrency)))


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class DeliveryWorker:
    def __init__(self, engine: AsyncEngine, settings: Settings, name: str | None = None,
                 rng: random.Random | None = None) -> None:
        self._engine = engine
        self._s = settings
        self.name = name or worker_name()
        self._rng = rng or random.Random()
        self._steps = settings.delivery_steps
        self._lease = timedelta(seconds=settings.delivery_lease_seconds)
        self._disable_after = timedelta(hours=settings.partner_disable_after_hours)
        self._batch = claim_ahead(settings)
        self._endpoint_cache: dict[str, tuple[Endpoint, float]] = {}
        self._ready: deque[tuple[Claimed, Endpoint]] = deque()  # claimed, waiting for an HTTP slot
        self._in_flight: dict[asyncio.Task[None], Claimed] = {}  # attempts started, result not yet handed over
        self._stopping = False
        self._drained = False  # the last claim found less than it asked for
        self._wake = asyncio.Event()
        self._origins: dict[str, str] = {}  # message id -> traceparent of the request that queued it

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set, then shut down gracefully."""
        log.info("delivery worker %s started", self.name)
        sender = Sender(self._s.delivery_timeout_seconds, self._s.allow_private_webhooks, self._s.delivery_concurrency)
        async with open_store(self._engine) as store, sender:
            self._store, self._sender = store, sender
            self._recorder = Recorder(store, self.name, self._disable_after, on_written=self._written)
            recording = asyncio.create_task(self._recorder.run())
            stopping = asyncio.create_task(self._wake_on(stop))
            try:
                while not stop.is_set():
                    await self._round()
            finally:
                stopping.cancel()
                await self._shut_down()
                self._recorder.close()
                await recording
        log.info("delivery worker %s stopped", self.name)

    async def _round(self) -> None:
        """Top the ready queue up, then sleep until it runs low, results are stored, or a poll is due."""
        timeout: float | None = None
        # Results not yet stored count too: a slow database holds the claims back instead of
        # letting unrecorded attempts (and their leases) pile up.
        stored_behind = self._recorder.backlog > self._s.delivery_concurrency + self._batch
        # Cleared before the claim, not after: results stored while the claim is under way
        # (cap freed) must wake the next round, not be forgotten until the poll interval.
        self._wake.clear()
        if len(self._ready) <= self._batch // 2 and not stored_behind:
            want = self._batch - len(self._ready)
            claimed = await self._claim(want)
            self._drained = len(claimed) < want  # before queueing: a drained claim asks for no next one
            await self._queue(claimed)
            if not self._drained:
                return  # more may be due right now
            # Claim again once stored results have freed some cap, or after the poll interval.
            timeout = self._s.delivery_poll_seconds
        elif stored_behind:
            timeout = self._s.delivery_poll_seconds
        try:
            await asyncio.wait_for(self._wake.wait(), timeout)
        except TimeoutError:
            pass

    async def _wake_on(self, stop: asyncio.Event) -> None:
        await stop.wait()
        self._wake.set()

    async def _claim(self, limit: int) -> list[Claimed]:
        try:
            claimed = await self._store.claim(limit, self._lease, utcnow(), self._s.delivery_endpoint_max_in_flight)
            metrics.observe_leases("claimed", len(claimed))
            return claimed
        except Exception:  # noqa: BLE001 - the database may be briefly away; try again next round
            log.exception("claiming due messages failed")
            return []

    async def _queue(self, claimed: list[Claimed]) -> None:
        if not claimed:
            return
        try:
            endpoints = await self._endpoints({m.partner_id for m in claimed})
        except Exception:  # noqa: BLE001 - the leases run out and the messages are claimed again
            log.exception("reading the endpoints of %d claimed messages failed", len(claimed))
            return
        if tracing.enabled():
            await self._trace_origins(claimed)
        self._ready.extend((m, endpoints[m.partner_id]) for m in claimed)
        self._start_ready()

    async def _trace_origins(self, claimed: list[Claimed]) -> None:
        """Each message's stored traceparent (tracing on only: one query per claimed batch)."""
        try:
            self._origins.update(await self._store.trace_contexts([m.id for m in claimed]))
        except Exception:  # noqa: BLE001 - an attempt without its link is better than no attempt
            log.warning("reading the trace context of %d claimed messages failed", len(claimed), exc_info=True)

    def _start_ready(self) -> None:
        while self._ready and len(self._in_flight) < self._s.delivery_concurrency and not self._stopping:
            message, endpoint = self._ready.popleft()
            task = asyncio.create_task(self.attempt(message, endpoint))
            self._in_flight[task] = message
            # A task cancelled before its POST began leaves here too.
            task.add_done_callback(lambda t: self._in_flight.pop(t, None))
        if len(self._ready) <= self._batch // 2 and not self._drained:
            self._wake.set()  # time to claim the next batch, while these send

    async def _endpoints(self, partner_ids: set[str]) -> dict[str, Endpoint]:
        # Kept for a second: a claim then costs one query, not two, and a new URL or a
        # rotated secret is still in use within a second.
        now = asyncio.get_running_loop().time()
        stale = {p for p in partner_ids if p not in self._endpoint_cache or self._endpoint_cache[p][1] < now - 1.0}
        if stale:
            for pid, endpoint in (await self._store.endpoints(stale, utcnow())).items():
                self._endpoint_cache[pid] = (endpoint, now)
        return {p: self._endpoint_cache[p][0] for p in partner_ids}

    async def attempt(self, message: Claimed, endpoint: Endpoint) -> None:
        """One delivery attempt of one claimed message: POST it, decide, hand the result to the recorder."""
        # Each attempt has its own id: sent as x-request-id and on the attempt's log line.
        attempt_id = request_id.new_request_id()
        request_id.current.set(attempt_id)  # this task's own context: other attempts keep theirs
        if not tracing.enabled():  # the common case: no span to open, no attributes to build
            outcome = await self._send(message, endpoint, attempt_id)
            self._recorder.add(Result(message, outcome, self.decide(message, outcome), utcnow(), attempt_id))
            return
        # With tracing on, the attempt is a trace of its own, linked to the request that queued it.
        with tracing.linked_span("webhook delivery", self._origins.pop(message.id, None), {
                "slrt.partner.id": message.partner_id, "slrt.delivery.message_id": message.id,
                "slrt.delivery.event_type": message.event_type,
                "slrt.delivery.attempt": message.attempts + 1}) as span:
            outcome = await self._send(message, endpoint, attempt_id)
            decision = self.decide(message, outcome)
            span.set_attribute("slrt.delivery.verdict", decision.verdict.value)
            if outcome.status_code is not None:
                span.set_attribute("http.response.status_code", outcome.status_code)
        self._recorder.add(Result(message, outcome, decision, utcnow(), attempt_id))

    async def _send(self, message: Claimed, endpoint: Endpoint, attempt_id: str) -> AttemptOutcome:
        try:
            return await self._sender.send(message, endpoint, attempt_id)
        finally:
            # The slot is free once the POST has ended: the next ready message starts now.
            self._in_flight.pop(asyncio.current_task(), None)  # type: ignore[arg-type]
            self._start_ready()

    def _written(self, results: list[Result], kept: set[str] | None) -> None:
        """After a batch of results was written (kept: the ids whose lease held; None: the write
        failed and was logged, the leases expire and the messages go again)."""
        self._wake.set()  # stored results free cap: the worker may claim again
        if kept is None:
            return
        for r in results:
            message, outcome, decision = r.message, r.outcome, r.decision
            if message.id not in kept:
                metrics.observe_leases("lost")
                log.warning("lease on %s expired before its result was recorded; result dropped", message.id,
                            extra={"request_id": r.attempt_id})
                continue
            metrics.observe_delivery(decision.verdict.value.lower(), outcome.duration_ms)
            # Every attempt is in delivery_attempts; the log carries failures, successes only at DEBUG
            # (a JSON line per webhook would cost the worker more CPU than the webhook itself).
            level = logging.DEBUG if decision.verdict is Verdict.DELIVERED else logging.INFO
            if log.isEnabledFor(level):
                log.log(level, "delivery attempt", extra={
                    "request_id": r.attempt_id, "message_id": message.id, "event_type": message.event_type,
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

    async def _shut_down(self) -> None:
        self._stopping = True  # no new attempt starts; the ready queue goes back unsent
        unsent = [m for m, _ in self._ready]
        self._ready.clear()
        self._origins.clear()
        running = dict(self._in_flight)
        pending: set[asyncio.Task[None]] = set()
        if running:
            _, pending = await asyncio.wait(set(running), timeout=self._s.delivery_timeout_seconds + 2)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        unfinished = unsent + [running[t] for t in pending]
        if not unfinished:
            return
        metrics.observe_leases("released", len(unfinished))
        try:
            await self._store.release(unfinished, utcnow())
        except Exception:  # noqa: BLE001 - their leases expire instead
            log.exception("releasing %d unfinished messages failed", len(unfinished))
