"""The isolation sweep (issue 11): every operation of the schema, run by callers of other
areas and another partner against one area's records, must answer as it answers for records
that do not exist, and change nothing."""
