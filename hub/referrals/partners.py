"""Partners: registration (with signing secret and OAuth client), secret rotation, re-enabling.

The ``whsec_…`` signing secret, the client id and the client secret are returned once and
never readable again through the API. After a rotation the old signing secret keeps signing
beside the new one for a grace period, so a partner can switch without losing a webhook.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.principal import Actor
from auth.roles import Role, Scope
from hub.access.clients import ClientRegistry, IssuedClient
from hub.access.revocations import announce
from hub.cases.errors import CaseError, ErrorCode, Forbidden, Rejected, invalid
from hub.cases.intake import check_text
from hub.db.base import utcnow
from hub.events.bus import EventBus
from hub.referrals.commands import RegisterPartner
from hub.referrals.endpoints import EndpointRefused, check_endpoint
from hub.referrals.models import Partner, Programme

PROGRAMME_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")
PARTNER_SCOPES = frozenset({Scope.REFERRAL_UPDATE})
MAX_TARGET_DAYS = 3650


def new_signing_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass(frozen=True, slots=True)
class PartnerCredentials:
    """A partner with what is shown only once: its signing secret and OAuth client."""

    partner: Partner
    secret: str
    client: IssuedClient | None


PartnerResult = PartnerCredentials | Partner | Rejected | Forbidden


class PartnerService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clients: ClientRegistry, *,
                 allow_private: bool, grace: timedelta, now: Callable[[], datetime] = utcnow,
                 events: EventBus | None = None) -> None:
        self._sessions = sessions
        self._events = events
        self._clients = clients
        self._allow_private = allow_private
        self._grace = grace
        self._now = now

    async def register(self, actor: Actor, cmd: RegisterPartner) -> PartnerResult:
        if not actor.has(Scope.ADMIN):
            return Forbidden("only an administrator can register partners")
        errors = await self._check(cmd)
        if errors:
            return Rejected(errors)
        now = self._now()
        secret = new_signing_secret()
        try:
            async with self._sessions() as session, session.begin():
                if await session.scalar(select(Partner.id).where(Partner.name == cmd.name.strip())):
                    return Rejected.one(ErrorCode.CONFLICT, "A partner with this name exists", "input", "name")
                codes = [p.code.strip().upper() for p in cmd.programmes]
                taken = (await session.scalars(select(Programme.code).where(Programme.code.in_(codes)))).all()
                if taken:
                    return Rejected.one(ErrorCode.CONFLICT, f"Programme code(s) already registered: {', '.join(taken)}",
                                        "input", "programmes")
                partner = Partner(name=cmd.name.strip(), sectors=[s.value for s in dict.fromkeys(cmd.sectors)],
                                  webhook_url=cmd.webhook_url.strip() if cmd.webhook_url is not None else None,
                                  secret=secret, active=True,
                                  created_at=now, updated_at=now)
                session.add(partner)
                await session.flush()
                session.add_all(Programme(code=c, name=p.name.strip(), sector=p.sector, level=p.level,
                                          partner_id=partner.id, acknowledge_days=p.acknowledge_days,
                                          completion_days=p.completion_days) for c, p in zip(codes, cmd.programmes))
                client = await self._clients.create(session, name=f"partner: {partner.name}", role=Role.PARTNER,
                                                    scopes=PARTNER_SCOPES, partner_id=partner.id)
                partner.client_id = client.client_id
                await session.flush()
                return PartnerCredentials(partner, secret, client)
        except IntegrityError:
            return Rejected.one(ErrorCode.CONFLICT, "A partner or programme was registered at the same time",
                                "input", "name")

    async def rotate_secret(self, actor: Actor, partner_id: str) -> PartnerResult:
        """A new signing secret (the old one signs too for the grace period) and a new client secret."""
        if not actor.has(Scope.ADMIN):
            return Forbidden("only an administrator can rotate a partner's secret")
        now = self._now()
        secret = new_signing_secret()
        async with self._sessions() as session, session.begin():
            partner = await session.get(Partner, partner_id, with_for_update=True)
            if partner is None:
                return Rejected.one(ErrorCode.NOT_FOUND, "No partner with this id", "id")
            partner.previous_secret, partner.secret = partner.secret, secret
            partner.previous_secret_until = now + self._grace
            partner.updated_at = now
            client = await self._clients.rotate_secret(session, partner.client_id) if partner.client_id else None
            return PartnerCredentials(partner, secret, client)

    async def enable(self, actor: Actor, partner_id: str) -> PartnerResult:
        """Re-enable a partner: an endpoint disabled after continuous failure or a 410, or a
        partner an administrator disabled, whose tokens are accepted again (ADMIN)."""
        if not actor.has(Scope.ADMIN):
            return Forbidden("only an administrator can re-enable a partner")
        async with self._sessions() as session, session.begin():
            partner = await session.get(Partner, partner_id, with_for_update=True)
            if partner is None:
                return Rejected.one(ErrorCode.NOT_FOUND, "No partner with this id", "id")
            if partner.access_revoked_at is not None:
                partner.access_revoked_at = None
                await announce(self._events, session)
            partner.active, partner.failing_since, partner.disabled_reason = True, None, None
            partner.updated_at = self._now()
            return partner

    async def disable(self, actor: Actor, partner_id: str, reason: str) -> PartnerResult:
        """Switch a partner off (ADMIN): nothing more is delivered to it, its client gets no new
        token, and the tokens it holds are refused on every replica within
        ``SLRT_REVOCATION_CHECK_SECONDS``. ``enable`` switches it on again."""
        if not actor.has(Scope.ADMIN):
            return Forbidden("only an administrator can disable a partner")
        if errors := check_text(reason, "Reason", 400, "reason"):
            return Rejected(errors)
        async with self._sessions() as session, session.begin():
            partner = await session.get(Partner, partner_id, with_for_update=True)
            if partner is None:
                return Rejected.one(ErrorCode.NOT_FOUND, "No partner with this id", "id")
            now = self._now()
            partner.active, partner.access_revoked_at = False, partner.access_revoked_at or now
            partner.disabled_reason = f"disabled by an administrator: {reason.strip()}"
            partner.updated_at = now
            await announce(self._events, session)
            return partner

    async def _check(self, cmd: RegisterPartner) -> list[CaseError]:
        errors = check_text(cmd.name, "Name", 200, "input", "name")
        if not cmd.sectors:
            errors.append(invalid("Name at least one sector", "input", "sectors"))
        if cmd.webhook_url is not None:  # None: a portal-only partner, nothing to call
            try:
                await check_endpoint(cmd.webhook_url, self._allow_private)
            except EndpointRefused as exc:
                errors.append(invalid(str(exc)[:1].upper() + str(exc)[1:], "input", "webhookUrl"))
        if not cmd.programmes:
            errors.append(invalid("A partner runs at least one programme", "input", "programmes"))
        seen: set[str] = set()
        for i, p in enumerate(cmd.programmes):
            code = p.code.strip().upper()
            if not PROGRAMME_CODE.match(code):
                errors.append(invalid("A programme code is 2–40 letters, digits or _ (e.g. PBI_JK)",
                                      "input", "programmes", str(i), "code"))
            elif code in seen:
                errors.append(invalid("This programme code is listed twice", "input", "programmes", str(i), "code"))
            seen.add(code)
            errors += check_text(p.name, "Programme name", 200, "input", "programmes", str(i), "name")
            for label, days in (("acknowledgeDays", p.acknowledge_days), ("completionDays", p.completion_days)):
                if days is not None and not 1 <= days <= MAX_TARGET_DAYS:
                    errors.append(invalid(f"A target is 1–{MAX_TARGET_DAYS} days", "input", "programmes", str(i), label))
            if (p.acknowledge_days is not None and p.completion_days is not None
                    and 1 <= p.completion_days < p.acknowledge_days <= MAX_TARGET_DAYS):
                errors.append(invalid("The acknowledgement target cannot be later than the completion target",
                                      "input", "programmes", str(i), "acknowledgeDays"))
        return errors
