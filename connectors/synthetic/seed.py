"""Hash-derived integers: the only source of "randomness" in synthetic data."""

from __future__ import annotations

import hashlib
from functools import lru_cache


@lru_cache(maxsize=65536)
def seed(label: str, key: str) -> int:
    return int.from_bytes(hashlib.sha256(f"slrt-sim:{label}:{key}".encode()).digest(), "big")


def digit(h: int, i: int, n: int) -> int:
    """The i-th base-n digit of h: independent-looking small numbers from one hash."""
    return (h // n**i) % n


def pick(h: int, i: int, options: tuple[str, ...]) -> str:
    return options[digit(h, i, len(options))]
