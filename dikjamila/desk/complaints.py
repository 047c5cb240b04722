"""Complaints (pengaduan): record, assign, resolve and tell the resident.

A complaint is typed in (any channel) or made with one click from an incoming WhatsApp
message. Whoever handles it writes what the office did; resolving tells the resident through
the outbox (`pengaduan_selesai.txt`): on the complained-about request's conversation when
there is one, else as the answer to the message it came from, else to the number recorded.
A resolved complaint never changes again.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dikjamila.auth.roles import Permission, allowed
from dikjamila.changes import ChangeKind
from dikjamila.db.models import Complaint, Message, OutboxItem, Request, User
from dikjamila.db.types import utcnow
from dikjamila.desk.base import DeskBase, db_call
from dikjamila.desk.complaint_records import (
    COMPLAINT_CHANNELS,
    COMPLAINT_OUTCOMES,
    COMPLAINT_STATUSES,
    MAX_COMPLAINT_TEXT,
    MAX_RESOLUTION,
    OUTCOME_FOR_RESIDENT,
    ComplaintInfo,
    ComplaintOutcome,
    ComplaintRatio,
    ComplaintStatus,
)
from dikjamila.desk.outbox import queue_once
from dikjamila.desk.timezone import as_instant
from dikjamila.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dikjamila.guards import MIN_REASON
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone

NOTICE = "pengaduan_selesai"


class ComplaintOps(DeskBase):
    @db_call
    def record_complaint(self, *, channel: str, text: str, request_id: int | None = None, phone: str = "",
                         complainant: str = "") -> ComplaintInfo:
        """Record a complaint typed in by staff. With a request and no phone or name given,
        the request's applicant is taken as the complainant."""
        self._require(Permission.RECORD_COMPLAINT)
        if channel not in COMPLAINT_CHANNELS:
            raise InvalidInput(tr("Saluran pengaduan {channel} tidak dikenal.", channel=channel))
        text = _clean_text(text)
        number = normalize_phone(phone).e164 if phone.strip() else ""
        complainant = " ".join(complainant.split())
        if len(complainant) > 200:
            raise InvalidInput(tr("Nama pengadu terlalu panjang (paling banyak 200 karakter)."))
        with self.db.writing() as session:
            req = self._load(session, request_id) if request_id is not None else None
            if req is not None:
                number = number or req.applicant_phone
                complainant = complainant or req.applicant_name
            complaint = Complaint(channel=channel, body=text, phone=number, complainant=complainant,
                                  request_id=request_id, status=ComplaintStatus.OPEN, received_at=utcnow(),
                                  created_by=self.actor.id)
            session.add(complaint)
            session.flush()
            self._recorded(session, complaint)
            return self._complaint_info(session, complaint)

    @db_call
    def complaint_from_message(self, message_id: int) -> ComplaintInfo:
        """"Jadikan pengaduan" on an incoming WhatsApp message: its text, number, name and
        request. Once per message: a second click returns the same complaint. A message still
        waiting in "Pesan masuk belum ditangani" is handled by it."""
        self._require(Permission.RECORD_COMPLAINT)
        try:
            return self._from_message(message_id)
        except IntegrityError:
            # Another workstation made it between our read and our insert: theirs is the one.
            return self._from_message(message_id)

    def _from_message(self, message_id: int) -> ComplaintInfo:
        with self.db.writing() as session:
            msg = session.get(Message, message_id)
            if msg is None or msg.direction != "in":
                raise NotFound(tr("Pesan #{id} tidak ditemukan.", id=message_id))
            existing = session.scalar(select(Complaint).where(Complaint.message_id == msg.id))
            if existing is not None:
                return self._complaint_info(session, existing)
            text = msg.body.strip() or tr("(Pesan tanpa teks; berkas {name})", name=msg.file_name or "-")
            complaint = Complaint(channel="whatsapp", body=text[:MAX_COMPLAINT_TEXT], phone=msg.sender_phone,
                                  complainant=(msg.push_name or msg.sender)[:200], request_id=msg.request_id,
                                  message_id=msg.id, status=ComplaintStatus.OPEN, received_at=msg.sent_at,
                                  created_by=self.actor.id)
            session.add(complaint)
            session.flush()
            if msg.handled_at is None:
                msg.handled_at, msg.route_flag = utcnow(), "complaint"
                self._changed(session, ChangeKind.MESSAGE, msg.id)
            self._recorded(session, complaint)
            return self._complaint_info(session, complaint)

    @db_call
    def assign_complaint(self, complaint_id: int, user_id: int | None) -> ComplaintInfo:
        """Give a complaint to someone (None: back to nobody). Anyone who resolves complaints
        may take one, or give back their own; anything else needs a supervisor."""
        self._require(Permission.RESOLVE_COMPLAINT)
        with self.db.writing() as session:
            complaint = self._load_complaint(session, complaint_id)
            if complaint.status == ComplaintStatus.RESOLVED:
                raise Conflict(tr("Pengaduan #{id} sudah selesai.", id=complaint.id))
            own = user_id == self.actor.id or (user_id is None and complaint.assignee_id == self.actor.id)
            if not own and not allowed(self.actor, Permission.REASSIGN):
                raise PermissionDenied(tr("Hanya supervisor yang dapat memberikan pengaduan kepada orang lain."))
            if user_id is not None:
                user, can_take = self._assignee(session, user_id, Permission.RESOLVE_COMPLAINT)
                if not can_take:
                    raise InvalidInput(tr("{name} tidak dapat menangani pengaduan.", name=user.full_name))
            before = complaint.assignee_id
            complaint.assignee_id = user_id
            complaint.status = ComplaintStatus.ASSIGNED if user_id is not None else ComplaintStatus.OPEN
            self._changed(session, ChangeKind.COMPLAINT, complaint.id)
            self._audit(session, "complaint.assign", "complaint", complaint.id, {"from": before, "to": user_id})
            return self._complaint_info(session, complaint)

    @db_call
    def resolve_complaint(self, complaint_id: int, *, outcome: str, resolution: str) -> ComplaintInfo:
        """Close a complaint with its outcome and what the office did; the resident is told
        (`notice_item_id`; None when there is no number to tell). Resolving twice is refused."""
        self._require(Permission.RESOLVE_COMPLAINT)
        if outcome not in COMPLAINT_OUTCOMES:
            raise InvalidInput(tr("Hasil pengaduan {outcome} tidak dikenal.", outcome=outcome))
        resolution = resolution.strip()
        if len(resolution) < MIN_REASON:
            raise InvalidInput(tr("Tanggapan untuk pengadu wajib diisi dengan jelas."))
        if len(resolution) > MAX_RESOLUTION:
            raise InvalidInput(tr("Tanggapan terlalu panjang ({n} karakter, paling banyak {max}).",
                                  n=len(resolution), max=MAX_RESOLUTION))
        with self.db.writing() as session:
            complaint = self._load_complaint(session, complaint_id)
            now = utcnow()
            # One conditional UPDATE: of two people resolving at once, exactly one wins.
            won = session.execute(update(Complaint).where(
                Complaint.id == complaint.id, Complaint.status != ComplaintStatus.RESOLVED).values(
                status=ComplaintStatus.RESOLVED, outcome=outcome, resolution=resolution, resolved_at=now,
                assignee_id=func.coalesce(Complaint.assignee_id, self.actor.id))
                .execution_options(synchronize_session=False))
            if cast(Any, won).rowcount != 1:
                raise Conflict(tr("Pengaduan #{id} sudah diselesaikan sebelumnya.", id=complaint.id))
            session.refresh(complaint)
            item = self._tell_resident(session, complaint)
            complaint.notice_item_id = item.id if item is not None else None
            self._changed(session, ChangeKind.COMPLAINT, complaint.id)
            self._audit(session, "complaint.resolve", "complaint", complaint.id, {
                "outcome": outcome, "resolution": resolution, "notice_item_id": complaint.notice_item_id,
                "request_id": complaint.request_id})
            return self._complaint_info(session, complaint)

    # -- reading ---------------------------------------------------------------------------
    @db_call
    def complaint(self, complaint_id: int) -> ComplaintInfo:
        self._require(Permission.RECORD_COMPLAINT)
        with self.db.reading() as session:
            return self._complaint_info(session, self._load_complaint(session, complaint_id))

    @db_call
    def complaints(self, status: str | None = None, *, limit: int = 200, offset: int = 0) -> list[ComplaintInfo]:
        """Complaints newest first, optionally of one status ("open", "assigned", "resolved")."""
        self._require(Permission.RECORD_COMPLAINT)
        if status is not None and status not in COMPLAINT_STATUSES:
            raise InvalidInput(tr("Status pengaduan {status} tidak dikenal.", status=status))
        query = (select(Complaint, Request.number, User.full_name)
                 .outerjoin(Request, Request.id == Complaint.request_id)
                 .outerjoin(User, User.id == Complaint.assignee_id)
                 .order_by(Complaint.received_at.desc(), Complaint.id.desc()))
        if status is not None:
            query = query.where(Complaint.status == status)
        with self.db.reading() as session:
            rows = session.execute(query.limit(max(0, limit)).offset(max(0, offset))).all()
            return [_info(c, number or "", name or "") for c, number, name in rows]

    @db_call
    def complaint_ratio(self, start: date | datetime, end: date | datetime) -> ComplaintRatio:
        """Complaints received in [start, end) and how many of those are resolved now.

        `received`: complaints whose `received_at` (when the office got it: the message's time
        for one made from WhatsApp) is at or after `start` and before `end`. `resolved`: those
        of them whose status is "resolved" when asked, whenever they were resolved (a report
        made later counts late answers too). A date means the whole office day (WITA) it starts.
        """
        self._require(Permission.RECORD_COMPLAINT)
        since, until = as_instant(start), as_instant(end)
        period = (Complaint.received_at >= since, Complaint.received_at < until)
        with self.db.reading() as session:
            received = session.scalar(select(func.count()).select_from(Complaint).where(*period)) or 0
            resolved = session.scalar(select(func.count()).select_from(Complaint).where(
                *period, Complaint.status == ComplaintStatus.RESOLVED)) or 0
        return ComplaintRatio(received, resolved, resolved / received if received else None)

    # -- helpers ---------------------------------------------------------------------------
    def _load_complaint(self, session: Session, complaint_id: int) -> Complaint:
        complaint = session.get(Complaint, complaint_id)
        if complaint is None:
            raise NotFound(tr("Pengaduan #{id} tidak ditemukan.", id=complaint_id))
        return complaint

    def _recorded(self, session: Session, complaint: Complaint) -> None:
        self._changed(session, ChangeKind.COMPLAINT, complaint.id)
        self._audit(session, "complaint.record", "complaint", complaint.id, {
            "channel": complaint.channel, "request_id": complaint.request_id, "message_id": complaint.message_id,
            "phone": complaint.phone, "length": len(complaint.body)})

    def _tell_resident(self, session: Session, complaint: Complaint) -> OutboxItem | None:
        """Queue the outcome: on the request's conversation, else as the answer to the message
        it came from, else to the number recorded; None when there is nobody to tell."""
        req = session.get(Request, complaint.request_id) if complaint.request_id is not None else None
        msg = session.get(Message, complaint.message_id) if complaint.message_id is not None else None
        if req is not None and req.applicant_phone:
            recipient, request_id, reply_to = req.applicant_phone, req.id, None
        elif msg is not None and msg.sender_phone:
            recipient, request_id, reply_to = msg.sender_phone, None, msg.id
        elif complaint.phone:
            recipient, request_id, reply_to = complaint.phone, None, None
        else:
            return None
        text = cast(Any, self._office).templates.render(
            NOTICE, status=tr(OUTCOME_FOR_RESIDENT[ComplaintOutcome(complaint.outcome)]), langkah=complaint.resolution,
            nama=complaint.complainant or (req.applicant_name if req is not None else ""),
            nomor=req.number if req is not None else "", kantor=self.settings.office_name)
        return queue_once(self, session, recipient=normalize_phone(recipient).e164, text=text, purpose=NOTICE,
                          key=f"complaint-outcome:{complaint.id}", request_id=request_id, in_reply_to_id=reply_to)

    @staticmethod
    def _complaint_info(session: Session, c: Complaint) -> ComplaintInfo:
        number = session.scalar(select(Request.number).where(Request.id == c.request_id)) if c.request_id else None
        assignee = session.get(User, c.assignee_id) if c.assignee_id is not None else None
        return _info(c, number or "", assignee.full_name if assignee else "")


def _info(c: Complaint, request_number: str, assignee_name: str) -> ComplaintInfo:
    return ComplaintInfo(
        id=c.id, channel=c.channel, text=c.body, phone=c.phone, complainant=c.complainant, request_id=c.request_id,
        request_number=request_number, message_id=c.message_id, status=c.status, assignee_id=c.assignee_id,
        assignee_name=assignee_name, created_by=c.created_by, received_at=c.received_at, outcome=c.outcome,
        resolution=c.resolution, resolved_at=c.resolved_at, notice_item_id=c.notice_item_id)


def _clean_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput(tr("Isi pengaduan wajib diisi."))
    if len(text) > MAX_COMPLAINT_TEXT:
        raise InvalidInput(tr("Isi pengaduan terlalu panjang ({n} karakter, paling banyak {max}).",
                              n=len(text), max=MAX_COMPLAINT_TEXT))
    return text
