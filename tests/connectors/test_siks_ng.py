from connectors.siks_ng.connector import SiksNg
from connectors.siks_ng.simulator import create_app
from connectors.testing import ConnectorConformance


class TestSiksNg(ConnectorConformance):
    connector = SiksNg
    simulator = create_app
    known_keys = ["3275020101200010", "3275020101200020", "3275020101200030"]
    unknown_key = "3275020101200140"  # household not in DTSEN
