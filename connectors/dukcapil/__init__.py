"""Dukcapil civil-registry connector."""
