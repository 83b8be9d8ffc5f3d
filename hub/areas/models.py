from __future__ import annotations

from sqlalchemy import Boolean, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base
from hub.vocabulary import AreaLevel


class Area(Base):
    """A Kemendagri area; the code is stored without dots (``3275021005``)."""

    __tablename__ = "areas"

    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[AreaLevel] = mapped_column(Enum(AreaLevel, native_enum=False, length=16))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"), index=True)
    pilot_2020: Mapped[bool] = mapped_column(Boolean, default=False)
