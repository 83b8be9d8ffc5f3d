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
