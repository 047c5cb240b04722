"""The kiosk inbox's tables: submissions from village kiosks, their files in chunks, seals,
surveys and the status the office reports back (migration 0012; see `dikjamila.kiosk`).

Kept apart from `dikjamila.db.models`, which imports them, so that `Base.metadata` (all tables)
and `from dikjamila.db.models import KioskSubmission` both still see them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from dikjamila.db.base import Base
from dikjamila.db.types import UtcDateTime

# -- kiosk inbox (village outposts; see `dikjamila.kiosk` and migration 0012) -------------------
# A kiosk's database login may only INSERT into the first five tables (its own rows: `kiosk_role`
# must be its login, a row-level policy on PostgreSQL) and read its own rows of `kiosk_status`.
# Every row is keyed by the submission's uuid, so a delivery cut off and retried adds nothing
# twice (ON CONFLICT DO NOTHING). The office takes a submission only once its seal is there.


class KioskSubmission(Base):
    """A request handed in at a kiosk, as it arrived (the office makes a request of it once sealed)."""

    __tablename__ = "kiosk_submissions"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kiosk_role: Mapped[str] = mapped_column(String(63))
    kiosk_number: Mapped[str] = mapped_column(String(40), index=True)
    service_code: Mapped[str] = mapped_column(String(64))
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_phone: Mapped[str] = mapped_column(String(20))
    applicant_nik: Mapped[str] = mapped_column(String(16), default="")
    facts_json: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)  # when the resident submitted (kiosk clock)
    file_count: Mapped[int] = mapped_column(Integer)
    # Filled by the office: when it made the request (or why it could not).
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, index=True)
    request_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    take_error: Mapped[str] = mapped_column(Text, default="", server_default="")


class KioskFile(Base):
    """One file of a submission: what it is, and the sha256 its chunks must hash to."""

    __tablename__ = "kiosk_files"

    submission_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    file_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    kiosk_role: Mapped[str] = mapped_column(String(63))
    document_code: Mapped[str] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    chunk_count: Mapped[int] = mapped_column(Integer)


class KioskChunk(Base):
    """A piece (at most 1 MB) of a submission's file, in order of `seq`; removed once taken."""

    __tablename__ = "kiosk_chunks"

    submission_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    file_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kiosk_role: Mapped[str] = mapped_column(String(63))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class KioskSeal(Base):
    """Written last by the kiosk: every row and chunk of the submission is in."""

    __tablename__ = "kiosk_seals"

    submission_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kiosk_role: Mapped[str] = mapped_column(String(63))
    file_count: Mapped[int] = mapped_column(Integer)
    sealed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class KioskSurvey(Base):
    """IKM scores given at a kiosk for a request named by its number and the phone's last 4 digits."""

    __tablename__ = "kiosk_surveys"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kiosk_role: Mapped[str] = mapped_column(String(63))
    number: Mapped[str] = mapped_column(String(40))
    phone_last4: Mapped[str] = mapped_column(String(4))
    u1: Mapped[int] = mapped_column(Integer)
    u2: Mapped[int] = mapped_column(Integer)
    u3: Mapped[int] = mapped_column(Integer)
    u4: Mapped[int] = mapped_column(Integer)
    u5: Mapped[int] = mapped_column(Integer)
    u6: Mapped[int] = mapped_column(Integer)
    u7: Mapped[int] = mapped_column(Integer)
    u8: Mapped[int] = mapped_column(Integer)
    u9: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Filled by the office: "recorded", or why not ("not_found", "not_finished", "duplicate").
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, index=True)
    outcome: Mapped[str] = mapped_column(String(16), default="", server_default="")


class KioskStatus(Base):
    """What became of a kiosk's submission: the one table a kiosk may read (its own rows, and
    not the phone digits). Kept in step by the office's periodic kiosk intake."""

    __tablename__ = "kiosk_status"

    submission_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kiosk_role: Mapped[str] = mapped_column(String(63), index=True)
    kiosk_number: Mapped[str] = mapped_column(String(40), index=True)
    request_id: Mapped[int] = mapped_column(Integer, index=True)
    request_number: Mapped[str] = mapped_column(String(32), index=True)
    service_code: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), index=True)
    phone_last4: Mapped[str] = mapped_column(String(4))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class KioskStatusTry(Base):
    """One status check asked by a kiosk (right or wrong): repeated wrong tries are slowed down."""

    __tablename__ = "kiosk_status_tries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kiosk_role: Mapped[str] = mapped_column(String(63))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    ok: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (Index("ix_kiosk_status_tries_role_at", "kiosk_role", "at"),)
