"""Per-request context: the caller, the services, and fresh data loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from auth.principal import Actor
from auth.roles import Scope
from hub.access.actor_names import ActorNames
from hub.container import Hub
from schema.batch_loader import BatchLoader
from schema.connectors.loaders import ConnectorLoaders
from schema.loaders import Loaders, keyed
from schema.referrals.loaders import ReferralLoaders


@dataclass
class Context:
    hub: Hub
    actor: Actor
    request_id: str
    request: Any = None
    response: Any = None
    loaders: Loaders = field(init=False)
    referral_loaders: ReferralLoaders = field(init=False)
    connector_loaders: ConnectorLoaders = field(init=False)
    actor_names: BatchLoader[str, str] = field(init=False)  # timeline actors' display names

    connection_params: dict[str, Any] | None = None  # graphql-transport-ws connection_init payload

    def __post_init__(self) -> None:
        self.refresh_loaders()

    def refresh_loaders(self) -> None:
        """Fresh loaders: per request, per subscription event, and after authenticating a socket."""
        self.loaders = Loaders(self.hub.case_reader, self.actor)
        self.referral_loaders = ReferralLoaders(self.hub.referral_reader, self.actor)
        self.connector_loaders = ConnectorLoaders(self.hub.connectors.runtimes)
        self.actor_names = keyed(ActorNames(self.hub.sessions).names, str)

    def authenticate(self, actor: Actor) -> None:
        self.actor = actor
        self.refresh_loaders()

    @property
    def sees_pii(self) -> bool:
        return self.actor.has(Scope.PII_READ)
