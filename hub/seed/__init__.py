"""A synthetic city caseload for load tests and benchmarks (``slrt-hub seed``).

Rows are generated in plain Python and written in bulk (COPY on PostgreSQL, multi-row
inserts on SQLite), never through the GraphQL API, so a million cases load in minutes.
"""
