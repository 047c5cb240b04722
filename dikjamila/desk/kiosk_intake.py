"""The office takes what village kiosks delivered: each sealed submission becomes a request.

`take_kiosk_submissions` runs periodically on the PC that runs the WhatsApp link (the outbox
runner's loop, beside the daily audit head; see `whatsapp/runner.py`) and on demand as
`dikjamila kiosk take`. For each sealed submission not taken yet, in one transaction:

- a request, channel kiosk, whose uuid is the submission's (`requests.uuid` is unique: two PCs
  taking at once make one request; the loser's transaction is rolled back), numbered as any
  other, received when the resident submitted at the kiosk;
- its files as attachments on the checklist (each requirement the kiosk asked for), through the
  office's store after their sha256 is checked; a file the store refuses becomes a note;
- audit and change log, the WhatsApp message telling the resident the office's number
  (`kios_diterima`), and its row in `kiosk_status`, the one table kiosks may read.

The status rows then follow their requests: each run sets the status of every open kiosk
request that moved (one UPDATE), so no status change anywhere needs a hook of its own; the
status check itself reads the live status (migration 0012), the row is for the kiosk's own view.
Scores from kiosk surveys are recorded for the finished request they name, once.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session

from dikjamila.auth.roles import Permission, Role
from dikjamila.changes import ChangeKind
from dikjamila.db.models import (
    Attachment,
    KioskChunk,
    KioskFile,
    KioskSeal,
    KioskStatus,
    KioskSubmission,
    KioskSurvey,
    Note,
    Request,
)
from dikjamila.db.types import utcnow
from dikjamila.desk.base import db_call, mask_nik
from dikjamila.desk.intake import IntakeOps
from dikjamila.desk.kiosk_files import BrokenSubmission, TakenFile, store_files
from dikjamila.desk.outbox import queue_once
from dikjamila.desk.records import Channel, FileRole
from dikjamila.desk.survey_common import FINISHED, add_response
from dikjamila.desk.validation import clean_fields
from dikjamila.errors import PermissionDenied, UserError
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone
from dikjamila.lifecycle import CLOSED, Status

log = logging.getLogger(__name__)

RECEIVED_TEMPLATE = "kios_diterima"
#: Submissions (and surveys) taken per run; the next run takes the rest.
BATCH = 200


@dataclass(frozen=True)
class KioskTakeReport:
    """What one run did: the office numbers of the requests made, surveys recorded, problems."""

    taken: list[str] = field(default_factory=list)
    surveys: int = 0
    problems: list[str] = field(default_factory=list)


class KioskIntakeOps(IntakeOps):
    @db_call
    def take_kiosk_submissions(self) -> KioskTakeReport:
        """Make requests of the sealed kiosk submissions; see the module docstring."""
        self._require(Permission.CREATE_REQUEST)
        if self.actor.role == Role.KIOSK:
            raise PermissionDenied(tr("Kios tidak dapat mengambil kiriman kios."))
        subs, seals = KioskSubmission, KioskSeal
        with self.db.reading() as session:
            waiting = list(session.scalars(
                select(subs.uuid).join(seals, seals.submission_uuid == subs.uuid)
                .where(subs.taken_at.is_(None), subs.take_error == "").order_by(subs.created_at).limit(BATCH)))
        report = KioskTakeReport()
        for uid in waiting:
            try:
                if number := self._take_kiosk_submission(uid):
                    report.taken.append(number)
            except BrokenSubmission as exc:
                log.warning("kiosk submission %s not taken: %s", uid, exc.message)
                report.problems.append(exc.message)
                with self.db.writing() as session:
                    session.execute(update(subs).where(subs.uuid == uid).values(take_error=exc.message[:2000]))
        report = KioskTakeReport(report.taken, self._take_kiosk_surveys(), report.problems)
        with self.db.writing() as session:
            self._follow_kiosk_statuses(session)
            # Chunks of taken submissions (and of a re-delivery after the take) are not needed any more.
            session.execute(delete(KioskChunk).where(exists().where(
                KioskSubmission.uuid == KioskChunk.submission_uuid, KioskSubmission.taken_at.is_not(None))))
        return report

    # -- one submission ---------------------------------------------------------------------------
    def _take_kiosk_submission(self, uid: str) -> str | None:
        with self.db.reading() as session:
            sub = session.get(KioskSubmission, uid)
            seal = session.get(KioskSeal, uid)
            files = list(session.scalars(select(KioskFile).where(KioskFile.submission_uuid == uid)
                                         .order_by(KioskFile.file_no)))
            if not (len(files) == sub.file_count == seal.file_count):
                raise BrokenSubmission(tr("Kiriman kios {number} tidak lengkap: {n} dari {total} berkas.",
                                          number=sub.kiosk_number, n=len(files), total=sub.file_count))
            taken = store_files(session.connection(), self.store, uid, files)
        try:
            values = {"applicant_name": sub.applicant_name, "applicant_phone": sub.applicant_phone,
                      "applicant_nik": sub.applicant_nik, "facts": json.loads(sub.facts_json or "{}"),
                      "channel": Channel.KIOSK}
            if sub.service_code in self.catalog:  # else (a kiosk with other SOPs): no service chosen yet
                values["service_code"] = sub.service_code
            fields, _warnings = clean_fields(values, catalog=self.catalog)
        except (UserError, ValueError) as exc:  # a kiosk checks all this: a tampered one may not
            raise BrokenSubmission(tr("Kiriman kios {number} berisi data yang tidak sah: {reason}",
                                      number=sub.kiosk_number, reason=getattr(exc, "message", str(exc)))) from exc
        fields.setdefault("service_code", "")
        with self.db.writing() as session:
            now = utcnow()
            claimed = session.execute(update(KioskSubmission).where(
                KioskSubmission.uuid == uid, KioskSubmission.taken_at.is_(None)).values(taken_at=now)).rowcount
            if claimed != 1 or session.scalar(select(Request.id).where(Request.uuid == uid)) is not None:
                return None  # another PC took it first
            req = self._kiosk_request(session, sub, fields, taken)
            session.execute(update(KioskSubmission).where(KioskSubmission.uuid == uid).values(request_id=req.id))
            session.add(KioskStatus(submission_uuid=uid, kiosk_role=sub.kiosk_role, kiosk_number=sub.kiosk_number,
                                    request_id=req.id, request_number=req.number, service_code=req.service_code,
                                    status=req.status, phone_last4=req.applicant_phone[-4:], updated_at=now))
            session.execute(delete(KioskChunk).where(KioskChunk.submission_uuid == uid))
            self._tell_kiosk_resident(session, req, sub)
            return req.number

    def _kiosk_request(self, session: Session, sub: KioskSubmission, fields: dict, taken: list[TakenFile]) -> Request:
        received, now = sub.created_at, utcnow()
        req = Request(
            uuid=sub.uuid, number=self._next_number(session, received), service_code=fields["service_code"],
            suggested_service="" if fields["service_code"] else sub.service_code[:64],
            applicant_name=fields["applicant_name"], applicant_phone=fields.get("applicant_phone", ""),
            applicant_nik=fields.get("applicant_nik", ""),
            facts_json=json.dumps(fields.get("facts") or {}, ensure_ascii=False, default=str),
            channel=Channel.KIOSK, status=Status.BARU, received_at=received, updated_at=now,
            due_at=self._due_at(received, fields["service_code"]), row_version=1,
            request_text=tr("Diajukan di kios desa, nomor kios {number}.", number=sub.kiosk_number))
        session.add(req)
        session.flush()
        codes = {r.code: r.label for r in self.catalog.get(req.service_code).requirements} if req.service_code else {}
        for t in taken:
            if t.blob is None:
                session.add(Note(request_id=req.id, author_id=None, created_at=now, body=tr(
                    "Berkas {name} dari kios ditolak: {reason}", name=t.file.original_name, reason=t.refused)))
                continue
            code = t.file.document_code if t.file.document_code in codes else None
            session.add(Attachment(
                request_id=req.id, blob_sha256=t.blob.sha256, original_name=t.blob.original_name, kind=t.blob.kind,
                mime=t.blob.mime, size=t.blob.size, pages=t.blob.pages, requirement_code=code,
                role=FileRole.RESIDENT, source="kiosk", created_at=now, created_by=None,
                caption=codes.get(t.file.document_code, "")))
        session.flush()
        self._recheck(session, req, audit=False)
        self._changed(session, ChangeKind.REQUEST, req.id)
        self._audit(session, "request.create", "request", req.id, {
            "number": req.number, "service": req.service_code, "channel": req.channel,
            "applicant": req.applicant_name, "nik": mask_nik(req.applicant_nik), "kiosk": sub.kiosk_role,
            "kiosk_number": sub.kiosk_number, "files": [t.file.sha256 for t in taken if t.blob is not None],
            "refused": [t.file.original_name for t in taken if t.blob is None]})
        return req

    def _tell_kiosk_resident(self, session: Session, req: Request, sub: KioskSubmission) -> None:
        """Queue `kios_diterima` (the office's number for the kiosk's) once; a broken template or
        number is logged and the request still made."""
        try:
            service = self.catalog.get(req.service_code).name if req.service_code else ""
            text = self._office.templates.render(
                RECEIVED_TEMPLATE, nomor=req.number, kios=sub.kiosk_number, nama=req.applicant_name,
                layanan=service or tr("administrasi kependudukan"), kantor=self.settings.office_name)
            queue_once(self, session, recipient=normalize_phone(req.applicant_phone).e164, text=text,
                       purpose=RECEIVED_TEMPLATE, key=f"kiosk-received:{req.uuid}", request_id=req.id)
        except UserError as exc:
            log.warning("kiosk request %s: the resident's message was not queued: %s", req.number, exc.message)

    # -- statuses and surveys -------------------------------------------------------------------
    def _follow_kiosk_statuses(self, session: Session) -> None:
        """Every open kiosk request's status row set to its request's status (one statement)."""
        live = select(Request.status).where(Request.id == KioskStatus.request_id).scalar_subquery()
        session.execute(update(KioskStatus).where(
            KioskStatus.status.not_in([s.value for s in CLOSED]), KioskStatus.status != live)
            .values(status=live, updated_at=utcnow()).execution_options(synchronize_session=False))

    def _take_kiosk_surveys(self) -> int:
        with self.db.reading() as session:
            waiting = list(session.scalars(select(KioskSurvey.uuid).where(KioskSurvey.taken_at.is_(None))
                                           .order_by(KioskSurvey.answered_at).limit(BATCH)))
        recorded = 0
        for uid in waiting:
            with self.db.writing() as session:
                claimed = session.execute(update(KioskSurvey).where(
                    KioskSurvey.uuid == uid, KioskSurvey.taken_at.is_(None)).values(taken_at=utcnow())).rowcount
                if claimed != 1:
                    continue
                survey = session.get(KioskSurvey, uid)
                survey.outcome = self._record_kiosk_survey(session, survey)
                recorded += survey.outcome == "recorded"
        return recorded

    def _record_kiosk_survey(self, session: Session, survey: KioskSurvey) -> str:
        number, last4 = survey.number, survey.phone_last4
        req_id = session.scalar(select(KioskStatus.request_id).where(
            or_(KioskStatus.kiosk_number == number, KioskStatus.request_number == number),
            KioskStatus.phone_last4 == last4).limit(1))
        req = session.get(Request, req_id) if req_id is not None else \
            session.scalar(select(Request).where(Request.number == number))
        if req is None or not req.applicant_phone.endswith(last4):
            return "not_found"
        if req.status not in FINISHED:
            return "not_finished"
        scores = [getattr(survey, f"u{n}") for n in range(1, 10)]
        if add_response(self, session, req, scores, source="kiosk") is None:
            return "duplicate"
        return "recorded"

