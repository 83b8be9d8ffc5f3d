"""Deterministic synthetic data shared by every simulator (and by tests that predict it).

The whole story of a household is a pure function of its `household_key`, and a person's of
their NIK plus the household their NIK belongs to. Every simulator calls these functions,
so the same household tells the same story in SIKS-NG, BPJS, Dapodik, PUPR and Dukcapil.

Which household a number belongs to (`household_key`): region (digits 1-6) + the first
three serial digits (digits 13-15), for a NIK and a KK alike. Person systems only see
the NIK, household systems only the KK; both find the same household story through this
key. So any household whose KK serial and members' NIK serials start with the same three
digits (KK ...9010, members ...9011, ...9012) is coherent in every system, whatever the
dates. `family(kk)` and `demo_kk(region, block)` build such households; Dukcapil
reports `kk_of(nik)` = <region6> 010120 <serial[:3]> 0 as the registered KK.

Derivation, with h = sha256 of a label and the key, read as an integer, and
digit(h, i, n) = (h // n**i) % n (see `seed.py`):

household(kk), h = H("household", household_key(kk)):
  decile        = 1 + digit(h,1,10)                        # true welfare decile 1..10
  in_dtsen      = digit(h,0,10) != 0                       # 10% not in DTSEN -> SIKS-NG not found
  PKH           = in_dtsen and decile <= 3 and digit(h,2,2) == 0
  BPNT          = in_dtsen and decile <= 4
  PBI_JK        = in_dtsen and decile <= 4 and digit(h,3,4) != 0
  surveyed      = digit(h,4,8) != 0                        # PUPR not found otherwise
  condition     = min(100, 20 + 7*decile + digit(h,5,30))  # RTLH (not habitable) if < 50
  bsps_year     = 2019 + digit(h,8,6) if digit(h,7,4) == 0 else None

person(nik), p = H("person", nik), hh = household(kk_of(nik))  # same household_key:
  valid NIK (16 digits, real DDMMYY, serial >= 1) else unknown everywhere
  dukcapil known     = digit(p,0,20) != 0                  # else "Data Tidak Ditemukan"
  alive              = digit(p,1,50) != 0
  birth date on file = NIK date, except digit(p,2,10) == 0: 3 days later ("Tidak Sesuai")
  BPJS:  hh.PBI_JK -> PBI APBN active class 3; else by digit(p,3,5) (see `person.py`)
  education (age 7..18 at `today` only, else not in Dapodik):
         poor (hh.decile <= 4) and digit(p,4,4) == 0 -> dropped out (enrolled false)
         poor and digit(p,4,4) == 1                  -> not in Dapodik (not found)
         otherwise enrolled; KIP if in_dtsen and decile <= 4 and digit(p,5,3) != 0;
         PIP this year if KIP and digit(p,6,4) != 0
"""

from connectors.synthetic.household import HouseholdStory, household
from connectors.synthetic.nik import ParsedNik, age_on, household_key, kk_of, parse_nik
from connectors.synthetic.person import PersonStory, demo_kk, family, person
from connectors.synthetic.predict import expected_suggestions

__all__ = [
    "HouseholdStory",
    "ParsedNik",
    "PersonStory",
    "age_on",
    "demo_kk",
    "expected_suggestions",
    "family",
    "household",
    "household_key",
    "kk_of",
    "parse_nik",
    "person",
]
