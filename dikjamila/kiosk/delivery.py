"""Store and forward: what waits at the kiosk goes to the office's inbox when the office answers.

One submission is delivered in steps, each its own transaction at the office and each
remembered here once committed there:

1. its row and the list of its files (`kiosk_submissions`, `kiosk_files`);
2. each file's bytes in chunks of at most 1 MB (`kiosk_chunks`), hashed as they are read: a
   file that no longer matches its sha256 is not sent;
3. the seal (`kiosk_seals`): everything is in. Only after the seal commits is the submission
   marked delivered here, and then its photos are deleted from the kiosk.

Every row is keyed by the submission's uuid and inserted with ON CONFLICT DO NOTHING, so a
delivery cut off anywhere — the line drops, the PC loses power between the office's commit and
ours — is simply run again: what was already there stays as it was, and the office takes a
submission (once, by its uuid) only when sealed. Surveys go the same way, one row each.

`deliver_pending` never raises for an office that cannot be reached: it says so in its report.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from dikjamila.db.models import (
    KioskChunk,
    KioskFile,
    KioskSeal,
    KioskSubmission,
    KioskSurvey,
)
from dikjamila.db.types import utcnow
from dikjamila.errors import UserError
from dikjamila.i18n import tr
from dikjamila.kiosk import local_db
from dikjamila.kiosk.office_link import OfficeUnreachable

if TYPE_CHECKING:
    from dikjamila.kiosk.station import KioskStation

log = logging.getLogger(__name__)

#: Bytes per `kiosk_chunks` row.
CHUNK_SIZE = 1024 * 1024


@dataclass
class DeliveryReport:
    """What one delivery run did. `message` (Indonesian) says why it stopped short, if it did."""

    reached: bool = False
    delivered: int = 0
    surveys: int = 0
    pending: int = 0
    message: str = ""


def deliver_pending(station: KioskStation) -> DeliveryReport:
    """Deliver every pending submission and survey, oldest first; never raises for the office."""
    report = DeliveryReport()
    try:
        role = station.office.reach()
        station.note_reached()
        report.reached = True
        for uuid in station.pending_uuids():
            try:
                _deliver(station, role, uuid)
                report.delivered += 1
            except _FileProblem as exc:  # this one cannot go as it is; the others still may
                log.warning("kiosk submission %s not delivered: %s", uuid, exc.message)
                station.note_problem(uuid, exc.message)
                report.message = exc.message
        report.surveys = _deliver_surveys(station, role)
        station.note_reached()
    except OfficeUnreachable as exc:
        report.message = exc.message
    station.remove_delivered_files()
    report.pending = station.pending_count()
    return report


class _FileProblem(UserError):
    """A file of the submission is gone or changed on the kiosk's disk."""


def _deliver(station: KioskStation, role: str, uuid: str) -> None:
    with station.db.reading() as session:
        sub = session.execute(select(local_db.submissions).where(local_db.submissions.c.uuid == uuid)).one()
        files = session.execute(select(local_db.submission_files).where(
            local_db.submission_files.c.submission_uuid == uuid).order_by(local_db.submission_files.c.file_no)).all()
    if not sub.head_sent:
        with station.office.writing() as conn:
            _insert_once(conn, KioskSubmission, [{
                "uuid": uuid, "kiosk_role": role, "kiosk_number": sub.kiosk_number, "service_code": sub.service_code,
                "applicant_name": sub.applicant_name, "applicant_phone": sub.applicant_phone,
                "applicant_nik": sub.applicant_nik, "facts_json": sub.facts_json, "created_at": sub.created_at,
                "file_count": len(files), "take_error": ""}])
            if files:
                _insert_once(conn, KioskFile, [{
                    "submission_uuid": uuid, "file_no": f.file_no, "kiosk_role": role, "document_code": f.document_code,
                    "original_name": f.original_name, "kind": f.kind, "size": f.size, "sha256": f.sha256,
                    "chunk_count": max(1, math.ceil(f.size / CHUNK_SIZE))} for f in files])
        _mark(station, local_db.submissions, local_db.submissions.c.uuid == uuid, head_sent=True)
    for f in files:
        if f.sent:
            continue
        with station.office.writing() as conn:
            _send_file(station, conn, role, uuid, f)
        table = local_db.submission_files
        _mark(station, table, (table.c.submission_uuid == uuid) & (table.c.file_no == f.file_no), sent=True)
    with station.office.writing() as conn:
        _insert_once(conn, KioskSeal, [{"submission_uuid": uuid, "kiosk_role": role, "file_count": len(files),
                                        "sealed_at": utcnow()}])
    station.mark_delivered(uuid)


def _send_file(station: KioskStation, conn: Connection, role: str, uuid: str, f) -> None:
    try:
        path = station.store.path(f.sha256)
    except UserError as exc:
        raise _FileProblem(tr("Berkas {name} dari permohonan {number} hilang dari kios.",
                              name=f.original_name, number=uuid[:8])) from exc
    digest, seq = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK_SIZE):
            digest.update(chunk)
            _insert_once(conn, KioskChunk, [{"submission_uuid": uuid, "file_no": f.file_no, "seq": seq,
                                             "kiosk_role": role, "data": chunk}])
            seq += 1
    if digest.hexdigest() != f.sha256:  # raising rolls the chunks back: nothing half-right stays there
        raise _FileProblem(tr("Berkas {name} di kios rusak (isinya berubah); tidak dikirim.", name=f.original_name))


def _deliver_surveys(station: KioskStation, role: str) -> int:
    with station.db.reading() as session:
        rows = session.execute(select(local_db.surveys).where(local_db.surveys.c.delivered_at.is_(None))
                               .order_by(local_db.surveys.c.answered_at)).all()
    for row in rows:
        scores = json.loads(row.scores_json)
        with station.office.writing() as conn:
            _insert_once(conn, KioskSurvey, [{
                "uuid": row.uuid, "kiosk_role": role, "number": row.number, "phone_last4": row.phone_last4,
                "answered_at": row.answered_at, "outcome": "", **{f"u{n}": scores[n - 1] for n in range(1, 10)}}])
        # Delivered: nothing of it is kept here (a retry after a crash finds it there already).
        with station.db.writing() as session:
            session.execute(local_db.surveys.delete().where(local_db.surveys.c.uuid == row.uuid))
    return len(rows)


def _insert_once(conn: Connection, model, rows: list[dict]) -> None:
    """INSERT … ON CONFLICT DO NOTHING: a row already there (its primary key, the tables' only
    unique key) stays as it is.

    NOTE: without a conflict target: naming one (`ON CONFLICT (uuid)`) makes PostgreSQL ask for
    SELECT on the table, which a kiosk's login does not have.
    """
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(model.__table__).values(rows).on_conflict_do_nothing())


def _mark(station: KioskStation, table, where, **values) -> None:
    with station.db.writing() as session:
        session.execute(update(table).where(where).values(**values))
