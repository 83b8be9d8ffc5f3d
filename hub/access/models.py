"""Tables of the access domain: OAuth clients (hashed secrets only) and the append-only audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, UTCDateTime, utcnow


class OAuthClient(Base):
    """A partner system or service account that obtains tokens with client credentials."""

    __tablename__ = "oauth_clients"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Only a scrypt hash is stored; the secret itself is shown once, when it is made.
    secret_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(32))
    scopes: Mapped[str] = mapped_column(Text)  # space-separated, as in the `scope` claim
    area: Mapped[str | None] = mapped_column(String(13))
    partner_id: Mapped[str | None] = mapped_column(String(64), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    secret_rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditRecord(Base):
    """One read of an unmasked identity number: who, whose, which operation, when, from where.

    Rows are only ever inserted; the database refuses UPDATE (a trigger made by the
    migration), and the API has no path that changes or deletes them.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(32))
    client_id: Mapped[str | None] = mapped_column(String(200))
    subject_kind: Mapped[str] = mapped_column(String(3))  # NIK or KK
    subject_number: Mapped[str] = mapped_column(String(16))
    operation: Mapped[str] = mapped_column(String(200))
    client_ip: Mapped[str | None] = mapped_column(String(45))
    request_id: Mapped[str | None] = mapped_column(String(64))
    # the village of the household whose number was read, as the reader saw it (None: a reader
    # bound to no area, e.g. a partner); an AUDITOR bound to an area lists its own area's rows
    subject_area: Mapped[str | None] = mapped_column(String(10))

    __table_args__ = (Index("ix_audit_log_subject", "subject_number", "id"),
                      Index("ix_audit_log_area", "subject_area", "id"))
