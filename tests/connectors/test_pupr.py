from connectors.pupr.connector import Pupr
from connectors.pupr.simulator import create_app
from connectors.testing import ConnectorConformance


class TestPupr(ConnectorConformance):
    connector = Pupr
    simulator = create_app
    known_keys = ["3275020101200010", "3275020101200030", "3275020101200040"]
    unknown_key = "3275020101200020"  # house never surveyed
