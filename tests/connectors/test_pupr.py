from connectors.pupr.connector import Pupr
from connectors.pupr.simulator import create_app
from connectors.testing import ConnectorConformance


class TestPupr(ConnectorConformance):
    connector = Pupr
    simulator = create_app
    known_keys = ["3275020101200001", "3275020101200003", "3275020101200004"]
    unknown_key = "3275020101200002"  # house never surveyed
