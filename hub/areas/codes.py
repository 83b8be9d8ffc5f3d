"""Kemendagri area codes: ``32.75.02.1005`` on input, ``3275021005`` in storage."""

from __future__ import annotations

from hub.vocabulary import AreaLevel

_LEVEL_BY_LENGTH = {2: AreaLevel.PROVINCE, 4: AreaLevel.REGENCY, 6: AreaLevel.DISTRICT, 10: AreaLevel.VILLAGE}


def normalize_area_code(code: str) -> str | None:
    """The stored form of a code given with or without dots, or None when it is not one."""
    compact = code.strip().replace(".", "")
    if not compact.isdigit() or len(compact) not in _LEVEL_BY_LENGTH:
        return None
    return compact


def level_of(code: str) -> AreaLevel:
    return _LEVEL_BY_LENGTH[len(code)]


def dotted(code: str) -> str:
    parts = [code[:2], code[2:4], code[4:6], code[6:]]
    return ".".join(p for p in parts if p)
