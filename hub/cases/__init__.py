"""The case (*keluhan*) workflow, as plain Python: no GraphQL or HTTP here."""
