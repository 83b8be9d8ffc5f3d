"""Fixtures for referral tests: a partner receiver, a registered partner, a running worker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from auth.roles import Role
from hub.container import Hub
from hub.delivery.worker import DeliveryWorker
from hub.settings import Settings
from tests.cases.flow import Flow
from tests.referrals.receiver import Receiver
from tests.referrals.scenario import REGISTER, partner_input


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = await Receiver().start()
    yield r
    await r.stop()


@pytest.fixture
def flow(as_role: Any) -> Flow:
    return Flow(as_role)


@pytest.fixture
def register(as_role: Any) -> Callable[..., Awaitable[dict[str, Any]]]:
    """Register a partner over the API (as ADMIN); the receiver learns its signing secret."""

    async def make(receiver: Receiver, name: str = "Dinas Kesehatan Kota Bekasi", codes: tuple[str, ...] = ("PBI_JK",),
                   url: str | None = None) -> dict[str, Any]:
        admin = as_role(Role.ADMIN)
        result = await admin(REGISTER, input=partner_input(name, url or receiver.url, codes))
        payload = result["data"]["registerPartner"]
        assert payload["errors"] == [], payload
        receiver.secrets.append(payload["secret"])
        return payload

    return make


class DeliveryWorkerHandle:
    """An in-process delivery worker with test settings (a short schedule, fast polling)."""

    def __init__(self, hub: Hub, settings: Settings) -> None:
        self.settings = settings
        self.worker = DeliveryWorker(hub.engine, settings)
        self.stop_event = asyncio.Event()
        self.task = asyncio.create_task(self.worker.run(self.stop_event))

    async def stop(self) -> None:
        self.stop_event.set()
        await self.task


@pytest.fixture
async def worker(hub: Hub, settings: Settings) -> AsyncIterator[Callable[..., DeliveryWorkerHandle]]:
    handles: list[DeliveryWorkerHandle] = []

    def start(**overrides: Any) -> DeliveryWorkerHandle:
        base = {"delivery_schedule": "0,0.05,0.05,0.05", "delivery_poll_seconds": 0.02,
                "delivery_timeout_seconds": 2.0, "delivery_jitter": 0.0}
        handle = DeliveryWorkerHandle(hub, settings.model_copy(update={**base, **overrides}))
        handles.append(handle)
        return handle

    yield start
    for h in handles:
        if not h.task.done():
            await h.stop()
