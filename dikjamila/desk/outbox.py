"""Queueing outgoing WhatsApp messages, and the moves of an outbox item.

The outbox is a table: the desk queues; a runner (the WhatsApp link) sends and reports. Each
item is one intended message, named by its key (`dikjamila.whatsapp.outbox_key`): queueing
the same message again — a double click, another workstation, a restart — returns the item
already there, and after `failed` or `cancelled` re-queues that same row. "Kirim lagi"
(`resend_message`) makes a new item on purpose.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dikjamila.auth.roles import Permission
from dikjamila.changes import ChangeKind
from dikjamila.db.models import Message, OutboxItem
from dikjamila.db.types import utcnow
from dikjamila.desk.base import DeskBase, db_call
from dikjamila.errors import Conflict, InvalidInput, NotFound
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone
from dikjamila.whatsapp.outbox_key import intent_key, resend_key
from dikjamila.whatsapp.outbox_state import (
    REQUEUE_FROM,
    WENT_OUT,
    OutboxState,
    label,
    require_move,
)

MAX_TEXT = 4096


@dataclass(frozen=True)
class OutboxInfo:
    id: int
    request_id: int | None
    recipient: str
    template: str
    text: str
    blob_sha256: str | None
    state: str
    attempts: int
    last_error: str
    resend_of_id: int | None
    created_at: datetime
    updated_at: datetime
    account: str = ""
    document_name: str = ""
    wa_message_id: str | None = None
    server_time: datetime | None = None
    sent_sha256: str | None = None
    marked_sent_by: str = ""
    next_attempt_at: datetime | None = None
    transport: str = ""
    in_reply_to_id: int | None = None


class OutboxOps(DeskBase):
    @db_call
    def queue_message(self, request_id: int, text: str, *, blob_sha256: str | None = None,
                      purpose: str = "pesan", document_name: str = "") -> int:
        """Queue a WhatsApp message to the applicant; returns the outbox item's id.

        The same message (request, recipient, purpose, text, document) is queued once: the
        existing item's id comes back, and an item that failed or was cancelled is queued again.
        """
        self._require(Permission.EDIT_REQUEST)
        text = text.strip()
        if not text and not blob_sha256:
            raise InvalidInput(tr("Pesan kosong tidak dikirim."))
        if len(text) > MAX_TEXT:
            raise InvalidInput(tr("Pesan terlalu panjang ({n} karakter, paling banyak {max}).",
                                  n=len(text), max=MAX_TEXT))
        return self._queue_item(request_id, text, purpose=purpose, blob_sha256=blob_sha256,
                                document_name=document_name)

    def _queue_item(self, request_id: int, text: str, *, purpose: str, blob_sha256: str | None,
                    document_name: str = "") -> int:
        try:
            return self._queue(request_id, text, blob_sha256, purpose, document_name)
        except IntegrityError:
            # Another workstation queued the same message between our read and our insert:
            # the database's unique key settled it; theirs is the one.
            return self._queue(request_id, text, blob_sha256, purpose, document_name)

    def _queue(self, request_id: int, text: str, blob_sha256: str | None, purpose: str,
               document_name: str = "") -> int:
        with self.db.writing() as session:
            req = self._load(session, request_id)
            self._ensure_holder(session, req)
            if not req.applicant_phone:
                raise InvalidInput(tr("Nomor WhatsApp pemohon belum diisi."))
            recipient = normalize_phone(req.applicant_phone).e164
            key = intent_key(request_uuid=req.uuid, in_reply_to_id=None, recipient=recipient, template=purpose,
                             text=text, document_sha256=blob_sha256)
            existing = session.scalar(select(OutboxItem).where(OutboxItem.idempotency_key == key))
            if existing is not None:
                if existing.state in REQUEUE_FROM:
                    self._move(session, existing, OutboxState.QUEUED, action="outbox.retry")
                return existing.id
            # A reply leaves from the office number the resident last wrote to.
            account = session.scalar(select(Message.account).where(
                Message.direction == "in", Message.sender_phone == recipient).order_by(Message.id.desc()).limit(1))
            item = OutboxItem(request_id=req.id, recipient=recipient, template=purpose, text=text,
                              blob_sha256=blob_sha256, state=OutboxState.QUEUED, idempotency_key=key,
                              account=account or "", document_name=document_name,
                              created_at=utcnow(), updated_at=utcnow())
            session.add(item)
            session.flush()
            self._queued(session, item, {"purpose": purpose, "length": len(text), "document": bool(blob_sha256),
                                         "sha256": blob_sha256, "to": recipient})
            return item.id

    @db_call
    def _queue_to_number(self, recipient: str, text: str, *, purpose: str, key: str) -> int:
        """Queue `text` to a bare number: no request, no message it answers (a complaint's
        outcome for a resident known only by number, the supervisor's daily audit head).

        Idempotent by `key` (any string; the same key is the same message, whatever the
        text): the existing item's id comes back as it is — an automatic caller must not
        bring back what an operator cancelled ("Coba lagi" retries a failed one). The item's
        `request_id` stays None; audited as `outbox.queue` on the entity "outbox".
        """
        recipient = normalize_phone(recipient).e164
        text = text.strip()
        if not text or len(text) > MAX_TEXT:
            raise InvalidInput(tr("Pesan kosong tidak dikirim.") if not text else tr(
                "Pesan terlalu panjang ({n} karakter, paling banyak {max}).", n=len(text), max=MAX_TEXT))
        try:
            with self.db.writing() as session:
                return queue_once(self, session, recipient=recipient, text=text, purpose=purpose, key=key).id
        except IntegrityError:
            # Another workstation queued the same key between our read and our insert: theirs is the one.
            with self.db.writing() as session:
                return queue_once(self, session, recipient=recipient, text=text, purpose=purpose, key=key).id

    @db_call
    def retry_message(self, item_id: int) -> OutboxInfo:
        """Queue a failed (or uncertain, or cancelled) message again: the same item, not a new one."""
        self._require(Permission.EDIT_REQUEST)
        with self.db.writing() as session:
            item = self._load_item(session, item_id)
            self._move(session, item, OutboxState.QUEUED, action="outbox.retry")
            return _info(item)

    @db_call
    def resend_message(self, item_id: int) -> OutboxInfo:
        """"Kirim lagi": send a message that already went out once more, as a new item.

        A double click makes one new item (its key comes from the original's)."""
        self._require(Permission.EDIT_REQUEST)
        with self.db.writing() as session:
            original = self._load_item(session, item_id)
            if original.state not in WENT_OUT:
                raise Conflict(tr("Pesan yang {state} tidak dikirim ulang dengan Kirim lagi; "
                                  "pakai Coba lagi.", state=label(original.state)))
            key = resend_key(original.idempotency_key)
            again = session.scalar(select(OutboxItem).where(OutboxItem.idempotency_key == key))
            if again is not None:
                return _info(again)
            again = OutboxItem(request_id=original.request_id, in_reply_to_id=original.in_reply_to_id,
                               resend_of_id=original.id, recipient=original.recipient, template=original.template,
                               text=original.text, blob_sha256=original.blob_sha256, state=OutboxState.QUEUED,
                               account=original.account, document_name=original.document_name,
                               idempotency_key=key, created_at=utcnow(), updated_at=utcnow())
            session.add(again)
            session.flush()
            self._queued(session, again, {"resend_of": original.id})
            return _info(again)

    @db_call
    def cancel_message(self, item_id: int) -> OutboxInfo:
        self._require(Permission.EDIT_REQUEST)
        with self.db.writing() as session:
            item = self._load_item(session, item_id)
            self._move(session, item, OutboxState.CANCELLED, action="outbox.cancel")
            return _info(item)

    @db_call
    def mark_outbox(self, item_id: int, state: str, *, error: str = "") -> OutboxInfo:
        """A sender's report: the item moved to `state` (sending, sent, failed, …).

        Moves not allowed by the state model are refused (a late `sending` cannot undo `sent`)."""
        with self.db.writing() as session:
            item = self._load_item(session, item_id)
            target = OutboxState(state)
            if target == OutboxState.SENDING:
                item.attempts += 1
            if error:
                item.last_error = error[:2000]
            self._move(session, item, target, action=f"outbox.{target.value}")
            return _info(item)

    @db_call
    def outbox_item(self, item_id: int) -> OutboxInfo:
        with self.db.reading() as session:
            return _info(self._load_item(session, item_id))

    @db_call
    def outbox_for(self, request_id: int) -> list[OutboxInfo]:
        """The outgoing messages of a request, oldest first."""
        self._require(Permission.VIEW_REQUEST)
        with self.db.reading() as session:
            return [_info(o) for o in session.scalars(
                select(OutboxItem).where(OutboxItem.request_id == request_id).order_by(OutboxItem.id))]

    # -- helpers -------------------------------------------------------------------------
    def _load_item(self, session: Session, item_id: int) -> OutboxItem:
        item = session.get(OutboxItem, item_id)
        if item is None:
            raise NotFound(tr("Pesan keluar #{id} tidak ditemukan.", id=item_id))
        if item.request_id is not None and self.actor.id is not None:
            self._ensure_holder(session, self._load(session, item.request_id))
        return item

    def _move(self, session: Session, item: OutboxItem, target: OutboxState, *, action: str) -> None:
        before = item.state
        item.state = require_move(before, target)
        item.updated_at = utcnow()
        self._changed(session, ChangeKind.OUTBOX, item.id)
        if item.request_id is not None:
            self._changed(session, ChangeKind.CONVERSATION, item.request_id)
            self._audit(session, action, "request", item.request_id,
                        {"outbox_id": item.id, "from": before, "to": target.value})

    def _queued(self, session: Session, item: OutboxItem, summary: dict) -> None:
        self._changed(session, ChangeKind.OUTBOX, item.id)
        if item.request_id is not None:
            self._changed(session, ChangeKind.CONVERSATION, item.request_id)
            self._audit(session, "outbox.queue", "request", item.request_id, {"outbox_id": item.id, **summary})


def queue_once(desk: DeskBase, session: Session, *, recipient: str, text: str, purpose: str, key: str,
               request_id: int | None = None, in_reply_to_id: int | None = None) -> OutboxItem:
    """Add an outbox item in the caller's write transaction, once per `key`.

    For messages the program queues by itself inside a larger change (a survey invitation
    when a request finishes, the answer to a survey reply, a complaint's outcome): the same
    `key` returns the item already there, in whatever state. `recipient` is E.164. The item
    leaves from the office number `recipient` last wrote to. Changes and audit as `_queue`
    (a requestless item is audited on the entity "outbox").
    """
    stored_key = hashlib.sha256(f"once\x1f{key}".encode()).hexdigest()
    existing = session.scalar(select(OutboxItem).where(OutboxItem.idempotency_key == stored_key))
    if existing is not None:
        return existing
    account = session.scalar(select(Message.account).where(
        Message.direction == "in", Message.sender_phone == recipient).order_by(Message.id.desc()).limit(1))
    item = OutboxItem(request_id=request_id, in_reply_to_id=in_reply_to_id, recipient=recipient, template=purpose,
                      text=text, state=OutboxState.QUEUED, idempotency_key=stored_key, account=account or "",
                      created_at=utcnow(), updated_at=utcnow())
    session.add(item)
    session.flush()
    summary = {"outbox_id": item.id, "purpose": purpose, "length": len(text), "to": recipient,
               "in_reply_to": in_reply_to_id}
    desk._changed(session, ChangeKind.OUTBOX, item.id)
    if request_id is not None:
        desk._changed(session, ChangeKind.CONVERSATION, request_id)
        desk._audit(session, "outbox.queue", "request", request_id, summary)
    else:
        desk._audit(session, "outbox.queue", "outbox", item.id, summary)
    return item


def _info(o: OutboxItem) -> OutboxInfo:
    return OutboxInfo(o.id, o.request_id, o.recipient, o.template, o.text, o.blob_sha256, o.state, o.attempts,
                      o.last_error, o.resend_of_id, o.created_at, o.updated_at, o.account, o.document_name,
                      o.wa_message_id, o.server_time, o.sent_sha256, o.marked_sent_by, o.next_attempt_at,
                      o.transport, o.in_reply_to_id)
