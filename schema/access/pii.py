"""The PII rule at the field level (SPEC section 6): identity numbers in clear only with
``pii:read``, and every number shown in clear is noted for the audit log."""

from __future__ import annotations

from typing import Any

from hub.access.audit import PiiRead, SubjectKind
from hub.people.identity import mask_identity_number


def operation_of(info: Any) -> str:
    """``query person`` / ``mutation recordCase``: the operation type and its root field."""
    path = info.path
    while path.prev is not None:
        path = path.prev
    return f"{info.operation.operation.value} {path.key}"


def shown(number: str, info: Any, kind: SubjectKind = SubjectKind.NIK) -> str:
    ctx = info.context
    if not ctx.sees_pii:
        return mask_identity_number(number)
    ctx.pii_reads.add(PiiRead(kind, number, operation_of(info)))
    return number
