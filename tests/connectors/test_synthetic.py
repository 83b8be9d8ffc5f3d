"""The synthetic derivation: deterministic, and one household tells one story everywhere."""

from __future__ import annotations

from datetime import date

from connectors.synthetic import demo_kk, family, household, household_key, kk_of, parse_nik, person


def test_nik_anatomy() -> None:
    woman = parse_nik("3275025607120034")
    assert woman is not None and woman.sex == "F" and woman.birth_date == date(2012, 7, 16)
    assert parse_nik("3275023202120034") is None  # no 32 February
    assert parse_nik("3275021508120000") is None  # serial 0000
    assert parse_nik("32750215081200") is None


def test_family_members_belong_to_their_kk() -> None:
    kk = demo_kk("327502", 7)
    for nik, name, born, sex, _ in family(kk):
        story = person(nik)
        assert story is not None
        assert kk_of(nik) == kk
        assert story.home == household(kk)
        assert (story.nik.birth_date, story.nik.sex, story.name) == (born, sex, name)


def test_any_kk_sharing_the_serial_block_tells_the_same_story() -> None:
    # a KK issued on another date, members numbered from its serial (as the hub's demo does)
    kk = "3275011503219010"
    members = ["3275011205859011", "3275015708879012", "3275010302159013"]
    assert {household_key(n) for n in members} == {household_key(kk)}
    for nik in members:
        story = person(nik)
        assert story is not None
        assert (story.home.decile, story.home.in_dtsen, story.home.programmes) == (
            household(kk).decile,
            household(kk).in_dtsen,
            household(kk).programmes,
        )


def test_derivation_is_pinned() -> None:
    # a change here changes every demo household: update the docs and the tests with it
    story = household(demo_kk("327502", 1))
    assert (story.decile, story.in_dtsen, story.programmes, story.surveyed, story.condition_score) == (
        10,
        True,
        (),
        True,
        100,
    )
    member = person("3275021008890011")
    assert member is not None and member.name == "WAHYU PRATAMA"
    assert member.coverage is not None and (member.coverage.segment, member.coverage.active) == (
        "PBPU",
        False,
    )


def test_the_synthetic_bekasi_places_are_the_hubs_areas() -> None:
    """Dukcapil, SIKS-NG and PUPR name a household's village from this table; the hub's case
    names it from its area list: the two must be one."""
    from connectors.synthetic.names import BEKASI
    from hub.areas.directory import reference_areas
    from hub.vocabulary import AreaLevel

    areas = reference_areas()
    districts = {a.code: a.name.upper() for a in areas if a.level is AreaLevel.DISTRICT}
    villages: dict[str, list[str]] = {}
    for a in areas:
        if a.level is AreaLevel.VILLAGE:
            villages.setdefault(a.code[:6], []).append(a.name.upper())
    assert {code: (districts[code], tuple(names)) for code, names in villages.items()} == BEKASI


def test_remembered_stories_follow_the_date_they_are_told_on() -> None:
    # person() is remembered (lru_cache): the same NIK asked on another day must not get the
    # first day's schooling back
    nik = "3275025607120034"  # born 2012-07-16
    at_16 = person(nik, date(2029, 1, 1))
    assert at_16 is not None and at_16.schooling is not None and at_16.schooling.level == "SMA"
    at_27 = person(nik, date(2040, 1, 1))
    assert at_27 is not None and at_27.schooling is None
    at_9 = person(nik, date(2022, 1, 1))
    assert at_9 is not None and at_9.schooling is not None and at_9.schooling.level == "SD"
    assert person(nik, date(2029, 1, 1)) == at_16
