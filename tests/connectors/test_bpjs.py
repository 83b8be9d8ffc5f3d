from connectors.bpjs.connector import Bpjs
from connectors.bpjs.simulator import create_app
from connectors.testing import ConnectorConformance


class TestBpjs(ConnectorConformance):
    connector = Bpjs
    simulator = create_app
    known_keys = ["3275022211790011", "3275026111790012", "3275021706130013"]
    unknown_key = "3275026307060025"  # synthetic person without JKN membership
