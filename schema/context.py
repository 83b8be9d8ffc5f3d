"""Per-request context: the caller, the services, and fresh data loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from auth.principal import Actor
from auth.roles import Scope
from hub.access.audit import PiiRead
from hub.container import Hub
from schema.loaders import Loaders
from schema.referrals.loaders import ReferralLoaders


@dataclass
class Context:
    hub: Hub
    actor: Actor
    request_id: str
    request: Any = None
    response: Any = None
    loaders: Loaders = field(init=False)
    pii_reads: set[PiiRead] = field(default_factory=set)  # identity numbers shown in clear, for the audit log
    referral_loaders: ReferralLoaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.hub.case_reader, self.actor)
        self.referral_loaders = ReferralLoaders(self.hub.referral_reader, self.actor)

    @property
    def sees_pii(self) -> bool:
        return self.actor.has(Scope.PII_READ)
