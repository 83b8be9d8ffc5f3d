"""Per-request context: the caller, the services, and fresh data loaders."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from functools import cached_property
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

    connection_params: dict[str, Any] | None = None  # graphql-transport-ws connection_init payload
    started: float = field(init=False)  # on the loop's clock: connectors' timeouts count from here

    # The loaders are built when a resolver first asks for them: a request touches few of the
    # ~25 (a case lookup: one), and building all of them cost ~5 % of a lookup's CPU, their
    # closures and sets feeding the cyclic garbage collector besides (hub/heap.py).
    _LOADERS = ("loaders", "referral_loaders", "connector_loaders", "actor_names")

    @cached_property
    def loaders(self) -> Loaders:
        return Loaders(self.hub.case_reader, self.actor)

    @cached_property
    def referral_loaders(self) -> ReferralLoaders:
        return ReferralLoaders(self.hub.referral_reader, self.actor)

    @cached_property
    def connector_loaders(self) -> ConnectorLoaders:
        return ConnectorLoaders(self.hub.connectors.runtimes, self.started)

    @cached_property
    def actor_names(self) -> BatchLoader[str, str]:  # timeline actors' display names
        return keyed(ActorNames(self.hub.sessions).names, str)

    def __post_init__(self) -> None:
        self.started = asyncio.get_running_loop().time()

    def refresh_loaders(self) -> None:
        """Fresh loaders: per subscription event, and after authenticating a socket (a request
        gets its own with its context)."""
        for name in self._LOADERS:
            self.__dict__.pop(name, None)
        self.started = asyncio.get_running_loop().time()

    def authenticate(self, actor: Actor) -> None:
        self.actor = actor
        self.refresh_loaders()

    @property
    def sees_pii(self) -> bool:
        return self.actor.has(Scope.PII_READ)
