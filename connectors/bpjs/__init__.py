"""BPJS Kesehatan (JKN) health-coverage connector."""
