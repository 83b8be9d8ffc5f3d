from connectors.siks_ng.connector import SiksNg
from connectors.siks_ng.simulator import create_app
from connectors.testing import ConnectorConformance


class TestSiksNg(ConnectorConformance):
    connector = SiksNg
    simulator = create_app
    known_keys = ["3275020101200001", "3275020101200003", "3275020101200004"]
    unknown_key = "3275020101200002"  # household not in DTSEN
