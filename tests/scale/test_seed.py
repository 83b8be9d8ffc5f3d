"""`slrt-hub seed`: a synthetic caseload that the rest of the hub accepts as its own."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from auth.roles import Role
from hub.cases.models import Case, CaseEvent, CaseNumberSequence
from hub.db.base import utcnow
from hub.people.identity import check_kk, check_nik
from hub.people.models import Household, Person
from hub.referrals.models import Referral
from hub.seed.run import seed_caseload
from tests.cases.helpers import record_input


async def _rows(hub, stmt):  # type: ignore[no-untyped-def]
    async with hub.sessions() as s:
        return (await s.execute(stmt)).all()


async def test_two_runs_add_valid_people_and_consistent_cases(hub, settings, as_role):
    url = settings.database_url
    first = await seed_caseload(url, "3275", 60, 200, seed=1, now=utcnow())
    second = await seed_caseload(url, "3275", 40, 100, seed=2, now=utcnow())
    assert (first.cases, second.cases) == (200, 100)

    niks = [n for (n,) in await _rows(hub, select(Person.nik))]
    kks = [k for (k,) in await _rows(hub, select(Household.kk_number))]
    assert len(niks) == first.persons + second.persons == len(set(niks))
    assert len(kks) == 100 == len(set(kks))
    assert all(check_nik(n)[1] is None and n.startswith("3275") for n in niks)
    assert all(check_kk(k) is None for k in kks)

    cases = await _rows(hub, select(Case.id, Case.number, Case.version, Case.status, Case.created_at))
    events = Counter(c for (c,) in await _rows(hub, select(CaseEvent.case_id).where(CaseEvent.action != "AUTO_RESOLVE")))
    assert all(c.version == events[c.id] for c in cases)  # as the service would have left them
    assert len({c.status for c in cases}) >= 6
    referred = {c.id for c in cases if c.status.value in ("REFERRED", "RESOLVED", "CLOSED")}
    assert {r for (r,) in await _rows(hub, select(Referral.case_id))} <= referred

    # Numbers: unique and gap-free per year over both runs, and the counters at the last one.
    counters = dict(await _rows(hub, select(CaseNumberSequence.year, CaseNumberSequence.last_value)))
    by_year: dict[int, list] = {}
    for c in cases:
        by_year.setdefault(int(c.number.split("-")[2]), []).append(c)
    for year, rows in by_year.items():
        assert sorted(int(c.number[-6:]) for c in rows) == list(range(1, len(rows) + 1))
        assert counters[year] == len(rows)

    # Intake continues after the seeded numbers.
    api = as_role(Role.FACILITATOR, "3275021005")
    made = await api("""mutation($input: RecordCaseInput!) { recordCase(input: $input) { case { number } errors { code } } }""",
                     input=record_input(1))
    year = utcnow().year
    assert made["data"]["recordCase"]["case"]["number"] == f"SLRT-3275-{year}-{counters[year] + 1:06d}"


async def test_bad_sizes_are_refused_before_anything_is_written(hub, settings):
    for households, cases in ((0, 10), (5, -1)):
        with pytest.raises(ValueError):
            await seed_caseload(settings.database_url, "3275", households, cases, now=utcnow())
    async with hub.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Case)) == 0
