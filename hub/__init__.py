"""SLRT Hub: the integration layer of Sistem Layanan dan Rujukan Terpadu."""

__version__ = "0.1.0"
