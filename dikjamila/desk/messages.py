"""The conversation with the resident, and queueing outgoing messages in the outbox.

The outbox is a table: the desk only queues; a runner (a later issue) sends. The idempotency
key makes a double click or a retry queue one message, never two.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from dikjamila.auth.roles import Permission
from dikjamila.db.models import Message, OutboxItem
from dikjamila.db.types import utcnow
from dikjamila.desk.base import DeskBase, db_call
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

MAX_TEXT = 4096


@dataclass(frozen=True)
class ConversationEntry:
    """One line of the conversation tab: an imported/received message or a queued/sent one."""

    at: datetime
    direction: str  # "in" | "out"
    sender: str
    text: str
    state: str  # "" for received messages; the outbox state for outgoing ones
    has_document: bool


class MessageOps(DeskBase):
    @db_call
    def queue_message(self, request_id: int, text: str, *, blob_sha256: str | None = None,
                      purpose: str = "pesan") -> int:
        """Queue a WhatsApp message to the applicant. Returns the outbox item id.

        The same text for the same request and purpose is queued once (idempotency key).
        """
        self._require(Permission.EDIT_REQUEST)
        text = text.strip()
        if not text and not blob_sha256:
            raise InvalidInput(tr("Pesan kosong tidak dikirim."))
        if len(text) > MAX_TEXT:
            raise InvalidInput(tr("Pesan terlalu panjang ({n} karakter, paling banyak {max}).",
                                  n=len(text), max=MAX_TEXT))
        with self.db.writing() as session:
            req = self._load(session, request_id)
            self._ensure_holder(session, req)
            if not req.applicant_phone:
                raise InvalidInput(tr("Nomor WhatsApp pemohon belum diisi."))
            key = hashlib.sha256(f"{req.uuid}|{purpose}|{text}|{blob_sha256 or ''}".encode()).hexdigest()
            existing = session.scalar(select(OutboxItem).where(OutboxItem.idempotency_key == key))
            if existing is not None and existing.state in ("queued", "sending", "sent", "handed_over"):
                return existing.id
            item = OutboxItem(request_id=req.id, recipient=req.applicant_phone, text=text,
                              blob_sha256=blob_sha256, state="queued", idempotency_key=key,
                              created_at=utcnow(), updated_at=utcnow())
            session.add(item)
            session.flush()
            self._audit(session, "outbox.queue", "request", req.id,
                        {"outbox_id": item.id, "purpose": purpose, "length": len(text),
                         "document": bool(blob_sha256)})
            return item.id

    @db_call
    def conversation(self, request_id: int) -> list[ConversationEntry]:
        """Messages received and sent for a request, oldest first."""
        self._require(Permission.VIEW_REQUEST)
        with self.db.reading() as session:
            self._load(session, request_id)
            entries = [ConversationEntry(m.sent_at, m.direction, m.sender, m.body, "", bool(m.blob_sha256))
                       for m in session.scalars(select(Message).where(Message.request_id == request_id))]
            entries += [ConversationEntry(o.created_at, "out", self.settings.office_name, o.text, o.state,
                                          bool(o.blob_sha256))
                        for o in session.scalars(select(OutboxItem).where(OutboxItem.request_id == request_id))]
        return sorted(entries, key=lambda e: e.at)
