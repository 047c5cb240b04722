"""The office's answer to a kiosk's status check: found or not, the status and service code only.

On PostgreSQL the kiosk cannot read any table for it: it runs `kiosk_status_check(number,
last4)`, a SECURITY DEFINER function of the office's database (migration 0012), which also
records the try and slows repeated wrong ones down. On SQLite (a kiosk on the office's own PC,
the demo) the same rules run here, in the caller's write transaction.

A number is a kiosk number (`KIOS-…`) or the office's request number; the phone's last 4
digits must match. A sealed submission the office has not made into a request yet answers
"tiba". A wrong number and a wrong last 4 digits answer the same: not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, or_, select, text
from sqlalchemy.engine import Connection

from dikjamila.db.models import (
    KioskSeal,
    KioskStatus,
    KioskStatusTry,
    KioskSubmission,
    Request,
)
from dikjamila.db.types import utcnow
from dikjamila.kiosk.status_words import ARRIVED
from dikjamila.kiosk.throttle import WINDOW, wait_seconds


@dataclass(frozen=True)
class OfficeAnswer:
    found: bool
    status: str = ""
    service_code: str = ""
    wait_seconds: int = 0


def check_status(conn: Connection, kiosk_role: str, number: str, last4: str) -> OfficeAnswer:
    """Ask the office (in the caller's transaction, which must commit: the try is recorded)."""
    if conn.dialect.name == "postgresql":
        row = conn.execute(text("SELECT r_found, r_status, r_service, r_wait FROM kiosk_status_check(:n, :l)"),
                           {"n": number, "l": last4}).one()
        return OfficeAnswer(bool(row[0]), row[1], row[2], int(row[3]))
    return _check_here(conn, kiosk_role, number.strip().upper(), last4.strip(), utcnow())


def _check_here(conn: Connection, who: str, number: str, last4: str, now: datetime) -> OfficeAnswer:
    tries = KioskStatusTry.__table__
    conn.execute(delete(tries).where(tries.c.kiosk_role == who, tries.c.at < now - timedelta(days=1)))
    wrong = conn.scalars(select(tries.c.at).where(tries.c.kiosk_role == who, tries.c.ok.is_(False),
                                                   tries.c.at > now - WINDOW))
    if wait := wait_seconds(wrong, now):
        return OfficeAnswer(False, wait_seconds=wait)
    found = _find(conn, number, last4) if len(last4) == 4 and last4.isdigit() and number else None
    conn.execute(insert(tries).values(kiosk_role=who, at=now, ok=found is not None))
    return OfficeAnswer(True, *found) if found else OfficeAnswer(False)


def _find(conn: Connection, number: str, last4: str) -> tuple[str, str] | None:
    status, req = KioskStatus.__table__, Request.__table__
    row = conn.execute(
        select(req.c.status, req.c.service_code).join(status, status.c.request_id == req.c.id)
        .where(or_(status.c.kiosk_number == number, status.c.request_number == number),
               status.c.phone_last4 == last4).order_by(status.c.updated_at.desc()).limit(1)).first()
    if row is not None:
        return row[0], row[1]
    row = conn.execute(select(req.c.status, req.c.service_code, req.c.applicant_phone)
                       .where(req.c.number == number)).first()
    if row is not None and row[2].endswith(last4):
        return row[0], row[1]
    sub, seal = KioskSubmission.__table__, KioskSeal.__table__
    for service, phone in conn.execute(
            select(sub.c.service_code, sub.c.applicant_phone).join(seal, seal.c.submission_uuid == sub.c.uuid)
            .where(sub.c.kiosk_number == number, sub.c.taken_at.is_(None))):
        if phone.endswith(last4):
            return ARRIVED, service
    return None
