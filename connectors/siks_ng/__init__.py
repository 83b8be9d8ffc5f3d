"""SIKS-NG / DTSEN welfare-register connector."""
