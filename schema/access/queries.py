"""``auditLog``: the PII audit trail for AUDITORs (``audit:read``); read-only by design."""

from __future__ import annotations

import base64
from datetime import datetime

import strawberry
from strawberry.types import Info

from auth.roles import Scope
from hub.access.audit import MAX_AUDIT_PAGE, SubjectKind
from hub.access.audit import AuditEntry as AuditEntryData
from schema.access.pii import shown
from schema.cases.types import PageInfo
from schema.context import Context
from schema.errors import HubError
from schema.permissions import requires

_PREFIX = "audit:"


class InvalidAuditArgument(HubError):
    code = "INVALID_INPUT"


def _cursor(entry_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{entry_id}".encode()).decode()


def _decode(cursor: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    value = text.removeprefix(_PREFIX)
    return int(value) if text.startswith(_PREFIX) and value.isdigit() else None


@strawberry.type(description="One read of an unmasked NIK or KK number")
class AuditEntry:
    at: datetime
    actor: str
    actor_role: str
    client_id: str | None
    subject_kind: str
    operation: str
    client_ip: str | None
    request_id: str | None
    raw_number: strawberry.Private[str]
    kind: strawberry.Private[SubjectKind]

    @strawberry.field(description="the NIK or KK number read; masked without pii:read")
    def subject(self, info: Info[Context, None]) -> str:
        return shown(self.raw_number, info, self.kind)

    @classmethod
    def from_data(cls, e: AuditEntryData) -> AuditEntry:
        return cls(at=e.at, actor=e.actor, actor_role=e.actor_role, client_id=e.client_id,
                   subject_kind=e.subject_kind.value, operation=e.operation, client_ip=e.client_ip,
                   request_id=e.request_id, raw_number=e.subject_number, kind=e.subject_kind)


@strawberry.type
class AuditEdge:
    cursor: str
    node: AuditEntry


@strawberry.type
class AuditConnection:
    edges: list[AuditEdge]
    page_info: PageInfo


@strawberry.type
class AuditQueries:
    @strawberry.field(permission_classes=[requires(Scope.AUDIT_READ)],
                      description="reads of unmasked PII, newest first (an auditor bound to an area: reads of "
                                  "its households and people); nik narrows to one NIK or KK number")
    async def audit_log(self, info: Info[Context, None], first: int = 50, after: str | None = None,
                        nik: str | None = None) -> AuditConnection:
        if not 0 <= first <= MAX_AUDIT_PAGE:
            raise InvalidAuditArgument(f"first must be between 0 and {MAX_AUDIT_PAGE}", field=["first"])
        after_id = None
        if after is not None and (after_id := _decode(after)) is None:
            raise InvalidAuditArgument("after is not a cursor from this list", field=["after"])
        number = nik.strip() if nik is not None else None
        if number is not None and (len(number) != 16 or not number.isdigit()):
            raise InvalidAuditArgument("nik must be 16 digits", field=["nik"])
        # an auditor bound to an area reads its own area's trail (the area rule, as for cases)
        page = await info.context.hub.audit.page(first, after_id, number, area=info.context.actor.area)
        edges = [AuditEdge(cursor=_cursor(e.id), node=AuditEntry.from_data(e)) for e in page.entries]
        return AuditConnection(edges=edges, page_info=PageInfo(
            has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None))
