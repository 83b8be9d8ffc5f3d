from connectors.dukcapil.connector import Dukcapil
from connectors.dukcapil.simulator import create_app
from connectors.testing import ConnectorConformance


class TestDukcapil(ConnectorConformance):
    connector = Dukcapil
    simulator = create_app
    known_keys = ["3275021008890011", "3275026709790012", "3275026012090013"]
    unknown_key = "3275021110100164"  # "Data Tidak Ditemukan"
