"""Checks of a new complaint before anything is written (SPEC section 3, issue rules)."""

from __future__ import annotations

from datetime import date

from hub.areas.codes import normalize_area_code
from hub.areas.directory import AreaDirectory
from hub.cases.commands import RecordCase, UpdateCase
from hub.cases.errors import CaseError, invalid
from hub.people.identity import check_kk, check_nik
from hub.vocabulary import Relationship

MAX_COMPLAINT = 5000
MAX_NAME = 200
MAX_ADDRESS = 500
MAX_NOTE = 5000


def check_text(value: str | None, label: str, limit: int, *path: str, required: bool = True) -> list[CaseError]:
    if value is None or not value.strip():
        return [invalid(f"{label} must not be empty", *path)] if required else []
    if len(value) > limit:
        return [invalid(f"{label} is too long ({len(value)} characters, at most {limit})", *path)]
    return []


def check_village(code: str, areas: AreaDirectory, actor_area: str | None, *path: str) -> tuple[str | None, list[CaseError]]:
    village = normalize_area_code(code)
    if village is None or not areas.is_village(village):
        return None, [invalid(f"'{code}' is not a known village (kelurahan/desa) code", *path)]
    if actor_area is not None and not village.startswith(actor_area):
        return None, [invalid("the village is outside your area", *path)]
    return village, []


def check_record(cmd: RecordCase, areas: AreaDirectory, actor_area: str | None, today: date) -> tuple[str | None, list[CaseError]]:
    """The stored village code and every problem found (all of them, not just the first)."""
    village, errors = check_village(cmd.village_code, areas, actor_area, "input", "villageCode")
    hh = cmd.household
    if problem := check_kk(hh.kk_number):
        errors.append(invalid(problem, "input", "household", "kkNumber"))
    errors += check_text(hh.address, "Address", MAX_ADDRESS, "input", "household", "address")
    for label, value in (("rt", hh.rt), ("rw", hh.rw)):
        if value is not None and (not value.isdigit() or len(value) > 3):
            errors.append(invalid(f"{label.upper()} must be up to 3 digits", "input", "household", label))
    if not hh.members:
        errors.append(invalid("A household needs at least one member", "input", "household", "members"))
    seen: set[str] = set()
    heads = 0
    for i, m in enumerate(hh.members):
        path = ("input", "household", "members", str(i))
        facts, problem = check_nik(m.nik)
        if problem:
            errors.append(invalid(problem, *path, "nik"))
        elif m.nik in seen:
            errors.append(invalid("This NIK is listed twice in the household", *path, "nik"))
        else:
            if not facts.matches_birth_date(m.birth_date):
                errors.append(invalid("Birth date does not agree with the NIK (digits 7–12)", *path, "birthDate"))
            if facts.sex is not m.sex:
                errors.append(invalid("Sex does not agree with the NIK (women have 40 added to the birth day)", *path, "sex"))
        seen.add(m.nik)
        if m.birth_date > today:
            errors.append(invalid("Birth date is in the future", *path, "birthDate"))
        errors += check_text(m.name, "Name", MAX_NAME, *path, "name")
        heads += m.relationship is Relationship.HEAD
    if heads > 1:
        errors.append(invalid("A family card has one head of the family", "input", "household", "members"))
    errors += check_subjects(cmd.subject_niks, seen)
    errors += check_text(cmd.complaint, "Complaint", MAX_COMPLAINT, "input", "complaint")
    if not cmd.sectors:
        errors.append(invalid("Name at least one sector", "input", "sectors"))
    return village, errors


def check_subjects(subject_niks: tuple[str, ...], member_niks: set[str]) -> list[CaseError]:
    errors: list[CaseError] = []
    if not subject_niks:
        errors.append(invalid("Name at least one person the complaint is about", "input", "subjectNiks"))
    for i, nik in enumerate(subject_niks):
        if nik not in member_niks:
            errors.append(invalid("This NIK is not a member of the household", "input", "subjectNiks", str(i)))
        elif nik in subject_niks[:i]:
            errors.append(invalid("This NIK is listed twice", "input", "subjectNiks", str(i)))
    return errors


def check_update(cmd: UpdateCase, member_niks: set[str]) -> list[CaseError]:
    errors: list[CaseError] = []
    if cmd.complaint is not None:
        errors += check_text(cmd.complaint, "Complaint", MAX_COMPLAINT, "input", "complaint")
    if cmd.sectors is not None and not cmd.sectors:
        errors.append(invalid("Name at least one sector", "input", "sectors"))
    if cmd.subject_niks is not None:
        errors += check_subjects(cmd.subject_niks, member_niks)
    return errors
