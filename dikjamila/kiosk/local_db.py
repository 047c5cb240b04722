"""The kiosk's own database: what waits to be delivered to the office, and a few facts.

A small SQLite file in the kiosk's data dir (`kios/kios.sqlite3`), apart from any office
database: a kiosk's settings file can be copied, so it never holds the office's data — only
what residents handed in at this kiosk and has not reached the office yet. Its own metadata
(not the office's Alembic chain): the tables are created on open and the schema version is
kept in `kiosk_meta` (`schema_version`); a newer file than this program knows is refused.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    select,
)
from sqlalchemy.orm import Session

from dikjamila.db.database import Database
from dikjamila.db.types import UtcDateTime
from dikjamila.errors import UserError
from dikjamila.i18n import tr

SCHEMA_VERSION = 1
DB_FILE = "kios.sqlite3"

metadata = MetaData()

meta = Table(
    "kiosk_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False, default=""),
)

#: One row per submission; `state` "pending" until the office's seal is committed, then
#: "delivered". `head_sent`: its row and file list are at the office; `files_removed_at`: its
#: photos were deleted here after delivery.
submissions = Table(
    "submissions", metadata,
    Column("uuid", String(36), primary_key=True),
    Column("kiosk_number", String(40), nullable=False, unique=True),
    Column("service_code", String(64), nullable=False),
    Column("facts_json", Text, nullable=False),
    Column("applicant_name", String(200), nullable=False),
    Column("applicant_phone", String(20), nullable=False),
    Column("applicant_nik", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("state", String(16), nullable=False, index=True),
    Column("head_sent", Boolean, nullable=False, default=False),
    Column("delivered_at", UtcDateTime, nullable=True),
    Column("files_removed_at", UtcDateTime, nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=False, default=""),
)

submission_files = Table(
    "submission_files", metadata,
    Column("submission_uuid", String(36), primary_key=True),
    Column("file_no", Integer, primary_key=True),
    Column("document_code", String(64), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("size", BigInteger, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("original_name", String(255), nullable=False),
    Column("sent", Boolean, nullable=False, default=False),
)

surveys = Table(
    "surveys", metadata,
    Column("uuid", String(36), primary_key=True),
    Column("number", String(40), nullable=False),
    Column("phone_last4", String(4), nullable=False),
    Column("scores_json", Text, nullable=False),
    Column("answered_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime, nullable=True, index=True),
)

#: Status checks answered here (for this kiosk's own undelivered numbers): slowed down like the office's.
status_tries = Table(
    "status_tries", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UtcDateTime, nullable=False, index=True),
    Column("ok", Boolean, nullable=False),
)

PENDING, DELIVERED = "pending", "delivered"


def open_local(folder: Path) -> Database:
    """Open (creating) the kiosk database in `folder`; InvalidInput-style UserError for a newer one."""
    folder.mkdir(parents=True, exist_ok=True)
    db = Database(f"sqlite:///{folder / DB_FILE}", run_migrations=False)
    try:
        with db.writing() as session:
            metadata.create_all(session.connection())
            stored = get_meta(session, "schema_version")
            if stored is None:
                set_meta(session, "schema_version", str(SCHEMA_VERSION))
            elif int(stored) > SCHEMA_VERSION:
                raise UserError(tr("Basis data kios {path} dibuat oleh versi program yang lebih baru; "
                                   "pasang versi terbaru Dik Jamila.", path=folder / DB_FILE))
    except BaseException:
        db.close()
        raise
    return db


def get_meta(session: Session, key: str) -> str | None:
    return session.scalar(select(meta.c.value).where(meta.c.key == key))


def set_meta(session: Session, key: str, value: str) -> None:
    if get_meta(session, key) is None:
        session.execute(meta.insert().values(key=key, value=value))
    else:
        session.execute(meta.update().where(meta.c.key == key).values(value=value))


def next_serial(session: Session) -> int:
    """The kiosk's next submission serial, in the caller's write transaction: a rollback gives
    it back, so the numbers have no gaps (the write lock makes two submits take turns)."""
    serial = int(get_meta(session, "last_serial") or 0) + 1
    set_meta(session, "last_serial", str(serial))
    return serial


def last_reached(session: Session) -> datetime | None:
    value = get_meta(session, "last_reached")
    return datetime.fromisoformat(value) if value else None


def mark_reached(session: Session, at: datetime) -> None:
    set_meta(session, "last_reached", at.isoformat())
