"""Connectors in the graph: their fields on Person/Household, loaders and status query."""
