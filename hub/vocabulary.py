"""The SLRT vocabulary shared by every part of the hub (SPEC section 3)."""

from __future__ import annotations

from enum import Enum


class Channel(str, Enum):
    FACILITATOR = "FACILITATOR"  # fasilitator SLRT visiting the home
    PUSKESOS = "PUSKESOS"  # village social-welfare desk
    SECRETARIAT = "SECRETARIAT"  # the city's SLRT secretariat


class Sector(str, Enum):
    SOCIAL_ASSISTANCE = "SOCIAL_ASSISTANCE"
    HEALTH = "HEALTH"
    EDUCATION = "EDUCATION"
    HOUSING = "HOUSING"
    CIVIL_REGISTRATION = "CIVIL_REGISTRATION"
    EMPLOYMENT = "EMPLOYMENT"
    OTHER = "OTHER"


class Priority(str, Enum):
    LOW = "LOW"
    NORMAL = "NORMAL"
    HIGH = "HIGH"
    URGENT = "URGENT"


class Sex(str, Enum):
    M = "M"
    F = "F"


class Relationship(str, Enum):
    """Relationship to the head of the family, as on the Kartu Keluarga."""

    HEAD = "HEAD"
    SPOUSE = "SPOUSE"
    CHILD = "CHILD"
    CHILD_IN_LAW = "CHILD_IN_LAW"
    GRANDCHILD = "GRANDCHILD"
    PARENT = "PARENT"
    PARENT_IN_LAW = "PARENT_IN_LAW"
    OTHER_RELATIVE = "OTHER_RELATIVE"
    HOUSEHOLD_HELPER = "HOUSEHOLD_HELPER"
    OTHER = "OTHER"


class AreaLevel(str, Enum):
    PROVINCE = "PROVINCE"
    REGENCY = "REGENCY"
    DISTRICT = "DISTRICT"
    VILLAGE = "VILLAGE"


class ProgrammeLevel(str, Enum):
    """Who runs a programme: the city/regency, the province, the nation, or an NGO."""

    REGENCY = "REGENCY"
    PROVINCE = "PROVINCE"
    NATIONAL = "NATIONAL"
    NGO = "NGO"
