"""The console checks NIK and KK numbers as they are typed with the hub's own rules and the
hub's own messages: the JavaScript module and the Python intake checks give the same answer
for thousands of numbers, valid and broken in every way the rules name."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hub.areas.directory import AreaDirectory, reference_areas
from hub.cases.commands import HouseholdData, MemberData, RecordCase
from hub.cases.intake import check_record
from hub.people.identity import check_kk, check_nik, make_nik
from hub.vocabulary import Channel, Relationship, Sector, Sex

JS = "async (args) => { const m = await import('/console/app/checks.js'); return %s; }"
TODAY = date(2026, 11, 27)


def numbers(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        birth = date(1930, 1, 1) + timedelta(days=rng.randrange(365 * 95))
        good = make_nik(rng.choice(["327502", "327501", "110101", "947101"]), birth, rng.choice(list(Sex)),
                        rng.randrange(1, 10000))
        broken = list(good)
        i = rng.randrange(16)
        broken[i] = str(rng.randrange(10))
        out += [good, "".join(broken), good[:15], good + "1", good[:6] + "00" + good[8:], good[:12] + "0000",
                "00" + good[2:], "99" + good[2:], good[:2] + "00" + good[4:], good[:4] + "00" + good[6:],
                good[:8] + "13" + good[10:], good[:6] + "72" + good[8:], good[:6] + "30" + "02" + good[10:],
                good[:6] + "29" + "02" + "01" + good[12:], good.replace(good[3], "x", 1),
                "".join(str(rng.randrange(10)) for _ in range(16))]
    return out


def test_nik_and_kk_checks_give_the_hubs_answers(page, demo):
    corpus = numbers(random.Random(7), 150)
    js_nik = page.evaluate(JS % "args.map((n) => m.checkNik(n).problem)", corpus)
    js_kk = page.evaluate(JS % "args.map((n) => m.checkKk(n))", corpus)
    assert js_nik == [check_nik(n)[1] for n in corpus]
    assert js_kk == [check_kk(n) for n in corpus]
    assert any(p is None for p in js_nik) and len({p for p in js_nik if p}) >= 5  # every kind of answer occurs


def test_birth_date_and_sex_are_checked_against_the_nik_as_the_hub_does(page, demo):
    rng = random.Random(11)
    areas = AreaDirectory(reference_areas())
    cases = []
    for _ in range(300):
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 70))
        sex = rng.choice(list(Sex))
        nik = make_nik("327502", birth, sex, rng.randrange(1, 9999))
        given = birth if rng.random() < 0.5 else birth + timedelta(days=rng.choice([1, -1, 31, 365]))
        told = sex if rng.random() < 0.5 else (Sex.F if sex is Sex.M else Sex.M)
        cases.append((nik, given, told))
    expected = []
    for nik, given, told in cases:
        member = MemberData(nik, "Siti Rahayu", given, told, Relationship.HEAD)
        cmd = RecordCase(Channel.FACILITATOR, "3275021005", HouseholdData("3275020101269001", "Jl. Melati", "001",
                                                                           "002", (member,)),
                         (nik,), "keluhan", (Sector.HEALTH,))
        _, errors = check_record(cmd, areas, None, TODAY)
        expected.append({e.field[-1]: e.message for e in errors if e.field and e.field[:3] == ("input", "household",
                                                                                                 "members")})
    got = page.evaluate(JS % """args.map(([nik, birthDate, sex]) => m.checkMember({ nik, birthDate, sex, name: 'Siti Rahayu' },
        new Date('2026-11-27T00:00:00Z')))""", [[n, g.isoformat(), s.value] for n, g, s in cases])
    assert got == expected
    assert sum(bool(e) for e in expected) > 100
