"""Messages residents send to the office number: stored first, then put where they belong.

Each `incoming` event of the WhatsApp worker is stored at once, keyed by WhatsApp's message id,
so a replay or a restart stores nothing twice. Its file (already downloaded by the worker) goes
into the attachment store: a photo or PDF the checklist can take is also added to the request
as an unassigned file; anything else (a voice note, a Word file, a corrupt or oversized photo)
is kept as the message's own file, openable from the conversation, never dropped.

Then the sender's waiting messages are routed (`desk.routing`): into their open request, the
conversation of one just closed, or a new request; what routing leaves (not automatic, or a
sender known only by a LID) waits in "Pesan masuk belum ditangani".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from dikjamila.auth.roles import Permission
from dikjamila.changes import ChangeKind
from dikjamila.db.models import Message
from dikjamila.db.types import utcnow
from dikjamila.desk.base import db_call
from dikjamila.desk.routing import STAGED, RoutingOps
from dikjamila.desk.timezone import WITA
from dikjamila.errors import InvalidInput, NotFound, UserError
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone
from dikjamila.intake.chat_export.keys import content_key

log = logging.getLogger(__name__)

#: A file the checklist cannot take is still kept up to this size (WhatsApp allows 2 GB).
RAW_FILE_LIMIT = 200 * 1024 * 1024


@dataclass(frozen=True)
class IncomingInfo:
    id: int
    wa_message_id: str
    account: str
    sender_phone: str
    sender_lid: str
    push_name: str
    at: datetime
    text: str
    blob_sha256: str | None
    file_name: str
    file_kind: str  # "image" | "pdf" | "other" | ""
    file_mime: str
    file_note: str
    request_id: int | None
    handled_at: datetime | None
    stored_now: bool = True  # False: the same WhatsApp id was stored before (a replay)


@dataclass(frozen=True)
class _KeptFile:
    sha256: str | None
    name: str
    kind: str
    mime: str
    note: str
    size: int = 0
    pages: int | None = None


class IncomingOps(RoutingOps):
    @db_call
    def store_incoming(self, event: dict, *, account: str = "") -> IncomingInfo:
        """Store one `incoming` event (see `dikjamila.whatsapp.protocol`); once per message id."""
        wa_id = str(event.get("message_id") or "").strip()
        if not wa_id:
            raise InvalidInput(tr("Pesan masuk tanpa nomor pesan WhatsApp tidak bisa disimpan."))
        if event.get("file"):  # a replay must not store (and decode) its file again
            with self.db.reading() as session:
                known = session.scalar(select(Message).where(Message.wa_message_id == wa_id))
                if known is not None:
                    return _info(known, stored_now=False)
        kept = self._keep_file(event)
        try:
            return self._store(event, wa_id, account, kept)
        except IntegrityError:
            # Stored by another process between our read and our insert: theirs is the one.
            with self.db.reading() as session:
                known = session.scalar(select(Message).where(Message.wa_message_id == wa_id))
                if known is None:
                    raise
                return _info(known, stored_now=False)

    def _store(self, event: dict, wa_id: str, account: str, kept: _KeptFile) -> IncomingInfo:
        sender = _phone_or_blank(str(event.get("sender") or ""))
        at = _parse_time(event.get("at"))
        text = str(event.get("text") or "")
        with self.db.writing() as session:
            known = session.scalar(select(Message).where(Message.wa_message_id == wa_id))
            if known is not None:  # a replay (checked here for text: one transaction, not two)
                return _info(known, stored_now=False)
            msg = Message(
                request_id=None, direction="in",
                sender=str(event.get("push_name") or "")[:200] or sender or str(event.get("sender_lid") or ""),
                body=text, blob_sha256=kept.sha256, sent_at=at, source="whatsapp",
                wa_message_id=wa_id, account=account, sender_phone=sender,
                sender_lid=str(event.get("sender_lid") or "")[:64], push_name=str(event.get("push_name") or "")[:200],
                quoted_wa_id=str(event.get("quoted_id") or "")[:128], file_name=kept.name[:255],
                file_mime=kept.mime[:128], file_kind=kept.kind, file_note=kept.note,
                content_key=content_key(at.astimezone(WITA), text))
            session.add(msg)
            session.flush()
            self._changed(session, ChangeKind.MESSAGE, msg.id)
            if sender:
                auto = self.settings.intake_auto_create
                self._route_sender(session, sender, create=auto, acknowledge=auto)
            # Routed into a request, the message is in that request's "intake.route" event.
            if msg.request_id is None or msg.route_flag:
                self._audit(session, "message.receive", "message", msg.id, {
                    "wa_id": wa_id, "file": kept.name, "sha256": kept.sha256, "file_kind": kept.kind,
                    "request_id": msg.request_id})
            return _info(msg)

    def _keep_file(self, event: dict) -> _KeptFile:
        """Put the worker's downloaded file into the store; never lose it, say why it is not usable."""
        file = event.get("file") or None
        if not file:
            error = str(event.get("file_error") or "")
            note = tr("Berkas tidak bisa diunduh dari WhatsApp: {error}", error=error) if error else ""
            return _KeptFile(None, "", "", "", note)
        path = Path(str(file.get("path") or ""))
        name = str(file.get("name") or path.name or "berkas")
        mime = str(file.get("mime") or "")
        try:
            blob = self.store.put_file(path, name)
            return _KeptFile(blob.sha256, blob.original_name, blob.kind, blob.mime, "", blob.size, blob.pages)
        except UserError as refused:
            reason = refused.message
        try:
            blob = self.store.put_raw(path, name, max_bytes=RAW_FILE_LIMIT)
            return _KeptFile(blob.sha256, blob.original_name, "other", mime or blob.mime, reason, blob.size)
        except (UserError, OSError) as exc:
            # Too big even to keep in the store, or unreadable: it stays where the worker put it.
            log.warning("incoming file %s not stored", path.name, exc_info=True)
            note = tr("{reason} Berkas tetap di {path}.", reason=reason, path=path) if path.is_file() \
                else tr("Berkas tidak ditemukan: {error}", error=getattr(exc, "message", exc))
            return _KeptFile(None, name, "other", mime, note)

    # -- reading -------------------------------------------------------------------------
    @db_call
    def unhandled_messages(self, limit: int = 500) -> list[IncomingInfo]:
        """"Pesan masuk belum ditangani": received messages no request has taken yet, oldest first."""
        self._require(Permission.VIEW_INBOX)
        with self.db.reading() as session:
            rows = session.scalars(select(Message).where(
                Message.direction == "in", Message.handled_at.is_(None), Message.route_flag != STAGED)
                .order_by(Message.id).limit(limit))
            return [_info(m) for m in rows]

    @db_call
    def unhandled_count(self) -> int:
        """How many received messages wait for an operator (the status bar's count)."""
        self._require(Permission.VIEW_INBOX)
        with self.db.reading() as session:
            return session.scalar(select(func.count()).select_from(Message).where(
                Message.direction == "in", Message.handled_at.is_(None), Message.route_flag != STAGED)) or 0

    @db_call
    def set_sender_phone(self, message_id: int, phone: str) -> IncomingInfo:
        """WhatsApp named the sender only by a LID: the operator adds the number (asked by
        phone or read from the message), so the message can be answered and routed."""
        self._require(Permission.EDIT_REQUEST)
        number = normalize_phone(phone).e164
        with self.db.writing() as session:
            msg = session.get(Message, message_id)
            if msg is None or msg.direction != "in":
                raise NotFound(tr("Pesan #{id} tidak ditemukan.", id=message_id))
            before = msg.sender_phone
            msg.sender_phone = number
            if msg.request_id is None:
                auto = self.settings.intake_auto_create
                self._route_sender(session, number, create=auto, acknowledge=auto)
            self._changed(session, ChangeKind.MESSAGE, msg.id)
            self._audit(session, "message.sender_phone", "message", msg.id,
                        {"lid": msg.sender_lid, "before": before, "phone": number, "request_id": msg.request_id})
            return _info(msg)

    @db_call
    def incoming_message(self, message_id: int) -> IncomingInfo:
        self._require(Permission.VIEW_REQUEST)
        with self.db.reading() as session:
            msg = session.get(Message, message_id)
            if msg is None:
                raise NotFound(tr("Pesan #{id} tidak ditemukan.", id=message_id))
            return _info(msg)

    @db_call
    def last_incoming_at(self, phone: str) -> datetime | None:
        """When `phone` last wrote to the office (the Cloud API's 24-hour window)."""
        with self.db.reading() as session:
            return session.scalar(select(Message.sent_at).where(
                Message.direction == "in", Message.sender_phone == phone).order_by(Message.id.desc()).limit(1))


def _phone_or_blank(text: str) -> str:
    if not text:
        return ""
    try:
        return normalize_phone(text).e164
    except InvalidInput:
        log.info("incoming sender number not recognised; kept as unknown")
        return ""


def _parse_time(value) -> datetime:
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=utcnow().tzinfo)
        except ValueError:
            log.info("incoming time %r not ISO 8601; using the time it arrived", value)
    return utcnow()


def _info(m: Message, *, stored_now: bool = True) -> IncomingInfo:
    return IncomingInfo(
        id=m.id, wa_message_id=m.wa_message_id or "", account=m.account, sender_phone=m.sender_phone,
        sender_lid=m.sender_lid, push_name=m.push_name, at=m.sent_at, text=m.body, blob_sha256=m.blob_sha256,
        file_name=m.file_name, file_kind=m.file_kind, file_mime=m.file_mime, file_note=m.file_note,
        request_id=m.request_id, handled_at=m.handled_at, stored_now=stored_now)
