from datetime import date

import pytest

from hub.people.identity import check_kk, check_nik, make_nik, mask_identity_number
from hub.vocabulary import Sex


def test_woman_nik_adds_forty_to_the_day() -> None:
    nik = make_nik("327502", date(1985, 1, 1), Sex.F, 1)
    assert nik == "3275024101850001"
    facts, problem = check_nik(nik)
    assert problem is None and facts is not None
    assert facts.sex is Sex.F and facts.matches_birth_date(date(1985, 1, 1))


def test_man_nik() -> None:
    facts, _ = check_nik("3275021512900012")
    assert facts is not None and facts.sex is Sex.M and (facts.day, facts.month, facts.year2) == (15, 12, 90)


@pytest.mark.parametrize("nik", ["", "327502150290001", "32750215029000123", "3275021502900O12", "1075021502900012",
                                 "3200021502900012", "3275001502900012", "3275023202900012", "3275027202900012",
                                 "3275021513900012", "3275021502900000"])
def test_bad_niks(nik: str) -> None:
    facts, problem = check_nik(nik)
    assert facts is None and problem


def test_leap_day_is_a_valid_birth_date_in_some_century() -> None:
    assert check_nik("3275022902000001")[1] is None  # 29 Feb 2000
    assert check_nik("3275022902010001")[1] is not None  # 29 Feb 1901 / 2001 never happened


def test_kk_rules() -> None:
    assert check_kk("3275020101200001") is None
    assert check_kk("327502010120000") is not None
    assert check_kk("9975020101200001") is not None
    assert check_kk("3275020101200000") is not None


def test_masking_keeps_province_and_regency_only() -> None:
    assert mask_identity_number("3275024101850001") == "3275************"


def test_response_masking_touches_strings_only() -> None:
    from hub.people.identity import mask_identity_numbers_in

    value = {"latency": 0.1234567890123456, "note": "NIK 3275024101850001 lapor", "n": [3275024101850001, "x"]}
    assert mask_identity_numbers_in(value) == {"latency": 0.1234567890123456, "note": "NIK 3275************ lapor",
                                               "n": [3275024101850001, "x"]}
