from connectors.education.connector import EducationConnector
from connectors.education.simulator import create_app
from connectors.testing import ConnectorConformance


class TestEducation(ConnectorConformance):
    connector = EducationConnector
    simulator = create_app
    # pupils born 2013-2016: of school age until at least 2031
    known_keys = ["3275021706130013", "3275021609150063", "3275025405160064"]
    unknown_key = "3275022211790011"  # an adult, not in Dapodik
