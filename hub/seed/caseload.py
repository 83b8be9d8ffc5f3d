"""Synthetic cases with the timeline, sectors, subjects and referrals their status implies.

Each case walks the real workflow (hub/cases/workflow.py) from RECORD to its final status,
one event per step, so timelines, timestamps and versions agree the way the service would
have left them: the version counts the case's transactions, i.e. every event except an
AUTO_RESOLVE, which shares the transaction of the referral change that caused it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hub.cases.numbering import format_case_number
from hub.cases.status import CaseStatus as S
from hub.demo.partners import FIRST_CHOICE
from hub.demo.seed import COMPLAINTS
from hub.referrals.status import ReferralStatus as R
from hub.seed.people import SeededHousehold
from hub.vocabulary import Channel, Priority, Sector

CASE_COLUMNS = ("id", "number", "regency_code", "district_code", "village_code", "channel", "status", "priority",
                "complaint", "analysis_note", "household_id", "recorded_by", "recorder_role", "idempotency_key",
                "version", "created_at", "updated_at", "submitted_at", "referred_at", "resolved_at")
EVENT_COLUMNS = ("case_id", "at", "actor", "actor_role", "action", "from_status", "to_status", "note")
SECTOR_COLUMNS = ("case_id", "sector")
SUBJECT_COLUMNS = ("case_id", "person_id", "position")
REFERRAL_COLUMNS = ("id", "case_id", "programme_code", "partner_id", "reason", "status", "status_reason",
                    "partner_reference", "outcome", "created_by", "created_at", "updated_at", "version")
HISTORY_COLUMNS = ("referral_id", "at", "actor", "actor_role", "from_status", "to_status", "reason",
                   "partner_reference", "outcome")

# Shares observed in SLRT reports: most complaints come through facilitators and the village desk.
CHANNELS, CHANNEL_WEIGHTS = (Channel.FACILITATOR, Channel.PUSKESOS, Channel.SECRETARIAT), (55, 35, 10)
SECTORS = (Sector.SOCIAL_ASSISTANCE, Sector.HEALTH, Sector.EDUCATION, Sector.CIVIL_REGISTRATION, Sector.HOUSING,
           Sector.EMPLOYMENT, Sector.OTHER)
SECTOR_WEIGHTS = (30, 25, 15, 12, 8, 7, 3)
PRIORITIES, PRIORITY_WEIGHTS = (Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT), (10, 60, 22, 8)
# Final statuses: a young case is still early in the flow, an old one has mostly ended.
FINAL = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED, S.REVIEWED, S.REFERRED, S.RESOLVED, S.CLOSED, S.REJECTED)
YOUNG_WEIGHTS = (15, 25, 5, 15, 15, 15, 5, 0, 5)
OLD_WEIGHTS = (2, 3, 2, 3, 4, 18, 25, 36, 7)


@dataclass(slots=True)
class Batch:
    """The rows of a run of cases, one list per table, in column order."""

    cases: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    sectors: list[tuple] = field(default_factory=list)
    subjects: list[tuple] = field(default_factory=list)
    referrals: list[tuple] = field(default_factory=list)
    history: list[tuple] = field(default_factory=list)


    def tables(self) -> list[tuple[str, tuple[str, ...], list[tuple]]]:
        """Each table with its columns and rows, parents before children."""
        return [("cases", CASE_COLUMNS, self.cases), ("case_sectors", SECTOR_COLUMNS, self.sectors),
                ("case_subjects", SUBJECT_COLUMNS, self.subjects), ("case_events", EVENT_COLUMNS, self.events),
                ("referrals", REFERRAL_COLUMNS, self.referrals), ("referral_history", HISTORY_COLUMNS, self.history)]


@dataclass(slots=True)
class Numbers:
    """Case numbers per year, continuing from the stored case_number_sequences rows."""

    regency: str
    last: dict[int, int]

    def next(self, year: int) -> str:
        self.last[year] = self.last.get(year, 0) + 1
        return format_case_number(self.regency, year, self.last[year])


@dataclass(slots=True)
class _Referral:
    id: str
    code: str
    created: datetime
    updated: datetime
    status: R = R.REQUESTED
    outcome: str | None = None
    reference: str | None = None
    version: int = 1


@dataclass(slots=True)
class _Timeline:
    case_id: str
    at: datetime
    now: datetime
    rng: random.Random
    rows: list[tuple]
    version: int = 0

    def step(self, actor: str, role: str, action: str, before: S | None, after: S | None, note: str | None,
             mean_days: float = 2.0, counts: bool = True) -> datetime:
        if mean_days > 0:
            self.at = min(self.at + timedelta(days=self.rng.expovariate(1 / mean_days)), self.now)
        self.rows.append((self.case_id, self.at, actor, role, action, before.value if before else None,
                          after.value if after else None, note))
        self.version += counts
        return self.at


def make_case(rng: random.Random, new_id: Callable[[], str], household: SeededHousehold, created: datetime,
              now: datetime, number: str, partners: dict[str, str], batch: Batch) -> None:
    """Append one case and everything that hangs off it to ``batch``."""
    village, district = household.village_code, household.village_code[:6]
    channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
    recorder, role = {Channel.FACILITATOR: (f"fasilitator-{village}", "FACILITATOR"),
                      Channel.PUSKESOS: (f"puskesos-{village}", "PUSKESOS_OPERATOR"),
                      Channel.SECRETARIAT: ("front-office-3275", "FRONT_OFFICE")}[channel]
    sectors = _sectors(rng)
    complaint = next((text for text, s in COMPLAINTS if s[0] in sectors), COMPLAINTS[0][0])
    final = rng.choices(FINAL, YOUNG_WEIGHTS if (now - created).days < 30 else OLD_WEIGHTS)[0]
    cid = new_id()
    t = _Timeline(cid, created, now, rng, batch.events)
    t.step(recorder, role, "RECORD", None, S.DRAFT, None, mean_days=0)
    submitted = referred = resolved = None
    status, analysis = S.DRAFT, None
    supervisor, front, back = f"supervisor-{district}", "front-office-3275", "back-office-3275"
    if final is not S.DRAFT:
        to = S.APPROVED if channel is Channel.SECRETARIAT else S.SUBMITTED
        submitted = t.step(recorder, role, "SUBMIT", S.DRAFT, to, None, 0.5)
        status = to
    local = final is S.CLOSED and rng.random() < 0.35 or final is S.RESOLVED and rng.random() < 0.3
    if local:
        resolved = t.step(recorder, role, "RESOLVE_LOCALLY", status, S.RESOLVED, "Dibantu oleh PSKS kelurahan")
        status = S.RESOLVED
    elif final is S.RETURNED:
        t.step(supervisor, "SUPERVISOR", "RETURN", status, S.RETURNED, "Alamat belum lengkap")
        status = S.RETURNED
    elif final is S.REJECTED:
        t.step(supervisor, "SUPERVISOR", "REJECT", status, S.REJECTED, "Duplikat pengaduan sebelumnya")
        status = S.REJECTED
    elif final not in (S.DRAFT, S.SUBMITTED):
        if status is S.SUBMITTED:
            t.step(supervisor, "SUPERVISOR", "APPROVE", status, S.APPROVED, None)
            status = S.APPROVED
        if final is not S.APPROVED:
            analysis = "Memenuhi kriteria; rujuk ke program sektor"
            t.step(front, "FRONT_OFFICE", "REVIEW", status, S.REVIEWED, analysis, 3.0)
            status = S.REVIEWED
        if final in (S.REFERRED, S.RESOLVED, S.CLOSED):
            referred, resolved = _refer(rng, new_id, t, cid, sectors, final, partners, back, batch)
            status = S.RESOLVED if resolved else S.REFERRED
    if final is S.CLOSED:
        t.step(supervisor, "SUPERVISOR", "CLOSE", status, S.CLOSED, "Keluarga mengonfirmasi bantuan diterima", 7.0)
        status = S.CLOSED
    batch.cases.append((cid, number, village[:4], district, village, channel.value, status.value,
                        rng.choices(PRIORITIES, PRIORITY_WEIGHTS)[0].value, complaint, analysis, household.id,
                        recorder, role, None, t.version, created, t.at, submitted, referred, resolved))
    batch.sectors.extend((cid, s.value) for s in sectors)
    batch.subjects.append((cid, _subject(household, sectors), 0))


def _sectors(rng: random.Random) -> list[Sector]:
    first = rng.choices(SECTORS, SECTOR_WEIGHTS)[0]
    if rng.random() < 0.25:
        second = rng.choices(SECTORS, SECTOR_WEIGHTS)[0]
        if second is not first:
            return [first, second]
    return [first]


def _subject(household: SeededHousehold, sectors: Sequence[Sector]) -> str:
    if Sector.EDUCATION in sectors:
        for m in household.members:
            if 6 <= m.age <= 18:
                return m.id
    return household.members[0].id


def _refer(rng: random.Random, new_id: Callable[[], str], t: _Timeline, cid: str, sectors: list[Sector],
           final: S, partners: dict[str, str], back: str, batch: Batch) -> tuple[datetime | None, datetime | None]:
    """REFER per programme, then partner updates; the case resolves itself when one completes."""
    codes = list(dict.fromkeys(FIRST_CHOICE.get(s, "DTSEN_USULAN") for s in sectors))
    referred = None
    refs: list[_Referral] = []
    for code in codes:
        at = t.step(back, "BACK_OFFICE", "REFER", S.REVIEWED if referred is None else S.REFERRED, S.REFERRED,
                    f"{code}: Memenuhi kriteria hasil analisis", 2.0)
        referred = referred or at
        ref = _Referral(new_id(), code, at, at)
        batch.history.append((ref.id, at, back, "BACK_OFFICE", None, R.REQUESTED.value, None, None, None))
        refs.append(ref)
    end = R.COMPLETED if final is not S.REFERRED else rng.choice((R.REQUESTED, R.ACCEPTED, R.IN_PROGRESS))
    path = {R.REQUESTED: [], R.ACCEPTED: [R.ACCEPTED], R.IN_PROGRESS: [R.ACCEPTED, R.IN_PROGRESS],
            R.COMPLETED: [R.ACCEPTED, R.COMPLETED]}[end]
    resolved = None
    for ref in refs:
        partner = f"partner-{partners[ref.code]}"
        for nxt in path:
            outcome = "Bantuan telah diberikan" if nxt is R.COMPLETED else None
            at = t.step(partner, "PARTNER", f"REFERRAL_{nxt.value}", S.REFERRED, S.REFERRED, ref.code, 4.0)
            batch.history.append((ref.id, at, partner, "PARTNER", ref.status.value, nxt.value, None, None, outcome))
            ref.updated, ref.status, ref.outcome = at, nxt, outcome
            ref.reference = f"{ref.code}-{ref.id[:8]}"
            ref.version += 1
    if final is not S.REFERRED:
        resolved = t.step("system", "system", "AUTO_RESOLVE", S.REFERRED, S.RESOLVED,
                          "every referral has ended and at least one was completed", 0, counts=False)
    for ref in refs:
        batch.referrals.append((ref.id, cid, ref.code, partners[ref.code], "Memenuhi kriteria hasil analisis front office",
                                ref.status.value, None, ref.reference, ref.outcome, back, ref.created, ref.updated,
                                ref.version))
    return referred, resolved
