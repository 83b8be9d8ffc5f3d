"""Per-request data loaders of the referral graph: one query per relation per batch."""

from __future__ import annotations

from auth.principal import Actor
from hub.cases.models import Case
from hub.delivery.models import DeliveryAttempt, DeliveryMessage
from hub.referrals.models import Partner, Programme, Referral, ReferralHistory
from hub.referrals.queries import ReferralReader
from hub.referrals.summary import CaseSummary
from schema.batch_loader import BatchLoader
from schema.loaders import keyed

class ReferralLoaders:
    def __init__(self, reader: ReferralReader, actor: Actor) -> None:
        self.by_case: BatchLoader[str, list[Referral]] = keyed(reader.by_case, list)
        self.case: BatchLoader[str, Case | None] = keyed(lambda ids: reader.cases(actor, ids), lambda: None, "cases")
        self.programme: BatchLoader[str, Programme | None] = keyed(reader.programmes_by_code, lambda: None)
        self.partner: BatchLoader[str, Partner | None] = keyed(reader.partners_by_id, lambda: None)
        self.partner_programmes: BatchLoader[str, list[Programme]] = keyed(reader.programmes_by_partner, list)
        self.history: BatchLoader[str, list[ReferralHistory]] = keyed(reader.history, list)
        self.messages: BatchLoader[str, list[DeliveryMessage]] = keyed(reader.messages, list)
        self.summary: BatchLoader[str, CaseSummary | None] = keyed(reader.summaries, lambda: None)
        self.attempts: BatchLoader[str, list[tuple[DeliveryMessage, DeliveryAttempt]]] = keyed(reader.attempts, list)
