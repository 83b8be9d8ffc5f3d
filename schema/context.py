"""Per-request context: the caller, the services, and fresh data loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from auth.principal import Actor
from auth.roles import Scope
from hub.container import Hub
from schema.loaders import Loaders


@dataclass
class Context:
    hub: Hub
    actor: Actor
    request_id: str
    request: Any = None
    response: Any = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.hub.case_reader, self.actor)

    @property
    def sees_pii(self) -> bool:
        return self.actor.has(Scope.PII_READ)
