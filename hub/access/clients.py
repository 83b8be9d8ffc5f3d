"""The OAuth client store of the built-in issuer (SPEC section 6, token source 1).

Partner systems and service accounts hold a client id and a secret; the secret is shown
once when it is made (``IssuedClient``) and kept only as a scrypt hash. ``authenticate``
is what the token endpoint asks; a revoked client never authenticates again.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.roles import AREA_LENGTHS, DEFAULT_SCOPES, Role, Scope, parse_scopes, scopes_beyond
from hub.access.models import OAuthClient
from hub.access.revocations import announce
from hub.access.secrets import DUMMY_HASH, hash_secret, new_secret, verify_secret
from hub.db.base import utcnow
from hub.events.bus import EventBus
from hub.referrals.models import Partner


class InvalidClient(ValueError):
    """The client cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class IssuedClient:
    client_id: str
    client_secret: str  # shown once; only its hash is stored


@dataclass(frozen=True, slots=True)
class ClientRecord:
    """A client as the token endpoint sees it (never its secret)."""

    client_id: str
    name: str
    role: Role
    scopes: frozenset[Scope]
    area: str | None
    partner_id: str | None
    active: bool
    created_at: datetime

    @classmethod
    def from_row(cls, row: OAuthClient) -> ClientRecord:
        return cls(client_id=row.client_id, name=row.name, role=Role(row.role), scopes=parse_scopes(row.scopes),
                   area=row.area, partner_id=row.partner_id, active=row.active, created_at=row.created_at)


def _check(name: str, role: Role, scopes: frozenset[Scope], area: str | None, partner_id: str | None) -> None:
    if not name.strip():
        raise InvalidClient("a client needs a name")
    if not scopes:
        raise InvalidClient("a client needs at least one scope")
    if beyond := scopes_beyond(role, scopes):
        names = " ".join(sorted(s.value for s in beyond))
        raise InvalidClient(f"scope {names} is not granted to the {role.value} role")
    lengths = AREA_LENGTHS[role]
    if lengths is not None and (area is None or not area.isdigit() or len(area) not in lengths):
        raise InvalidClient(f"a {role.value} client needs an area code of {sorted(lengths)} digits")
    if area is not None and not area.isdigit():
        raise InvalidClient("area must be a Kemendagri code")
    if role is Role.PARTNER and not partner_id:
        raise InvalidClient("a PARTNER client needs a partner_id")


class ClientRegistry:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], events: EventBus | None = None) -> None:
        self._sessions = sessions
        self._events = events  # tells every replica of a revocation at once (PostgreSQL NOTIFY)

    async def create(self, session: AsyncSession, *, name: str, role: Role, scopes: frozenset[Scope] | None = None,
                     area: str | None = None, partner_id: str | None = None) -> IssuedClient:
        """Add a client inside the caller's transaction (e.g. with the partner it belongs to)."""
        area = area.replace(".", "") if area else None
        granted = DEFAULT_SCOPES[role] if scopes is None else frozenset(scopes)
        _check(name, role, granted, area, partner_id)
        secret = new_secret()
        client_id = f"slrt_{secrets.token_urlsafe(12)}"
        session.add(OAuthClient(client_id=client_id, name=name.strip(), secret_hash=await asyncio.to_thread(
            hash_secret, secret), role=role.value, scopes=" ".join(sorted(s.value for s in granted)), area=area,
            partner_id=partner_id, active=True))
        await session.flush()
        return IssuedClient(client_id=client_id, client_secret=secret)

    async def rotate_secret(self, session: AsyncSession, client_id: str) -> IssuedClient:
        """A new secret for an active client; the old one stops working when the caller commits."""
        row = await session.get(OAuthClient, client_id)
        if row is None or not row.active:
            raise InvalidClient("no active client with this id")
        secret = new_secret()
        row.secret_hash = await asyncio.to_thread(hash_secret, secret)
        row.secret_rotated_at = utcnow()
        await session.flush()
        return IssuedClient(client_id=client_id, client_secret=secret)

    async def revoke(self, client_id: str) -> bool:
        """Deactivate a client for good; False when there was no active client with this id.

        Tokens it already holds are refused on every replica within
        ``SLRT_REVOCATION_CHECK_SECONDS`` (``hub.access.revocations``).
        """
        async with self._sessions.begin() as session:
            row = await session.get(OAuthClient, client_id, with_for_update=True)
            if row is None or not row.active:
                return False
            row.active = False
            row.revoked_at = utcnow()
            await announce(self._events, session)
            return True

    async def get(self, client_id: str) -> ClientRecord | None:
        async with self._sessions() as session:
            row = await session.get(OAuthClient, client_id)
            return ClientRecord.from_row(row) if row else None

    async def list(self) -> list[ClientRecord]:
        async with self._sessions() as session:
            rows = await session.scalars(select(OAuthClient).order_by(OAuthClient.created_at, OAuthClient.client_id))
            return [ClientRecord.from_row(r) for r in rows.all()]

    async def authenticate(self, client_id: str, client_secret: str) -> ClientRecord | None:
        """The active client with this id and secret, else None (same work either way).

        A partner's client whose partner an administrator disabled gets nothing either.
        """
        async with self._sessions() as session:
            row = await session.get(OAuthClient, client_id) if len(client_id) <= 64 else None
            disabled = row is not None and row.partner_id is not None and await session.scalar(
                select(Partner.access_revoked_at.is_not(None)).where(Partner.id == row.partner_id))
        stored = row.secret_hash if row is not None else DUMMY_HASH
        ok = await asyncio.to_thread(verify_secret, client_secret, stored)
        if not ok or row is None or not row.active or disabled:
            return None
        return ClientRecord.from_row(row)
