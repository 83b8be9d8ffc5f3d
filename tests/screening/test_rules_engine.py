"""The five SPEC rules over plain views; unavailable connectors give "not evaluated"."""

from __future__ import annotations

import json
from datetime import date

import pytest

from hub.screening import UNAVAILABLE, HouseholdView, PersonView, RuleError, Screening, load_rules

TODAY = date(2026, 11, 27)
KK = "3275020101200004"
HEAD = "3275021007890041"  # born 1989
CHILD = "3275021706150043"  # born 17-06-2015: 11 years old


def person(nik: str, **records: object) -> PersonView:
    defaults: dict[str, object] = {
        "dukcapil": {"registered_name": "X"},
        "bpjs": {"active": True},
        "education": None,
    }
    return PersonView(nik=nik, records={**defaults, **records})


def household(*members: PersonView, **records: object) -> HouseholdView:
    defaults: dict[str, object] = {
        "siks_ng": {"in_dtsen": True, "decile": 7},
        "pupr": {"habitable": True, "bsps_year": None},
    }
    return HouseholdView(kk=KK, members=members, records={**defaults, **records})


@pytest.fixture(scope="module")
def screening() -> Screening:
    return Screening(load_rules())


def test_nothing_to_suggest_for_a_well_off_household(screening: Screening) -> None:
    result = screening.screen(household(person(HEAD), person(CHILD, education={"enrolled": True})), TODAY)
    assert result.suggestions == []
    assert result.not_evaluated == []


def test_school_age_child_not_enrolled_gets_pip(screening: Screening) -> None:
    for education in (None, {"enrolled": False}):
        result = screening.screen(household(person(HEAD), person(CHILD, education=education)), TODAY)
        assert result.programmes() == {("PIP", CHILD)}
        (suggestion,) = result.suggestions
        assert suggestion.subject_kind == "PERSON"
        assert suggestion.facts["member.age"] == 11


def test_adults_and_toddlers_are_not_school_age(screening: Screening) -> None:
    toddler = "3275020101230045"  # born 2023
    result = screening.screen(household(person(HEAD), person(toddler)), TODAY)
    assert result.suggestions == []


def test_poor_household_member_without_active_jkn_gets_pbi(screening: Screening) -> None:
    view = household(
        person(HEAD, bpjs=None),
        person(CHILD, bpjs={"active": False}, education={"enrolled": True}),
        siks_ng={"in_dtsen": True, "decile": 3},
    )
    result = screening.screen(view, TODAY)
    assert result.programmes() == {("PBI_JK", HEAD), ("PBI_JK", CHILD)}
    facts = {s.subject: s.facts for s in result.suggestions}
    assert facts[HEAD] == {"household.siks_ng.decile": 3, "member.bpjs": "NOT_FOUND"}
    assert facts[CHILD] == {"household.siks_ng.decile": 3, "member.bpjs.active": False}


def test_decile_five_is_not_poor_enough_for_pbi(screening: Screening) -> None:
    view = household(person(HEAD, bpjs=None), siks_ng={"in_dtsen": True, "decile": 5})
    assert screening.screen(view, TODAY).suggestions == []


def test_unhabitable_house_without_bsps_gets_bsps(screening: Screening) -> None:
    result = screening.screen(household(person(HEAD), pupr={"habitable": False, "bsps_year": None}), TODAY)
    assert result.programmes() == {("BSPS_RTLH", KK)}
    assert result.suggestions[0].subject_kind == "HOUSEHOLD"
    helped = household(person(HEAD), pupr={"habitable": False, "bsps_year": 2022})
    assert screening.screen(helped, TODAY).suggestions == []


def test_nik_unknown_to_dukcapil_gets_adminduk(screening: Screening) -> None:
    result = screening.screen(household(person(HEAD, dukcapil=None)), TODAY)
    assert result.programmes() == {("ADMINDUK", HEAD)}


def test_household_not_in_dtsen_gets_usulan(screening: Screening) -> None:
    assert screening.screen(household(person(HEAD), siks_ng=None), TODAY).programmes() == {
        ("DTSEN_USULAN", KK)
    }


def test_unavailable_connector_means_not_evaluated_not_no_need(screening: Screening) -> None:
    view = household(
        person(HEAD, bpjs=UNAVAILABLE), person(CHILD, education=UNAVAILABLE), siks_ng=UNAVAILABLE
    )
    result = screening.screen(view, TODAY)
    skipped = {(n.rule, n.subject, n.unavailable) for n in result.not_evaluated}
    assert ("school-age-not-enrolled", CHILD, ("education",)) in skipped
    assert ("poor-household-member-without-jkn", HEAD, ("bpjs", "siks_ng")) in skipped
    assert ("household-not-in-dtsen", KK, ("siks_ng",)) in skipped
    assert not any(s.programme in {"PIP", "PBI_JK", "DTSEN_USULAN"} for s in result.suggestions)


def test_a_disabled_connector_counts_as_unavailable(screening: Screening) -> None:
    view = HouseholdView(kk=KK, members=[PersonView(HEAD, records={})], records={})
    result = screening.screen(view, TODAY)
    assert result.suggestions == []
    assert {n.programme for n in result.not_evaluated} == {
        "PIP",
        "PBI_JK",
        "BSPS_RTLH",
        "ADMINDUK",
        "DTSEN_USULAN",
    }


def test_records_may_be_objects_with_enum_fields(screening: Screening) -> None:
    import enum
    from dataclasses import dataclass

    class Flag(enum.Enum):
        NO = False

    @dataclass
    class Coverage:
        active: object

    view = household(person(HEAD, bpjs=Coverage(active=Flag.NO)), siks_ng={"in_dtsen": True, "decile": 1})
    assert screening.screen(view, TODAY).programmes() == {("PBI_JK", HEAD)}


def test_a_deployment_can_replace_the_rules(tmp_path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(
        json.dumps(
            {
                "rules": [
                    {
                        "id": "big",
                        "programme": "PKH",
                        "subject": "household",
                        "when": {"fact": "household.size", "ge": 2},
                    }
                ]
            }
        )
    )
    result = Screening(load_rules(path)).screen(household(person(HEAD), person(CHILD)), TODAY)
    assert result.programmes() == {("PKH", KK)}


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (
            {"id": "x", "programme": "P", "subject": "case", "when": {"fact": "member.age", "eq": 1}},
            "subject",
        ),
        (
            {"id": "x", "programme": "P", "subject": "member", "when": {"fact": "member.age", "like": 1}},
            "bad condition",
        ),
        (
            {"id": "x", "programme": "P", "subject": "household", "when": {"fact": "member.age", "eq": 1}},
            "household rule",
        ),
        ({"id": "x", "subject": "member", "when": {"fact": "member.age", "eq": 1}}, "programme"),
    ],
)
def test_bad_rules_fail_loading_with_the_rule_named(tmp_path, rule: dict, words: str) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": [rule]}))
    with pytest.raises(RuleError, match=words) as caught:
        load_rules(path)
    assert "rule x" in str(caught.value)
