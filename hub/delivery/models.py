"""The outbox: one message per event to deliver, and one attempt row per try (SPEC section 5)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum as PyEnum

from sqlalchemy import Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, UTCDateTime, utcnow


class DeliveryState(str, PyEnum):
    QUEUED = "QUEUED"
    SENDING = "SENDING"
    DELIVERED = "DELIVERED"
    RETRYING = "RETRYING"
    DEAD = "DEAD"


# States a worker may still pick up (SENDING once its lease has run out).
PENDING_STATES = ("QUEUED", "RETRYING", "SENDING")


def new_message_id() -> str:
    import uuid

    return f"msg_{uuid.uuid4().hex}"


class DeliveryMessage(Base):
    """An event for a partner, written in the transaction that caused it.

    The id is the ``webhook-id`` of every attempt, so partners can de-duplicate. The body is
    frozen at creation: a retry sends exactly what the first attempt sent.
    """

    __tablename__ = "delivery_messages"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=new_message_id)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id"), index=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"))
    event_type: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[DeliveryState] = mapped_column(Enum(DeliveryState, native_enum=False, length=12))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Attempts made before the current round: a redelivery starts the schedule over.
    round_start: Mapped[int] = mapped_column(Integer, default=0)
    # The schedule lives in the database, so a restart continues it instead of starting over.
    # While SENDING it holds the lease's end: one "due" test covers waiting and abandoned messages.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lease_token: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    # W3C traceparent of the request that queued it (tracing on): each attempt's span links to it.
    trace_context: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        # Claiming takes the first due messages of each endpoint from this index, however
        # long the backlog of any one endpoint (hub/delivery/claims.py).
        Index("ix_delivery_messages_partner_due", "partner_id", "next_attempt_at",
              sqlite_where=state.in_(PENDING_STATES), postgresql_where=state.in_(PENDING_STATES)),
        # An endpoint's attempts in flight: only leased messages are in it, so counting them
        # at every claim stays cheap whatever waits in the retry schedule.
        Index("ix_delivery_messages_partner_sending", "partner_id", "next_attempt_at",
              sqlite_where=state == "SENDING", postgresql_where=state == "SENDING"),
    )


class DeliveryAttempt(Base):
    """One HTTP POST of a message: what came back, or what went wrong."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("delivery_messages.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(500))
    response_body: Mapped[str | None] = mapped_column(Text)  # the first 1 KiB
    worker: Mapped[str] = mapped_column(String(100))

    __table_args__ = (Index("ix_delivery_attempts_message", "message_id", "number"),)
