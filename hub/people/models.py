from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Enum, ForeignKey, Index, String, false, text
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, IdColumnType, UTCDateTime, new_id, utcnow
from hub.vocabulary import Relationship, Sex

# Relations are read through the batch loaders, never lazily from an attribute.

# A KK number or NIK is registered once; pending copies (see ``pending_move``) may repeat it.
_REGISTERED = text("NOT pending_move")


class Household(Base):
    """A *keluarga*, identified by its Kartu Keluarga (KK) number.

    ``pending_move``: this row is not the register's household but the family card *as an
    intake declared it*, because the KK is registered in an area the recorder may not see
    (hub/people/households.py). Cases of that area show this row; a supervisor or the front
    office of the area confirms the move, which merges it into the registered household
    (hub/people/moves.py).
    """

    __tablename__ = "households"

    id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True, default=new_id)
    kk_number: Mapped[str] = mapped_column(String(16), index=True)
    address: Mapped[str] = mapped_column(String(500))
    rt: Mapped[str | None] = mapped_column(String(3))
    rw: Mapped[str | None] = mapped_column(String(3))
    village_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    pending_move: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("uq_households_kk_number_registered", "kk_number", unique=True,
                            sqlite_where=_REGISTERED, postgresql_where=_REGISTERED),)


class Person(Base):
    """A household member, identified by NIK.

    ``pending_move``: the person as an intake declared them (name, relationship, family card),
    because the NIK is registered in a household of an area the recorder may not see; merged
    into the registered person when the move is confirmed.
    """

    __tablename__ = "persons"

    id: Mapped[str] = mapped_column(IdColumnType(), primary_key=True, default=new_id)
    nik: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[Sex] = mapped_column(Enum(Sex, native_enum=False, length=1))
    relationship: Mapped[Relationship] = mapped_column(Enum(Relationship, native_enum=False, length=20))
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    pending_move: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("uq_persons_nik_registered", "nik", unique=True,
                            sqlite_where=_REGISTERED, postgresql_where=_REGISTERED),)
