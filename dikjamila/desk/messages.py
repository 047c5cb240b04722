"""The conversation with the resident: messages received and the outbox's items, in time order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from dikjamila.auth.roles import Permission
from dikjamila.db.models import Message, OutboxItem
from dikjamila.desk.base import DeskBase, db_call



@dataclass(frozen=True)
class ConversationEntry:
    """One line of the conversation tab: an imported/received message or a queued/sent one."""

    at: datetime
    direction: str  # "in" | "out"
    sender: str
    text: str
    state: str  # "" for received messages; the outbox state for outgoing ones
    has_document: bool
    outbox_id: int | None = None  # the outbox item, for "Coba lagi" / "Kirim lagi"
    message_id: int | None = None  # a received message (its file, a reply to it)
    file_name: str = ""
    file_kind: str = ""  # received: "image" | "pdf" | "other"
    file_note: str = ""  # why a received file is not on the checklist
    blob_sha256: str | None = None
    last_error: str = ""  # outgoing: why it failed or is uncertain
    document_name: str = ""  # outgoing: the document sent with it


class MessageOps(DeskBase):
    @db_call
    def conversation(self, request_id: int) -> list[ConversationEntry]:
        """Messages received and sent for a request, oldest first."""
        self._require(Permission.VIEW_REQUEST)
        with self.db.reading() as session:
            self._load(session, request_id)
            entries = [ConversationEntry(m.sent_at, m.direction, m.sender, m.body, "", bool(m.blob_sha256),
                                         message_id=m.id, file_name=m.file_name, file_kind=m.file_kind,
                                         file_note=m.file_note, blob_sha256=m.blob_sha256)
                       for m in session.scalars(select(Message).where(Message.request_id == request_id))]
            entries += [ConversationEntry(o.created_at, "out", self.settings.office_name, o.text, o.state,
                                          bool(o.blob_sha256), o.id, blob_sha256=o.blob_sha256,
                                          last_error=o.last_error, document_name=o.document_name)
                        for o in session.scalars(select(OutboxItem).where(OutboxItem.request_id == request_id))]
        return sorted(entries, key=lambda e: e.at)
