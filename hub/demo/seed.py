"""Demo data: synthetic households with cases in every status across the nine pilot villages.

Cases are moved through the real case service, so their timelines are real too.
"""

from __future__ import annotations

from itertools import islice

from auth.roles import Role
from hub.cases.commands import RecordCase, ReviewCase
from hub.cases.models import Case
from hub.cases.service import CaseService
from hub.cases.status import CaseStatus
from hub.areas.directory import AreaDirectory
from hub.demo.actors import staff
from hub.demo.people import coherent_seeds, synthetic_household
from hub.vocabulary import Channel, Priority, Sector

COMPLAINTS = [
    ("Anak tidak bisa melanjutkan sekolah karena biaya (child cannot continue school: fees)", [Sector.EDUCATION]),
    ("Kartu BPJS tidak aktif, ibu perlu berobat (health insurance inactive, mother needs care)", [Sector.HEALTH]),
    ("Rumah bocor dan dinding retak (leaking roof, cracked walls)", [Sector.HOUSING]),
    ("Belum punya KTP dan akta kelahiran anak (no identity card, no birth certificate)", [Sector.CIVIL_REGISTRATION]),
    ("Suami kehilangan pekerjaan, butuh bantuan pangan (husband lost job, needs food aid)",
     [Sector.SOCIAL_ASSISTANCE, Sector.EMPLOYMENT]),
]

# The path from DRAFT to each demo status, as the actions that reach it.
PATHS: dict[CaseStatus, list[str]] = {
    CaseStatus.DRAFT: [],
    CaseStatus.SUBMITTED: ["submit"],
    CaseStatus.RETURNED: ["submit", "return"],
    CaseStatus.APPROVED: ["submit", "approve"],
    CaseStatus.REVIEWED: ["submit", "approve", "review"],
    CaseStatus.RESOLVED: ["submit", "resolve_locally"],
    CaseStatus.CLOSED: ["submit", "resolve_locally", "close"],
    CaseStatus.REJECTED: ["submit", "reject"],
}


async def seed_demo(cases: CaseService, areas: AreaDirectory, per_village: int = len(PATHS)) -> list[Case]:
    """Record ``per_village`` households' cases in each pilot village, one in each demo status
    (so every district's supervisor finds cases of every status, as the README shows)."""
    made: list[Case] = []
    statuses = list(PATHS)
    n = 0
    for village in areas.villages(pilot_only=True):
        district = village.code[:6]
        facilitator = staff(Role.FACILITATOR, village.code, f"fasilitator-{village.code}")
        supervisor = staff(Role.SUPERVISOR, district, f"supervisor-{district}")
        front = staff(Role.FRONT_OFFICE, "3275", "front-office-3275")
        seeds = demo_seeds(village.code, village.name, per_village)
        for i, seed in enumerate(seeds):
            household = synthetic_household(seed, village.code, members=4)
            complaint, sectors = COMPLAINTS[n % len(COMPLAINTS)]
            subject = household.members[2] if Sector.EDUCATION in sectors else household.members[0]
            record = RecordCase(channel=Channel.FACILITATOR, village_code=village.code, household=household,
                                subject_niks=(subject.nik,), complaint=complaint, sectors=tuple(sectors),
                                priority=Priority.HIGH if n % 3 == 0 else Priority.NORMAL)
            case = await cases.record(facilitator, record, idempotency_key=f"demo-{n}")
            assert isinstance(case, Case), case
            for step in PATHS[statuses[i % len(statuses)]]:
                case = await _step(cases, step, case, facilitator, supervisor, front, sectors)
            made.append(case)
            n += 1
    return made


def demo_seeds(village_code: str, village_name: str, count: int) -> list[int]:
    """The first ``count`` families living in the village; the one after them is left for
    the README walkthrough to record (`walkthrough_seed`)."""
    return list(islice(coherent_seeds(village_code, village_name), count))


def walkthrough_seed(village_code: str, village_name: str, demo_count: int = len(PATHS)) -> int:
    return list(islice(coherent_seeds(village_code, village_name), demo_count + 1))[-1]


async def _step(cases: CaseService, step: str, case: Case, facilitator, supervisor, front, sectors) -> Case:  # type: ignore[no-untyped-def]
    match step:
        case "submit":
            result = await cases.submit(facilitator, case.id)
        case "return":
            result = await cases.return_case(supervisor, case.id, "Alamat belum lengkap (address incomplete)")
        case "approve":
            result = await cases.approve(supervisor, case.id, None)
        case "review":
            result = await cases.review(front, case.id, ReviewCase(tuple(sectors), Priority.HIGH,
                                                                   "Eligible; refer to the sector programme"))
        case "resolve_locally":
            result = await cases.resolve_locally(facilitator, case.id, "Dibantu oleh PSKS kelurahan (village volunteers helped)")
        case "close":
            result = await cases.close(supervisor, case.id, "Household confirmed the help arrived")
        case "reject":
            result = await cases.reject(supervisor, case.id, "Duplikat (duplicate of an earlier complaint)")
        case _:
            raise ValueError(step)
    assert isinstance(result, Case), result
    return result
