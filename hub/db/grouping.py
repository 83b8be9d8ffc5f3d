"""Grouping the rows of one batch query by the key a data loader asked for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TypeVar

K = TypeVar("K")
R = TypeVar("R")


def grouped(rows: Iterable[R], key: Callable[[R], K]) -> dict[K, list[R]]:
    """``rows`` in their query order, split into lists by ``key``."""
    out: dict[K, list[R]] = defaultdict(list)
    for row in rows:
        out[key(row)].append(row)
    return out


def first_per_key(rows: Iterable[R], key: Callable[[R], K]) -> dict[K, R]:
    """The first row of each key, in query order (the query orders by preference)."""
    out: dict[K, R] = {}
    for row in rows:
        out.setdefault(key(row), row)
    return out
