"""The demo's portal-only Dinas: an agency with no system of its own, whose officer works its
referrals in the console's partner inbox, and two of its referrals left unanswered for days,
so the demo shows escalation at work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import islice

from auth.roles import Role
from hub.cases.commands import RecordCase, ReviewCase
from hub.cases.models import Case
from hub.cases.service import CaseService
from hub.container import Hub
from hub.db.base import utcnow
from hub.demo.actors import staff
from hub.demo.partners import ADMIN, BACK_OFFICE, Agency
from hub.demo.people import coherent_seeds, synthetic_household
from hub.referrals.commands import CreateReferral, ProgrammeData, RegisterPartner
from hub.referrals.models import Referral
from hub.referrals.partners import PartnerCredentials
from hub.referrals.service import ReferralService
from hub.vocabulary import Channel, Priority, ProgrammeLevel, Sector

PORTAL_AGENCY = Agency("dinkop", "Dinas Koperasi dan UMKM Kota Bekasi", (Sector.EMPLOYMENT,), (
    ProgrammeData("MODAL_USAHA", "Bantuan modal usaha mikro", Sector.EMPLOYMENT, ProgrammeLevel.REGENCY,
                  acknowledge_days=2, completion_days=21),))
COMPLAINT = "Suami kehilangan pekerjaan, ingin membuka warung; butuh modal usaha (lost job, needs start-up capital)"
# The villages of these two cases; each family is the 11th that lives there by every sector
# system (`coherent_seeds`): the demo's own cases and the README walkthrough use the first nine.
LATE_CASES = ("3275021005", "3275011002")
FAMILY_INDEX = 10


async def add_portal_agency(hub: Hub, now: Callable[[], datetime] = utcnow) -> str:
    """Register the portal-only agency; refer two cases to it four days ago. Returns its id."""
    result = await hub.partners.register(ADMIN, RegisterPartner(
        PORTAL_AGENCY.name, PORTAL_AGENCY.sectors, None, PORTAL_AGENCY.programmes))
    assert isinstance(result, PartnerCredentials), result
    for village in LATE_CASES:
        area = hub.areas.get(village)
        assert area is not None
        seed = list(islice(coherent_seeds(village, area.name), FAMILY_INDEX + 1))[-1]
        await _referred_days_ago(hub, seed, village, now() - timedelta(days=4, hours=2))
    await hub.escalations.scan()
    return result.partner.id


async def _referred_days_ago(hub: Hub, seed: int, village: str, start: datetime) -> Referral:
    clock = _Clock(start)
    cases = CaseService(hub.sessions, hub.areas, hub.settings.regency_code, now=clock, events=hub.events)
    facilitator = staff(Role.FACILITATOR, village, f"fasilitator-{village}")
    supervisor = staff(Role.SUPERVISOR, village[:6], f"supervisor-{village[:6]}")
    front = staff(Role.FRONT_OFFICE, "3275", "front-office-3275")
    household = synthetic_household(seed, village)
    case = await cases.record(facilitator, RecordCase(
        channel=Channel.FACILITATOR, village_code=village, household=household,
        subject_niks=(household.members[0].nik,), complaint=COMPLAINT, sectors=(Sector.EMPLOYMENT,),
        priority=Priority.NORMAL), idempotency_key=f"demo-portal-{seed}")
    assert isinstance(case, Case), case
    for step in ("submit", "approve", "review"):
        clock.advance(hours=3)
        if step == "submit":
            case = await cases.submit(facilitator, case.id)
        elif step == "approve":
            case = await cases.approve(supervisor, case.id, None)
        else:
            case = await cases.review(front, case.id, ReviewCase((Sector.EMPLOYMENT,), Priority.NORMAL,
                                                                 "Layak bantuan modal usaha mikro"))
        assert isinstance(case, Case), case
    clock.advance(hours=3)
    referrals = ReferralService(hub.sessions, hub.areas, hub.settings.public_url, now=clock, events=hub.events)
    referral = await referrals.create(BACK_OFFICE, CreateReferral(case.id, "MODAL_USAHA",
                                                                  "Usaha warung keluarga, layak modal usaha mikro"))
    assert isinstance(referral, Referral), referral
    return referral


class _Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)
