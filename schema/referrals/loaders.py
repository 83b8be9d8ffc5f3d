"""Per-request data loaders of the referral graph: one query per relation per batch."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader

from auth.principal import Actor
from hub.cases.models import Case
from hub.delivery.models import DeliveryAttempt, DeliveryMessage
from hub.referrals.models import Partner, Programme, Referral, ReferralHistory
from hub.referrals.queries import ReferralReader

K = TypeVar("K")
V = TypeVar("V")


def _keyed(fetch: Callable[[Sequence[K]], Awaitable[dict[K, V]]], default: Callable[[], V]) -> DataLoader[K, V]:
    async def load(keys: list[K]) -> list[V]:
        found = await fetch(list(dict.fromkeys(keys)))
        return [found.get(k, default()) for k in keys]

    return DataLoader(load_fn=load)


class ReferralLoaders:
    def __init__(self, reader: ReferralReader, actor: Actor) -> None:
        self.by_case: DataLoader[str, list[Referral]] = _keyed(reader.by_case, list)
        self.case: DataLoader[str, Case | None] = _keyed(lambda ids: reader.cases(actor, ids), lambda: None)
        self.programme: DataLoader[str, Programme | None] = _keyed(reader.programmes_by_code, lambda: None)
        self.partner: DataLoader[str, Partner | None] = _keyed(reader.partners_by_id, lambda: None)
        self.partner_programmes: DataLoader[str, list[Programme]] = _keyed(reader.programmes_by_partner, list)
        self.history: DataLoader[str, list[ReferralHistory]] = _keyed(reader.history, list)
        self.messages: DataLoader[str, list[DeliveryMessage]] = _keyed(reader.messages, list)
        self.attempts: DataLoader[str, list[tuple[DeliveryMessage, DeliveryAttempt]]] = _keyed(reader.attempts, list)
