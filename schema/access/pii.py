"""The PII rule at the field level (SPEC section 6, README Access).

Identity numbers are shown in clear only to callers holding ``pii:read``, and only while
an operation's clear reads are being collected for the audit log: `schema.extensions.
pii_guard` opens a collection for every operation, on every transport, and writes it
before the result leaves. A field resolved outside one (a new transport, a test calling
the schema without its extensions) is masked: the rule fails closed.

Each operation has its own collection (a context variable, so two operations sharing
one socket's context never write, or lose, each other's reads).
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from typing import Any

from hub.access.audit import PiiRead, SubjectKind
from hub.people.identity import mask_identity_number

_clear_reads: ContextVar[set[PiiRead] | None] = ContextVar("slrt_clear_reads", default=None)


def open_clear_reads() -> tuple[set[PiiRead], Token[set[PiiRead] | None]]:
    """A new collection for the operation starting in this task (`pii_guard` only)."""
    reads: set[PiiRead] = set()
    return reads, _clear_reads.set(reads)


def close_clear_reads(token: Token[set[PiiRead] | None]) -> None:
    try:
        _clear_reads.reset(token)
    except (ValueError, RuntimeError):  # a stream closed from another task: nothing to restore there
        pass


def operation_of(info: Any) -> str:
    """``query person`` / ``mutation recordCase``: the operation type and its root field."""
    path = info.path
    while path.prev is not None:
        path = path.prev
    return f"{info.operation.operation.value} {path.key}"


def sees_pii(info: Any) -> bool:
    """May this field show personal data in clear? Needs pii:read and an audited operation."""
    return bool(info.context.sees_pii) and _clear_reads.get() is not None


def note_clear_read(info: Any, kind: SubjectKind, number: str) -> None:
    """Record that `number` (or personal data keyed by it) is shown in clear; `sees_pii` first."""
    reads = _clear_reads.get()
    assert reads is not None, "a clear read outside an audited operation"
    reads.add(PiiRead(kind, number, operation_of(info)))


def shown(number: str, info: Any, kind: SubjectKind = SubjectKind.NIK) -> str:
    """The number as this caller may see it: in clear (and audited) or masked."""
    if not sees_pii(info):
        return mask_identity_number(number)
    note_clear_read(info, kind, number)
    return number
