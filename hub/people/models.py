from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, IdColumnType, UTCDateTime, new_id, utcnow
from hub.vocabulary import Relationship, Sex

# Relations are read through the batch loaders, never lazily from an attribute.


class Household(Base):
    """A *keluarga*, identified by its Kartu Keluarga (KK) number."""

    __tablename__ = "households"

    id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True, default=new_id)
    kk_number: Mapped[str] = mapped_column(String(16), unique=True)
    address: Mapped[str] = mapped_column(String(500))
    rt: Mapped[str | None] = mapped_column(String(3))
    rw: Mapped[str | None] = mapped_column(String(3))
    village_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Person(Base):
    """A household member, identified by NIK."""

    __tablename__ = "persons"

    id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True, default=new_id)
    nik: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[Sex] = mapped_column(Enum(Sex, native_enum=False, length=1))
    relationship: Mapped[Relationship] = mapped_column(Enum(Relationship, native_enum=False, length=20))
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
