from connectors.dukcapil.connector import Dukcapil
from connectors.dukcapil.simulator import create_app
from connectors.testing import ConnectorConformance


class TestDukcapil(ConnectorConformance):
    connector = Dukcapil
    simulator = create_app
    known_keys = ["3275021008890011", "3275026709790012", "3275026012090013"]
    unknown_key = "3275021110100164"  # "Data Tidak Ditemukan"


def test_dates_on_the_wire_are_dd_mm_yyyy() -> None:
    from datetime import date

    import pytest

    from connectors.dukcapil.connector import _wire_date, verification_request

    assert verification_request("3275025607120034")["TGL_LHR"] == "16-07-2012"
    assert verification_request("3275020101050011")["TGL_LHR"] == "01-01-2005"
    assert _wire_date("16-07-2012") == _wire_date("16-7-2012") == date(2012, 7, 16)
    # anything else is a malformed answer (ValueError: the runtime's "malformed"), not a guess
    for bad in ("2012-07-16", "31-02-2012", "16-07-12", "+6-07-2012", "16-07-2012-1", ""):
        with pytest.raises(ValueError):
            _wire_date(bad)


def test_the_claims_follow_the_nik_and_an_unknown_answer_is_malformed() -> None:
    import pytest

    from connectors.dukcapil.connector import CivilRegistry, Verification, verification_request

    # a woman's NIK adds 40 to the day; a NIK that cannot be one claims nothing beyond itself
    assert verification_request("3275025607120034") == {"NIK": "3275025607120034", "TGL_LHR": "16-07-2012",
                                                          "JENIS_KLMIN": "PEREMPUAN"}
    assert verification_request("3275021508890011")["JENIS_KLMIN"] == "LAKI-LAKI"
    assert verification_request("3275023202120034") == {"NIK": "3275023202120034"}  # no 32 February
    row = {"NIK": "3275025607120034", "RESPON": "Data Ditemukan",
           "VERIFIKASI": {"NIK": "Sesuai", "TGL_LHR": "Tidak Sesuai"},
           "DATA": {"NAMA_LGKP": "SITI", "TMPT_LHR": "BEKASI", "TGL_LHR": "16-07-2012", "JENIS_KLMIN": "PEREMPUAN",
                    "NO_KK": "3275020101200030", "ALAMAT": "JL. MAWAR", "NO_RT": "001", "NO_RW": "002",
                    "KEL_NAME": "MARGAHAYU", "KEC_NAME": "BEKASI TIMUR", "STATUS_KEMATIAN": "HIDUP"}}
    record = CivilRegistry.from_wire(row)
    assert (record.nik_match, record.birth_date_match, record.sex_match) == (Verification.MATCH, Verification.NO_MATCH,
                                                                            None)
    # an answer Dukcapil does not give is a malformed body (the runtime catches KeyError and
    # ValueError as "malformed"), never a guess
    with pytest.raises((KeyError, ValueError)):
        CivilRegistry.from_wire({**row, "VERIFIKASI": {"NIK": "Mungkin"}})
