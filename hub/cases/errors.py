"""Expected outcomes of case operations, returned as values (never raised)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class ErrorCode(str, Enum):
    INVALID_INPUT = "INVALID_INPUT"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    # Too many changes of one thing in a window (a referral's status: SLRT_REFERRAL_STATUS_CHANGES_PER_HOUR);
    # the message says when the next is accepted.
    RATE_LIMITED = "RATE_LIMITED"


@dataclass(frozen=True, slots=True)
class CaseError:
    """A problem the caller can fix or must know about; ``field`` is the input path."""

    code: ErrorCode
    message: str
    field: tuple[str, ...] | None = None


def invalid(message: str, *path: str | int) -> CaseError:
    return CaseError(ErrorCode.INVALID_INPUT, message, tuple(str(p) for p in path) or None)


@dataclass(frozen=True, slots=True)
class Forbidden:
    """The caller's role may not do this; the API layer turns it into a FORBIDDEN error."""

    message: str


@dataclass(slots=True)
class Rejected:
    """One or more errors; nothing was written."""

    errors: list[CaseError] = field(default_factory=list)

    @classmethod
    def one(cls, code: ErrorCode, message: str, *path: str) -> Rejected:
        return cls([CaseError(code, message, tuple(path) or None)])
