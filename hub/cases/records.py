"""Cases as readers show them: plain rows (hub/db/records.py)."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from hub.cases.models import Case
from hub.cases.status import CaseStatus
from hub.db.records import columns
from hub.vocabulary import Channel, Priority


class CaseRecord(NamedTuple):
    id: str
    number: str
    channel: Channel
    status: CaseStatus
    priority: Priority
    complaint: str
    analysis_note: str | None
    recorded_by: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    resolved_at: datetime | None
    version: int
    village_code: str
    household_id: str


CASE_COLUMNS = columns(Case, CaseRecord)
