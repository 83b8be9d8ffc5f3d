"""The demo's staff: one actor per role, bound to the areas the demo uses."""

from __future__ import annotations

from auth.principal import Actor
from auth.roles import DEFAULT_SCOPES, Role

REGENCY = "3275"
DEMO_DISTRICT = "327502"  # Bekasi Barat, home of the pilot village Jakasampurna
DEMO_VILLAGE = "3275021005"


def staff(role: Role, area: str | None, subject: str | None = None) -> Actor:
    return Actor(subject=subject or f"demo-{role.value.lower()}-{area or 'all'}", role=role,
                 scopes=DEFAULT_SCOPES[role], area=area)


def demo_token_specs() -> list[tuple[Role, str | None]]:
    """Role and area of each ready-made token the demo prints."""
    return [
        (Role.FACILITATOR, DEMO_VILLAGE),
        (Role.PUSKESOS_OPERATOR, DEMO_VILLAGE),
        (Role.SUPERVISOR, DEMO_DISTRICT),
        (Role.FRONT_OFFICE, REGENCY),
        (Role.BACK_OFFICE, REGENCY),
        (Role.AUDITOR, None),
        (Role.ADMIN, None),
    ]
