"""Routing received messages: from "Pesan masuk belum ditangani" into requests (issue 8, item 1).

One sender's waiting messages are cut into submissions (`intake.bursts`), then each goes, in
this order:

1. a reply to a message the office sent (it quotes the server's id of an outbox item) joins
   that item's request and creates nothing (the survey reads its answers there);
2. a sender with one open request: added to it (its photos and PDFs onto the checklist, each
   with the caption and neighbouring text its suggestion reads);
3. with several open requests: the newest, marked for the operator ("several_open");
4. a request of the sender closed within the last 7 days: into its conversation, marked
   ("after_close", "pesan setelah selesai"); its files stay in the conversation only;
5. otherwise a new request in `baru` — automatically (a setting) or by an operator's "Buat
   permohonan" — its service "belum dipilih" ("") with the one its words suggest.

The office's own numbers create nothing; a sender known only by a LID waits for its number.
Live messages (the WhatsApp worker) and imported chats go through this same code.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dikjamila.auth.roles import Permission
from dikjamila.changes import ChangeKind
from dikjamila.db.models import Attachment, Message, OutboxItem, Request
from dikjamila.db.types import utcnow
from dikjamila.desk.base import db_call
from dikjamila.desk.intake import IntakeOps
from dikjamila.desk.records import Channel, FileRole, RequestDetail
from dikjamila.desk.survey_replies import route_survey_answer
from dikjamila.desk.timezone import WITA
from dikjamila.errors import InvalidInput, NotFound, UserError
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone
from dikjamila.intake.bursts import neighbouring_text, split_bursts
from dikjamila.intake.office_hours import is_open
from dikjamila.intake.suggest import suggest_service
from dikjamila.lifecycle import OPEN, Status
from dikjamila.whatsapp.outbox_key import intent_key
from dikjamila.whatsapp.outbox_state import OutboxState

log = logging.getLogger(__name__)

#: A message written this long after its request closed still joins that request's conversation.
AFTER_CLOSE = timedelta(days=7)
_OPEN = frozenset(s.value for s in OPEN)
#: Marked while an import is still writing: routing and the unhandled list leave it alone.
STAGED = "staged"


class Route:
    """Why a message is where it is (`Message.route_flag`, `Request.attention`)."""

    REPLY = "reply"
    SEVERAL_OPEN = "several_open"
    AFTER_CLOSE = "after_close"
    OFFICE = "office"


@dataclass
class RouteReport:
    """What one routing pass did; request ids so callers (import, UI) can count and open them."""

    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    attachments: int = 0
    left_waiting: int = 0  # messages still in "belum ditangani" (not automatic, or no number)

    def merge(self, other: RouteReport) -> None:
        self.created += [i for i in other.created if i not in self.created]
        self.updated += [i for i in other.updated if i not in self.updated and i not in self.created]
        self.attachments += other.attachments
        self.left_waiting += other.left_waiting


class RoutingOps(IntakeOps):
    @db_call
    def route_pending(self, sender_phone: str | None = None, *, create: bool | None = None) -> RouteReport:
        """Route the waiting messages (of one sender, or of all). `create` defaults to the
        `intake_auto_create` setting; an operator's pass may say True."""
        self._require(Permission.CREATE_REQUEST)
        create = self.settings.intake_auto_create if create is None else create
        report = RouteReport()
        with self.db.reading() as session:
            senders = [sender_phone] if sender_phone else list(session.scalars(
                select(Message.sender_phone).where(
                    Message.direction == "in", Message.handled_at.is_(None), Message.route_flag != STAGED,
                    Message.sender_phone != "").distinct()))
        for phone in senders:
            with self.db.writing() as session:
                report.merge(self._route_sender(session, phone, create=create, acknowledge=create))
        return report

    @db_call
    def create_request_from_message(self, message_id: int) -> RequestDetail:
        """"Buat permohonan" on a waiting message: a new request from the submission it is part of."""
        self._require(Permission.CREATE_REQUEST)
        with self.db.writing() as session:
            msg = session.get(Message, message_id)
            if msg is None or msg.direction != "in":
                raise NotFound(tr("Pesan #{id} tidak ditemukan.", id=message_id))
            if msg.handled_at is not None:
                raise InvalidInput(tr("Pesan ini sudah masuk ke permohonan."))
            waiting = self._waiting(session, msg.sender_phone, lid=msg.sender_lid if not msg.sender_phone else "")
            burst = next((b for b in split_bursts(waiting, self._window(), _sent_at) if msg in b), [msg])
            channel = Channel.IMPORT if msg.import_id else Channel.WHATSAPP
            req = self._new_request(session, burst, phone=msg.sender_phone, name=msg.push_name or msg.sender,
                                    channel=channel, import_id=None)
            self._join(session, req, burst, flag="", files=True, import_id=None)
            if msg.sender_phone:  # the sender's other waiting messages now have an open request
                self._route_sender(session, msg.sender_phone, create=False, acknowledge=False)
            return self._detail(session, req)

    @db_call
    def clear_attention(self, request_id: int) -> None:
        """The operator has seen why the request was marked (several open, written after closing)."""
        self._require(Permission.VIEW_REQUEST)
        with self.db.writing() as session:
            req = self._load(session, request_id)
            if req.attention:
                req.attention = ""
                self._changed(session, ChangeKind.REQUEST, req.id)

    # -- the rules ----------------------------------------------------------------------------
    def _route_sender(self, session: Session, phone: str, *, create: bool, acknowledge: bool,
                      channel: str = Channel.WHATSAPP, import_id: int | None = None,
                      name: str = "") -> RouteReport:
        """Route every waiting message of `phone` (or, with no phone, of the chat `name` of an
        import). Runs inside the caller's write transaction."""
        report = RouteReport()
        waiting = self._waiting(session, phone, import_id=import_id, name=name if not phone else "")
        if not waiting:
            return report
        if phone and phone in self._office_numbers():
            for msg in waiting:
                msg.handled_at, msg.route_flag = utcnow(), Route.OFFICE
            return report
        waiting = [m for m in waiting if not route_survey_answer(self, session, m)]  # an IKM answer
        waiting = [m for m in waiting if not self._route_reply(session, m, report)]
        for burst in split_bursts(waiting, self._window(), _sent_at):
            report.merge(self._route_burst(session, burst, phone=phone, create=create, acknowledge=acknowledge,
                                           channel=channel, import_id=import_id))
        return report

    def _route_reply(self, session: Session, msg: Message, report: RouteReport) -> bool:
        """Rule 1: a reply to something the office sent joins that conversation."""
        if not msg.quoted_wa_id:
            return False
        request_id = session.scalar(select(OutboxItem.request_id).where(
            OutboxItem.wa_message_id == msg.quoted_wa_id, OutboxItem.request_id.is_not(None)).limit(1))
        if request_id is None:
            return False
        msg.request_id, msg.handled_at, msg.route_flag = request_id, utcnow(), Route.REPLY
        self._changed(session, ChangeKind.CONVERSATION, request_id)
        self._audit(session, "intake.reply", "request", request_id, {"message_id": msg.id})
        return True

    def _route_burst(self, session: Session, burst: list[Message], *, phone: str, create: bool,
                     acknowledge: bool, channel: str, import_id: int | None) -> RouteReport:
        name = next((m.push_name or m.sender for m in burst if m.push_name or m.sender), "")
        requests = self._requests_of(session, phone, name, open_only=False)
        open_requests = [r for r in requests if r.status in _OPEN]
        if open_requests:
            req = open_requests[0]
            flag = Route.SEVERAL_OPEN if len(open_requests) > 1 else ""
            if flag:
                req.attention = flag
            return self._join(session, req, burst, flag=flag, files=True, import_id=import_id)
        at = burst[0].sent_at
        recent = next((r for r in requests if r.status not in _OPEN and r.closed_at is not None
                       and r.closed_at <= at <= r.closed_at + AFTER_CLOSE), None)
        if recent is not None:
            recent.attention = Route.AFTER_CLOSE
            return self._join(session, recent, burst, flag=Route.AFTER_CLOSE, files=False, import_id=import_id)
        if not create:
            return RouteReport(left_waiting=len(burst))
        req = self._new_request(session, burst, phone=phone, name=name, channel=channel, import_id=import_id)
        report = self._join(session, req, burst, flag="", files=True, import_id=import_id, touch=False)
        report.created, report.updated = [req.id], []
        if acknowledge and self.settings.intake_send_received and phone:
            self._acknowledge(session, req, burst)
        return report

    def _join(self, session: Session, req: Request, burst: Sequence[Message], *, flag: str, files: bool,
              import_id: int | None, touch: bool = True) -> RouteReport:
        """Put the burst into `req`'s conversation; its photos and PDFs onto the checklist."""
        now = utcnow()
        texts = [m.body for m in burst]
        known = set(session.scalars(select(Attachment.blob_sha256).where(Attachment.request_id == req.id)))
        added: list[str] = []
        for index, msg in enumerate(burst):
            msg.request_id, msg.handled_at = req.id, now
            msg.route_flag = flag or msg.route_flag
            if files and msg.blob_sha256 and msg.file_kind in ("image", "pdf") and msg.blob_sha256 not in known:
                known.add(msg.blob_sha256)
                blob = self.store.facts(msg.blob_sha256, msg.file_name)
                session.add(Attachment(
                    request_id=req.id, blob_sha256=msg.blob_sha256, original_name=msg.file_name or blob.original_name,
                    kind=blob.kind, mime=blob.mime, size=blob.size, pages=blob.pages, requirement_code=None,
                    role=FileRole.RESIDENT, source=msg.source or "whatsapp", created_at=now, created_by=None,
                    caption=msg.body, context=neighbouring_text(texts, index), message_id=msg.id,
                    import_id=import_id))
                added.append(msg.blob_sha256)
        if added:
            self._recheck(session, req)
        if touch:  # (a request made just now is new to every watcher already)
            self._touch(req)
        self._audit(session, "intake.route", "request", req.id, {
            "messages": [m.id for m in burst], "wa_ids": [m.wa_message_id for m in burst if m.wa_message_id],
            "files": added, "flag": flag, "import_id": import_id})
        return RouteReport(updated=[req.id], attachments=len(added))

    def _new_request(self, session: Session, burst: Sequence[Message], *, phone: str, name: str, channel: str,
                     import_id: int | None) -> Request:
        text = "\n".join(m.body for m in burst if m.body.strip())
        suggestion = suggest_service(text, self.catalog) if text else None
        received = burst[0].sent_at
        first_text = next((m.body.strip() for m in burst if m.body.strip() and not m.blob_sha256), text)
        req = Request(
            number=self._next_number(session, received), service_code="",
            suggested_service=suggestion.code if suggestion else "",
            applicant_name=" ".join(name.split())[:200] or phone or tr("Warga (nama belum diketahui)"),
            applicant_phone=phone, channel=channel, status=Status.BARU, received_at=received, updated_at=utcnow(),
            due_at=self._due_at(received, ""), row_version=1,
            facts_json="{}", request_text=first_text[:4000], import_id=import_id)
        session.add(req)
        session.flush()
        self._changed(session, ChangeKind.REQUEST, req.id)
        self._audit(session, "request.create", "request", req.id, {
            "number": req.number, "service": "", "suggested_service": req.suggested_service,
            "channel": channel, "applicant": req.applicant_name, "from_messages": [m.id for m in burst],
            "import_id": import_id})
        return req

    def _acknowledge(self, session: Session, req: Request, burst: Sequence[Message]) -> None:
        """Queue "permohonan diterima" (in office hours) or "di luar jam layanan" to the resident."""
        arrived = burst[-1].sent_at.astimezone(WITA).replace(tzinfo=None)
        try:
            templates = self._office.templates
            if is_open(self.settings.office_hours, arrived, self.calendar):
                service = self.catalog.get(req.suggested_service).name if req.suggested_service else ""
                purpose, text = "permohonan_diterima", templates.render(
                    "permohonan_diterima", nomor=req.number, layanan=service or tr("administrasi kependudukan"),
                    nama=req.applicant_name, kantor=self.settings.office_name)
            else:
                purpose, text = "di_luar_jam", templates.render(
                    "di_luar_jam", nama=req.applicant_name, kantor=self.settings.office_name)
        except UserError as exc:  # a broken template override or office-hours setting: log, do not lose the request
            log.warning("automatic reply to request %s not queued: %s", req.id, exc.message)
            return
        key = intent_key(request_uuid=req.uuid, in_reply_to_id=None, recipient=req.applicant_phone,
                         template=purpose, text=text, document_sha256=None)
        item = OutboxItem(request_id=req.id, recipient=req.applicant_phone, template=purpose, text=text,
                          state=OutboxState.QUEUED, idempotency_key=key, account=burst[-1].account,
                          created_at=utcnow(), updated_at=utcnow())
        session.add(item)
        # (watchers of the outbox only ask whether it changed: the request's id names it, no flush needed)
        self._changed(session, ChangeKind.OUTBOX, f"r{req.id}")
        self._audit(session, "outbox.queue", "request", req.id, {"purpose": purpose, "to": req.applicant_phone,
                                                                  "automatic": True})

    # -- lookups ------------------------------------------------------------------------------
    def _waiting(self, session: Session, phone: str, *, import_id: int | None = None, name: str = "",
                 lid: str = "") -> list[Message]:
        """The sender's received messages no request has taken, oldest first."""
        stmt = select(Message).where(Message.direction == "in", Message.handled_at.is_(None))
        if import_id is not None:
            stmt = stmt.where(Message.import_id == import_id)
        else:
            stmt = stmt.where(Message.route_flag != STAGED)
        if phone:
            stmt = stmt.where(Message.sender_phone == phone)
        elif lid:
            stmt = stmt.where(Message.sender_phone == "", Message.sender_lid == lid)
        elif name:
            stmt = stmt.where(Message.sender_phone == "", Message.sender == name)
        else:
            return []
        return list(session.scalars(stmt.order_by(Message.sent_at, Message.id)))

    def _requests_of(self, session: Session, phone: str, name: str, *, open_only: bool) -> list[Request]:
        """The sender's requests, newest first: by number, or (an exported chat with no number)
        by the contact's name on requests that have no number either."""
        stmt = select(Request)
        if phone:
            stmt = stmt.where(Request.applicant_phone == phone)
        elif name:
            stmt = stmt.where(Request.applicant_phone == "", Request.applicant_name == " ".join(name.split()))
        else:
            return []
        if open_only:
            stmt = stmt.where(Request.status.in_([s.value for s in OPEN]))
        return list(session.scalars(stmt.order_by(Request.id.desc()).limit(20)))

    def _window(self) -> timedelta:
        return timedelta(minutes=self.settings.intake_window_minutes)

    def _office_numbers(self) -> set[str]:
        numbers = set()
        for text in self.settings.whatsapp_numbers:
            try:
                numbers.add(normalize_phone(text).e164)
            except InvalidInput:
                log.info("an office number in settings is not a phone number; ignored")
        return numbers


def _sent_at(message: Message) -> datetime:
    return message.sent_at
