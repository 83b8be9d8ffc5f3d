"""One ``/metrics`` for every process of ``slrt-hub serve --workers N``.

Each worker process counts what it serves. prometheus-client's multiprocess mode (its
documented answer to exactly this) keeps each process's values in memory-mapped files in
one directory, and a scrape answered by any worker sums them all: counters and histograms
add up, gauges follow the ``multiprocess_mode`` each declares in ``metrics.py``.

``serve`` makes the directory at each start (a fresh one, so no earlier run's counts
leak in) before the workers are spawned — they inherit ``PROMETHEUS_MULTIPROC_DIR`` —
and removes it when the last worker has gone. A worker that stops cleanly marks its live
gauges dead (``process_exiting``); one that is killed leaves its live gauges in the
directory until ``serve`` starts again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

ENV = "PROMETHEUS_MULTIPROC_DIR"


def enabled() -> bool:
    return bool(os.environ.get(ENV))


@contextlib.contextmanager
def shared_directory() -> Iterator[Path]:
    """Set ``PROMETHEUS_MULTIPROC_DIR`` for the processes about to be spawned, and clean it after.

    A directory the operator set (e.g. on a tmpfs) is used, emptied of metric files at
    start and at the end; otherwise a new temporary one is made and removed.
    """
    given = os.environ.get(ENV)
    path = Path(given) if given else Path(tempfile.mkdtemp(prefix="slrt-metrics-"))
    path.mkdir(parents=True, exist_ok=True)
    _clear(path)
    os.environ[ENV] = str(path)
    try:
        yield path
    finally:
        if given:
            _clear(path)
        else:
            shutil.rmtree(path, ignore_errors=True)
            os.environ.pop(ENV, None)


def _clear(path: Path) -> None:
    # Only prometheus-client's own files: an operator's directory may hold anything else.
    for kind in ("counter", "gauge", "histogram", "summary"):
        for file in path.glob(f"{kind}_*.db"):
            file.unlink(missing_ok=True)


def process_exiting() -> None:
    """Drop this process's live gauges from the shared view (a worker's clean shutdown)."""
    if enabled():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid())
