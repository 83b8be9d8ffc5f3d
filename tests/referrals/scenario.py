"""GraphQL documents and steps shared by the referral tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select

from hub.container import Hub
from hub.delivery.models import DeliveryAttempt, DeliveryMessage, DeliveryState

REGISTER = """
mutation($input: RegisterPartnerInput!) {
  registerPartner(input: $input) {
    partner { id name active webhookUrl clientId programmes { code sector level } }
    secret clientId clientSecret
    errors { code message field }
  }
}"""

CREATE = """
mutation($input: CreateReferralInput!) {
  createReferral(input: $input) {
    referral { id status reason programme { code } deliveryState
               case { id status events { action fromStatus toStatus actor note } } }
    errors { code message field }
  }
}"""

UPDATE = """
mutation($input: UpdateReferralStatusInput!) {
  updateReferralStatus(input: $input) {
    referral { id status statusReason partnerReference outcome
               history { fromStatus toStatus actor reason } }
    errors { code message field }
  }
}"""

CANCEL = """
mutation($id: ID!, $reason: String!) {
  cancelReferral(id: $id, reason: $reason) {
    referral { id status statusReason }
    errors { code message field }
  }
}"""

REDELIVER = """
mutation($id: ID!) {
  redeliverReferral(id: $id) { referral { id deliveryState } errors { code message field } }
}"""

READ = """
query($id: ID!) {
  referral(id: $id) {
    id status deliveryState
    history { fromStatus toStatus actor reason }
    deliveryAttempts { messageId eventType number statusCode error responseBody durationMs }
    case { id status }
  }
}"""


def partner_input(name: str, url: str, codes: tuple[str, ...] = ("PBI_JK",)) -> dict[str, Any]:
    return {"name": name, "sectors": ["HEALTH"], "webhookUrl": url,
            "programmes": [{"code": c, "name": f"Programme {c}", "sector": "HEALTH", "level": "NATIONAL"}
                           for c in codes]}


async def wait_for(check: Callable[[], Awaitable[bool]], timeout: float = 20.0, step: float = 0.02) -> None:
    """Poll until ``check`` holds; a generous bound only so a broken test fails instead of hanging."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(step)


async def messages(hub: Hub) -> list[DeliveryMessage]:
    async with hub.sessions() as s:
        return list((await s.scalars(select(DeliveryMessage).order_by(DeliveryMessage.created_at))).all())


async def attempts(hub: Hub, message_id: str) -> list[DeliveryAttempt]:
    async with hub.sessions() as s:
        rows = await s.scalars(select(DeliveryAttempt).where(DeliveryAttempt.message_id == message_id)
                               .order_by(DeliveryAttempt.number))
        return list(rows.all())


def in_state(hub: Hub, state: DeliveryState, count: int = 1) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return sum(m.state is state for m in await messages(hub)) >= count

    return check
