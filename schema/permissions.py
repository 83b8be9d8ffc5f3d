"""Scope checks for fields: a valid token without the scope gets ``FORBIDDEN``."""

from __future__ import annotations

from functools import cache
from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from auth.roles import Scope


@cache
def requires(*scopes: Scope) -> type[BasePermission]:
    """A permission class granted when the caller holds any one of ``scopes``."""
    names = " or ".join(s.value for s in scopes)

    class _HasScope(BasePermission):
        message = f"this needs the {names} scope"
        error_extensions = {"code": "FORBIDDEN"}

        def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
            actor = info.context.actor
            return any(actor.has(s) for s in scopes)

    _HasScope.__name__ = f"Requires_{'_'.join(s.name for s in scopes)}"
    return _HasScope
