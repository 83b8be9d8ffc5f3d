"""What the needs screening should suggest for a synthetic household, from the derivation.

Written straight from the synthetic stories (not from the rule engine), so a test can
compare the hub's `suggestedReferrals` with it. Mirrors SPEC 8's five example rules:

- PIP: member aged 7..18 with no Dapodik record or not enrolled;
- PBI_JK: household in DTSEN with decile 1..4, member with no JKN or inactive JKN;
- BSPS_RTLH: house surveyed, not habitable, no BSPS yet;
- ADMINDUK: NIK unknown to Dukcapil;
- DTSEN_USULAN: household not in DTSEN.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from connectors.synthetic.household import household
from connectors.synthetic.nik import age_on
from connectors.synthetic.person import person


def expected_suggestions(kk: str, niks: Iterable[str], today: date | None = None) -> set[tuple[str, str]]:
    """(programme, subject) pairs; subject is the NIK, or the KK for household programmes.

    Person facts follow `kk_of(nik)`'s household: exact for households built with `family()`.
    """
    on = today or date.today()
    home = household(kk)
    expected: set[tuple[str, str]] = set()
    if not home.in_dtsen:
        expected.add(("DTSEN_USULAN", kk))
    if home.surveyed and not home.habitable and home.bsps_year is None:
        expected.add(("BSPS_RTLH", kk))
    for nik in niks:
        story = person(nik, on)
        if story is None:
            expected.add(("ADMINDUK", nik))
            continue
        if not story.known_to_dukcapil:
            expected.add(("ADMINDUK", nik))
        if 7 <= age_on(story.nik.birth_date, on) <= 18 and (
            story.schooling is None or not story.schooling.enrolled
        ):
            expected.add(("PIP", nik))
        poor = home.in_dtsen and home.decile <= 4
        if poor and (story.coverage is None or not story.coverage.active):
            expected.add(("PBI_JK", nik))
    return expected
