from connectors.bpjs.connector import Bpjs
from connectors.bpjs.simulator import create_app
from connectors.testing import ConnectorConformance


class TestBpjs(ConnectorConformance):
    connector = Bpjs
    simulator = create_app
    known_keys = ["3275021008890011", "3275026012090013", "3275021810190014"]
    unknown_key = "3275026709790012"  # synthetic person without JKN membership
