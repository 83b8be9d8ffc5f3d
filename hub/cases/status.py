from __future__ import annotations

from enum import Enum


class CaseStatus(str, Enum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    RETURNED = "RETURNED"
    APPROVED = "APPROVED"
    REVIEWED = "REVIEWED"
    REFERRED = "REFERRED"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"
    REJECTED = "REJECTED"


# A case is "open" (and can be a duplicate of a new complaint) until it ends.
OPEN_STATUSES = frozenset(s for s in CaseStatus if s not in {CaseStatus.RESOLVED, CaseStatus.CLOSED, CaseStatus.REJECTED})
