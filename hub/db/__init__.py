"""Storage: the declarative base, engine and session factory, migrations."""
