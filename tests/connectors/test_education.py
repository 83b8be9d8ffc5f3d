from connectors.education.connector import EducationConnector
from connectors.education.simulator import create_app
from connectors.testing import ConnectorConformance


class TestEducation(ConnectorConformance):
    connector = EducationConnector
    simulator = create_app
    # pupils born 2012-2014: of school age until at least 2030
    known_keys = ["3275022201140033", "3275025607120034", "3275021508120035"]
    unknown_key = "3275021008890011"  # an adult, not in Dapodik
