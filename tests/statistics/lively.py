"""A lively casebook: every transition of the case workflow and the referral loop, run through
the real services at chosen instants, with many cases (and referrals of one case) changing at
once. Durations include exact whole days and SLA targets to the microsecond, where a rounding
in the statistics would show.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from auth.principal import Actor
from auth.roles import DEFAULT_SCOPES, Role
from hub.cases.commands import RecordCase, ReviewCase, UpdateCase
from hub.cases.models import Case
from hub.cases.service import CaseService
from hub.container import Hub
from hub.demo.partners import AGENCIES, FIRST_CHOICE
from hub.demo.people import synthetic_household
from hub.referrals.commands import CreateReferral, RegisterPartner, UpdateReferralStatus
from hub.referrals.models import Programme, Referral
from hub.referrals.partners import PartnerCredentials
from hub.referrals.service import ReferralService
from hub.referrals.status import ReferralStatus as R
from hub.vocabulary import Channel, Sector

VILLAGES = ("3275011002", "3275011003", "3275021005", "3275021001", "3275031002", "3275101004")
# 22:00 in Jakarta on 30 January: the first intakes straddle local days and the month's end.
START = datetime(2026, 1, 30, 15, 0, tzinfo=UTC)
PATHS = ("draft", "local-from-draft", "submitted", "returned", "local-from-submitted", "rejected", "approved",
         "reviewed", "referred", "completed", "completed", "closed", "failed", "mixed", "cancelled")


def actor(role: Role, area: str | None = None, partner_id: str | None = None) -> Actor:
    return Actor(f"{role.value.lower()}-{partner_id or area or 'all'}", role, DEFAULT_SCOPES[role], area=area,
                 partner_id=partner_id)


FRONT_OFFICE = actor(Role.FRONT_OFFICE, "3275")
BACK_OFFICE = actor(Role.BACK_OFFICE, "3275")


@dataclass
class Lively:
    hub: Hub
    seed: int = 13
    partner_of: dict[str, str] = field(default_factory=dict)  # programme code → partner id

    def cases(self, at: datetime) -> CaseService:
        return CaseService(self.hub.sessions, self.hub.areas, "3275", now=lambda: at)

    def referrals(self, at: datetime) -> ReferralService:
        return ReferralService(self.hub.sessions, self.hub.areas, "http://hub.test", now=lambda: at)

    async def write(self, n: int = 48) -> None:
        async with self.hub.sessions() as s:  # programmes another casebook registered already
            self.partner_of = dict((await s.execute(select(Programme.code, Programme.partner_id))).all())
        for agency in AGENCIES:
            if free := tuple(p for p in agency.programmes if p.code not in self.partner_of):
                made = await self.hub.partners.register(actor(Role.ADMIN), RegisterPartner(
                    agency.name, agency.sectors, "http://127.0.0.1:9/hook", free))
                assert isinstance(made, PartnerCredentials), made
                self.partner_of.update({p.code: made.partner.id for p in free})
        await asyncio.gather(*(self.story(i, random.Random(self.seed * 1000 + i)) for i in range(n)),
                             self.household_move(), self.burst())

    async def story(self, i: int, rng: random.Random) -> None:
        village = VILLAGES[i % len(VILLAGES)]
        channel = rng.choice(list(Channel))
        recorder = FRONT_OFFICE if channel is Channel.SECRETARIAT else actor(Role.FACILITATOR, village)
        supervisor = actor(Role.SUPERVISOR, village[:6])
        sectors = tuple(rng.sample(list(FIRST_CHOICE), k=rng.choice((1, 1, 2))))
        t = START + timedelta(hours=7 * i, minutes=rng.randrange(60), microseconds=rng.randrange(10**6))
        case = await self._ok(self.cases(t).record(recorder, _intake(i, village, channel, sectors)))
        path = PATHS[i % len(PATHS)]
        if path == "draft":
            return
        if path == "local-from-draft":
            by = supervisor if channel is Channel.SECRETARIAT else recorder  # the front office may not
            await self._ok(self.cases(t + timedelta(days=2)).resolve_locally(by, case.id, "PSKS membantu"))
            return
        t = t + timedelta(hours=rng.randrange(1, 30))
        await self._ok(self.cases(t).update(recorder, case.id, UpdateCase(sectors=(*sectors, Sector.OTHER))))
        t = t + timedelta(hours=1)
        await self._ok(self.cases(t).submit(recorder, case.id))
        if path == "submitted":
            return
        if path == "returned" and channel is not Channel.SECRETARIAT:
            t = t + timedelta(days=1)
            await self._ok(self.cases(t).return_case(supervisor, case.id, "Alamat kurang"))
            if i % 2:  # corrected and sent again: submitted_at moves to the second submission
                await self._ok(self.cases(t + timedelta(hours=5)).update(recorder, case.id, UpdateCase(sectors=sectors)))
                await self._ok(self.cases(t + timedelta(hours=6)).submit(recorder, case.id))
            return
        if path == "local-from-submitted" and channel is not Channel.SECRETARIAT:
            # Exactly the target, or a microsecond past it: breached only in the second case.
            late = timedelta(days=14, microseconds=i % 2)
            await self._ok(self.cases(t + late).resolve_locally(supervisor, case.id, "Dibantu kelurahan"))
            return
        if channel is not Channel.SECRETARIAT:
            t = t + timedelta(days=rng.choice((1, 2, 3)))  # whole days: histogram edges
            await self._ok(self.cases(t).approve(supervisor, case.id, None))
        if path in ("rejected", "local-from-submitted"):
            await self._ok(self.cases(t + timedelta(days=1)).reject(FRONT_OFFICE, case.id, "Di luar cakupan"))
            return
        if path in ("approved", "returned"):
            return
        t = t + timedelta(hours=rng.randrange(2, 90))
        reviewed = (sectors[-1], Sector.HOUSING) if i % 3 == 0 else sectors  # the review changes sectors
        await self._ok(self.cases(t).review(FRONT_OFFICE, case.id, ReviewCase(reviewed, case.priority, "Layak")))
        if path == "reviewed":
            return
        await self.referral_loop(case, path, reviewed, t, rng, supervisor)

    async def referral_loop(self, case: Case, path: str, sectors: tuple[Sector, ...], t: datetime,
                            rng: random.Random, supervisor: Actor) -> None:
        codes = list(dict.fromkeys(FIRST_CHOICE[s] for s in sectors))
        t = t + timedelta(days=rng.choice((1, 3)), seconds=rng.choice((0, 0, 1)))
        # Two programmes at once: each creation locks the case, the loser waits its turn.
        refs = await asyncio.gather(*(self._ok(self.referrals(t).create(BACK_OFFICE, CreateReferral(
            case.id, code, "Memenuhi kriteria"))) for code in codes))
        if path == "referred":  # still open: one accepted, another refused by its partner
            await asyncio.gather(*(self._ok(self._partner(r, t + timedelta(days=1), (R.ACCEPTED, R.REJECTED)[k]))
                                   for k, r in enumerate(refs)))
            return
        if path == "cancelled":
            await self._ok(self.referrals(t + timedelta(days=2)).cancel(BACK_OFFICE, refs[0].id, "Salah program"))
            await self._ok(self.cases(t + timedelta(days=3)).resolve(BACK_OFFICE, case.id, "Ditangani lain"))
            return
        ends = {"completed": [R.COMPLETED], "closed": [R.COMPLETED], "failed": [R.FAILED], "mixed": [R.COMPLETED, R.FAILED]}
        end = ends[path]
        steps = [R.ACCEPTED, R.IN_PROGRESS, R.ON_HOLD, R.IN_PROGRESS] if path == "mixed" else [R.ACCEPTED]
        for step in steps:
            t = t + timedelta(days=rng.randrange(1, 5), hours=rng.randrange(24))
            # Every referral of the case moved at the same instant, by its own partner, concurrently.
            await asyncio.gather(*(self._ok(self._partner(r, t, step)) for r in refs))
        t = t + timedelta(days=rng.choice((2, 5, 9)))
        await asyncio.gather(*(self._ok(self._partner(r, t, end[k % len(end)])) for k, r in enumerate(refs)))
        if R.COMPLETED not in {end[k % len(end)] for k in range(len(refs))}:
            await self._ok(self.cases(t + timedelta(days=1)).resolve(BACK_OFFICE, case.id, "Tidak ada program lain"))
        if path == "closed":
            await self._ok(self.cases(t + timedelta(days=4)).close(supervisor, case.id, "Keluarga puas"))

    def _partner(self, referral: Referral, at: datetime, status: R) -> Awaitable[Any]:
        reason = "Menunggu dokumen" if status in (R.ON_HOLD, R.FAILED, R.REJECTED) else None
        partner = actor(Role.PARTNER, partner_id=self.partner_of[referral.programme_code])
        return self.referrals(at).update_status(partner, UpdateReferralStatus(referral.id, status, reason))

    async def burst(self, n: int = 16) -> None:
        """Many writers on the same counts at once: one village, one instant, every step together."""
        village, at = "3275041001", START + timedelta(days=3)
        facilitator, supervisor = actor(Role.FACILITATOR, village), actor(Role.SUPERVISOR, village[:6])
        cases = await asyncio.gather(*(self._ok(self.cases(at).record(facilitator, _intake(
            100 + k, village, Channel.FACILITATOR, (Sector.HEALTH, Sector.EDUCATION)))) for k in range(n)))
        await asyncio.gather(*(self._ok(self.cases(at).submit(facilitator, c.id)) for c in cases))
        await asyncio.gather(*(self._ok(self.cases(at + timedelta(days=1)).approve(supervisor, c.id, None))
                               for c in cases[: n // 2]))

    async def household_move(self) -> None:
        """A family registered in one district records a complaint in another, then the move is confirmed."""
        home, new = "3275021005", "3275101004"
        first = await self._ok(self.cases(START).record(actor(Role.FACILITATOR, home),
                                                       _intake(80, home, Channel.FACILITATOR, (Sector.HEALTH,))))
        assert first is not None
        family = synthetic_household(80, home, members=2)
        moved = RecordCase(Channel.PUSKESOS, new, family, (family.members[0].nik,), "Pindah rumah", (Sector.EDUCATION,))
        case = await self._ok(self.cases(START + timedelta(days=1)).record(actor(Role.PUSKESOS_OPERATOR, new), moved))
        await self._ok(self.cases(START + timedelta(days=2)).confirm_household_move(
            actor(Role.SUPERVISOR, new[:6]), case.id, "KK baru diperiksa"))

    @staticmethod
    async def _ok(outcome: Awaitable[Any]) -> Any:
        result = await outcome
        assert isinstance(result, Case | Referral), result
        return result


def _intake(seed: int, village: str, channel: Channel, sectors: tuple[Sector, ...]) -> RecordCase:
    household = synthetic_household(seed, village, members=2)
    return RecordCase(channel, village, household, (household.members[0].nik,), "Butuh bantuan", sectors)
