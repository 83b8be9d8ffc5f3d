"""``slrt-hub report``: the statistics of an area and period as CSV (measure, key, value)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from hub.statistics.service import Statistics


def rows(s: Statistics) -> Iterator[tuple[str, str, object]]:
    yield "total", "", s.total
    yield "resolved", "", s.resolved
    yield "share_resolved", "", "" if s.share_resolved is None else round(s.share_resolved, 4)
    yield "median_days_submission_to_referral", "", _opt(s.median_days_submission_to_referral)
    yield "median_days_referral_to_completion", "", _opt(s.median_days_referral_to_completion)
    yield "sla_breached_cases", "", s.sla_breached_cases
    for measure, values in (("by_status", s.by_status), ("by_channel", s.by_channel), ("by_sector", s.by_sector),
                            ("by_village", s.by_village), ("sla_breaches", s.sla_breaches_by_sector)):
        for key, count in sorted(values.items()):
            yield measure, key, count
    for (partner, status), count in sorted(s.referrals_by_partner.items()):
        yield "referrals_by_partner", f"{partner}/{status}", count


def _opt(value: float | None) -> object:
    return "" if value is None else value


def write_csv(s: Statistics, out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(["measure", "key", "value"])
    writer.writerows(rows(s))
