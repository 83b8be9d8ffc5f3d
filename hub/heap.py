"""The garbage collector tuned for a long-running server process.

Each request leaves a few hundred objects in reference cycles (graphql-core's execution
context, strawberry's per-request objects, the request's loaders), so CPython's cyclic
collector runs often, and each run of an older generation walks every object the process
built at start-up: the schema, the ORM mappers, imported modules — ~175,000 objects. Under
`bench/lookup.py` the collector took ~22 % of the hub's CPU (docs/perf/README.md).

After start-up the objects built so far are frozen (never walked again: they live as long
as the process), and the youngest generation is collected every `YOUNG_THRESHOLD`
allocations instead of CPython's 700, so a collection sees several requests' garbage at
once instead of walking the live objects of every request in flight over and over.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000  # CPython's default is 700; the older generations keep theirs (10, 10)


def settle_after_startup() -> None:
    """Freeze what start-up built and widen the young generation; call once the app is ready."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
