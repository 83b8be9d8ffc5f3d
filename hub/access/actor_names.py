"""The names behind the subjects that timelines record as actors.

A timeline keeps the token's subject as the actor: for a partner system that is its OAuth
client id (``slrt_NAxXjzrl1KX48QE6``), which tells a reader nothing. The agency's name is
looked up when the timeline is read, so a renamed partner shows under its current name.
Subjects that are not clients of the built-in issuer (staff, an external identity
provider's users) are their own name.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.access.models import OAuthClient
from hub.referrals.models import Partner


class ActorNames:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def names(self, subjects: Sequence[str]) -> dict[str, str]:
        """Subject → display name: the partner's name for a partner's client, else the client's name."""
        stmt = (select(OAuthClient.client_id, func.coalesce(Partner.name, OAuthClient.name))
                .outerjoin(Partner, Partner.id == OAuthClient.partner_id)
                .where(OAuthClient.client_id.in_(subjects)))
        async with self._sessions() as s:
            found = {client_id: name for client_id, name in (await s.execute(stmt)).all()}
        return {subject: found.get(subject, subject) for subject in subjects}
