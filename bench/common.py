"""What the bench scripts share: a hub over a database, timing, and the printed table."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
# Scripts run from bench/ import the project from its root, and this folder's modules
# last, so none of them can shadow a standard-library module.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH] + [str(BENCH)]
sys.path.insert(0, str(ROOT))

from hub.settings import Settings

KEYS_DIR = Path(tempfile.gettempdir()) / "slrt-bench-keys"


def bench_settings(database_url: str, **overrides: Any) -> Settings:
    """Settings for a benchmark: one key store for every process, no rate limit in the way."""
    values: dict[str, Any] = {"database_url": database_url, "data_dir": KEYS_DIR, "debug": False,
                              "rate_limit": "1000000/minute", "delivery_embedded": False,
                              "allow_private_webhooks": True}
    values.update(overrides)
    return Settings(**values)


@dataclass
class Timing:
    label: str
    samples: list[float]

    def pct(self, q: float) -> float:
        s = sorted(self.samples)
        return s[min(len(s) - 1, int(q * len(s)))] * 1000

    @property
    def p50(self) -> float:
        s = sorted(self.samples)
        mid = len(s) // 2
        return (s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2) * 1000


async def timed(fn: Callable[[], Awaitable[Any]]) -> float:
    start = time.perf_counter()
    await fn()
    return time.perf_counter() - start


def print_table(headers: list[str], rows: list[list[Any]]) -> None:
    cells = [[str(h) for h in headers]] + [[f"{c:.2f}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, r in enumerate(cells):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
