from connectors.dukcapil.connector import Dukcapil
from connectors.dukcapil.simulator import create_app
from connectors.testing import ConnectorConformance


class TestDukcapil(ConnectorConformance):
    connector = Dukcapil
    simulator = create_app
    known_keys = ["3275022211790011", "3275026111790012", "3275021706130013"]
    unknown_key = "3275021007890041"  # "Data Tidak Ditemukan"
