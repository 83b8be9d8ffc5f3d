"""The story of one household, derived from its KK number alone (see package docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from connectors.synthetic import names
from connectors.synthetic.nik import household_key
from connectors.synthetic.seed import digit, pick, seed

# The last time the synthetic DTSEN was "updated" is fixed so data never drifts.
_DTSEN_BASE = date(2025, 6, 1)


@dataclass(frozen=True, slots=True)
class HouseholdStory:
    kk: str
    decile: int  # the household's true welfare decile (DTSEN reports it only if in_dtsen)
    in_dtsen: bool
    programmes: tuple[str, ...]  # of PKH, BPNT, PBI_JK
    dtsen_updated: date
    surveyed: bool  # known to the PUPR housing survey
    condition_score: int  # 0..100
    habitable: bool
    roof: str
    wall: str
    floor: str
    bsps_year: int | None
    address: str
    rt: str
    rw: str
    village: str
    district: str
    family_name: str


def _place(region: str, h: int) -> tuple[str, str]:
    """(district, village) names: a village of the KK's own district when it is in Kota Bekasi."""
    if region in names.BEKASI:
        district, villages = names.BEKASI[region]
        return district, villages[digit(h, 9, len(villages))]
    return names.VILLAGES[digit(h, 9, len(names.VILLAGES))]


# A pure function of its argument and its result immutable: remembered, so a simulator answers
# a repeated key like a lookup instead of re-deriving it (its CPU competes with the hub's on
# the benchmarks' shared cores). Bounded: `slrt-hub seed` derives a million once each.
@lru_cache(maxsize=8192)
def household(kk: str) -> HouseholdStory:
    """The story of the household `kk` belongs to; any KK with the same `household_key` shares it."""
    h = seed("household", household_key(kk))
    decile = 1 + digit(h, 1, 10)
    in_dtsen = digit(h, 0, 10) != 0
    programmes: list[str] = []
    if in_dtsen and decile <= 3 and digit(h, 2, 2) == 0:
        programmes.append("PKH")
    if in_dtsen and decile <= 4:
        programmes.append("BPNT")
    if in_dtsen and decile <= 4 and digit(h, 3, 4) != 0:
        programmes.append("PBI_JK")
    score = min(100, 20 + 7 * decile + digit(h, 5, 30))
    poor_house = score < 50
    district, village = _place(kk[:6], h)
    return HouseholdStory(
        kk=kk,
        decile=decile,
        in_dtsen=in_dtsen,
        programmes=tuple(programmes),
        dtsen_updated=date.fromordinal(_DTSEN_BASE.toordinal() + digit(h, 10, 120)),
        surveyed=digit(h, 4, 8) != 0,
        condition_score=score,
        habitable=not poor_house,
        roof="SENG BOCOR" if poor_house else "GENTENG",
        wall="BAMBU/TRIPLEK"
        if poor_house and score < 40
        else ("TEMBOK TANPA PLESTER" if poor_house else "TEMBOK"),
        floor="TANAH" if poor_house and score < 40 else ("SEMEN" if poor_house else "KERAMIK"),
        bsps_year=2019 + digit(h, 8, 6) if digit(h, 7, 4) == 0 else None,
        address=f"{pick(h, 11, names.STREETS)} NO. {1 + digit(h, 12, 90)}",
        rt=f"{1 + digit(h, 13, 12):03d}",
        rw=f"{1 + digit(h, 14, 15):03d}",
        village=village,
        district=district,
        family_name=pick(h, 15, names.FAMILY),
    )
