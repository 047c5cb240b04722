"""SQLAlchemy 2 models: the shape of an office's data.

Requests carry an integer id that rises with arrival: the inbox is ordered by it, keyset
paging walks it, and full-text results (rowid = id) come out already in inbox order.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from dikjamila.db.base import NAMING, Base  # noqa: F401 - re-exported

# (the kiosk inbox's tables, in their own module; re-exported so imports from here see them)
from dikjamila.db.kiosk_models import (
    KioskChunk,
    KioskFile,
    KioskSeal,
    KioskStatus,
    KioskStatusTry,
    KioskSubmission,
    KioskSurvey,
)
from dikjamila.db.types import UtcDateTime, utcnow
from dikjamila.lifecycle import Status
from dikjamila.whatsapp.outbox_state import OutboxState


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Request(Base):
    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    number: Mapped[str] = mapped_column(String(32), unique=True)
    service_code: Mapped[str] = mapped_column(String(64))
    sop_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_phone: Mapped[str] = mapped_column(String(20), default="")
    applicant_nik: Mapped[str] = mapped_column(String(16), default="")
    subject_name: Mapped[str] = mapped_column(String(200), default="")
    subject_nik: Mapped[str] = mapped_column(String(16), default="")
    kk_number: Mapped[str] = mapped_column(String(16), default="", server_default="")
    facts_json: Mapped[str] = mapped_column(Text, default="{}")
    kecamatan_code: Mapped[str] = mapped_column(String(8), default="")
    village_code: Mapped[str] = mapped_column(String(13), default="")
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(20), default=Status.BARU.value)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    # Intake: the service the resident's words suggest (service_code stays "" — "belum
    # dipilih" — until an operator confirms one), their first text, a mark for the operator
    # ("several_open", "after_close"; "" when none) and the chat-export import that made it.
    suggested_service: Mapped[str] = mapped_column(String(64), default="", server_default="")
    request_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    attention: Mapped[str] = mapped_column(String(32), default="", server_default="")
    import_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    # Service time (reports): when it first reached `terbit` (for a card: ready for pickup),
    # and the time spent in `berkas_kurang` waiting for the resident — not counted against the
    # office — with the start of the current wait while it lasts.
    issued_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, index=True)
    incomplete_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    incomplete_since: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    __table_args__ = (
        # Inbox paths: each filter column followed by id, so "newest first" is an index walk.
        Index("ix_requests_status_id", "status", "id"),
        Index("ix_requests_status_service_id", "status", "service_code", "id"),
        Index("ix_requests_service_id", "service_code", "id"),
        Index("ix_requests_assignee_id", "assignee_id", "id"),
        Index("ix_requests_channel_id", "channel", "id"),
        Index("ix_requests_kecamatan_id", "kecamatan_code", "id"),
        Index("ix_requests_received_id", "received_at", "id"),
        Index("ix_requests_due_id", "due_at", "id"),
        Index("ix_requests_status_due_id", "status", "due_at", "id"),
        Index("ix_requests_name_id", "applicant_name", "id"),
        Index("ix_requests_applicant_nik", "applicant_nik"),
        Index("ix_requests_applicant_phone", "applicant_phone"),
        Index("ix_requests_kk_number", "kk_number"),  # the inbox's duplicate mark
    )


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    blob_sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    mime: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    requirement_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # FileRole: sent by the applicant, or the document the office produced.
    role: Mapped[str] = mapped_column(String(16), default="resident")
    source: Mapped[str] = mapped_column(String(32), default="upload")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # What the file came with (its caption, the text around it): the checklist's suggestion of
    # the requirement it answers reads these. The message it came in; the import that added it.
    caption: Mapped[str] = mapped_column(Text, default="", server_default="")
    context: Mapped[str] = mapped_column(Text, default="", server_default="")
    message_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    import_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Message(Base):
    """One message of the conversation with the resident (imported or sent)."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # "in" | "out"
    sender: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    blob_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(32), default="")
    # Received over the linked device: WhatsApp's id (a replay stores nothing twice), the office
    # number it was sent to, the sender (E.164, or only a LID until an operator adds the number).
    wa_message_id: Mapped[str | None] = mapped_column(String(128), nullable=True, unique=True)
    account: Mapped[str] = mapped_column(String(20), default="", server_default="")
    sender_phone: Mapped[str] = mapped_column(String(20), default="", server_default="")
    sender_lid: Mapped[str] = mapped_column(String(64), default="", server_default="")
    push_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    quoted_wa_id: Mapped[str] = mapped_column(String(128), default="", server_default="")
    # The message's file: kept even when the checklist cannot take it (voice note, .docx, a
    # corrupt photo); file_kind is "image" | "pdf" | "other", file_note says why it is "other".
    file_name: Mapped[str] = mapped_column(String(255), default="", server_default="")
    file_mime: Mapped[str] = mapped_column(String(128), default="", server_default="")
    file_kind: Mapped[str] = mapped_column(String(16), default="", server_default="")
    file_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # An incoming message that belongs to no request waits in "Pesan masuk belum ditangani"
    # until an operator (or intake) handles it.
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # Matches an exported message to a live one or an earlier import: `message_key` of the
    # office-time minute and the text (sender compared apart: exports name contacts, not numbers).
    content_key: Mapped[str] = mapped_column(String(64), default="", server_default="", index=True)
    # Why routing put it where it is, shown in the conversation ("after_close": written after
    # the request was finished; "several_open"; "reply": answers a message the office sent).
    route_flag: Mapped[str] = mapped_column(String(32), default="", server_default="")
    import_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)

    __table_args__ = (Index("ix_messages_sender_phone", "sender_phone", "id"),
                      Index("ix_messages_unhandled", "direction", "handled_at", "id"))


class OutboxItem(Base):
    """One intended outgoing message; `state` follows `dikjamila.whatsapp.outbox_state`."""

    __tablename__ = "outbox_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), nullable=True, index=True)
    # The incoming message this answers, when it belongs to no request (yet).
    in_reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), nullable=True)
    # The item this one sends again ("Kirim lagi").
    resend_of_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_items.id"), nullable=True)
    recipient: Mapped[str] = mapped_column(String(20))
    template: Mapped[str] = mapped_column(String(32), default="", server_default="")
    text: Mapped[str] = mapped_column(Text, default="")
    blob_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    state: Mapped[str] = mapped_column(String(16), default=OutboxState.QUEUED.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    transport: Mapped[str] = mapped_column(String(32), default="")
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # The office number it goes out from ("" = the only one): a reply leaves from the number
    # the resident wrote to.
    account: Mapped[str] = mapped_column(String(20), default="", server_default="")
    document_name: Mapped[str] = mapped_column(String(255), default="", server_default="")
    # What the server acknowledged: its message id and time, and the sha256 of the bytes sent.
    wa_message_id: Mapped[str | None] = mapped_column(String(128), nullable=True, index=True)
    server_time: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    sent_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # "Tandai sudah terkirim": who said so (no WhatsApp id then).
    marked_sent_by: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # A failed item is retried by the runner at this time (backoff), never before.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # When a runner last took it to send (pacing counts these, not later receipts).
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, index=True)
    # Which run of which runner took it to send (`dikjamila.db.dialects.claimants`): at start, a
    # runner makes `uncertain` only the items left `sending` by one that is gone.
    claimed_by: Mapped[str] = mapped_column(String(96), default="", server_default="")

    __table_args__ = (Index("ix_outbox_items_state_id", "state", "id"),)


class WhatsAppLink(Base):
    """The state of one linked office number, written by its supervisor, read by every PC."""

    __tablename__ = "whatsapp_links"

    account: Mapped[str] = mapped_column(String(20), primary_key=True)
    # LinkState: starting | need_link | connected | reconnecting | banned | logged_out | stopped
    state: Mapped[str] = mapped_column(String(16), default="stopped")
    detail: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(20), default="")  # the linked number, once connected
    qr: Mapped[str] = mapped_column(Text, default="")  # the latest QR data while linking
    pair_code: Mapped[str] = mapped_column(String(16), default="")
    host: Mapped[str] = mapped_column(String(128), default="")  # the PC running the link
    pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Requests from other PCs to the supervisor ("logout", "pair:+62..."), taken by it.
    pending_command: Mapped[str] = mapped_column(String(64), default="")


class ChangeLogEntry(Base):
    """A data change other views must see (see `dikjamila.changes`); views append nothing."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(32), default="")


class AuditEvent(Base):
    """Append-only; each event carries the hash of the one before (see `dikjamila.audit`)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    summary_json: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id", "id"),)


class NumberCounter(Base):
    """Per-day counters for human request numbers (BLG-YYYYMMDD-NNNN)."""

    __tablename__ = "number_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Complaint(Base):
    """A complaint (pengaduan): recorded, assigned, resolved with an outcome the resident is told."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), nullable=True)
    phone: Mapped[str] = mapped_column(String(20), default="")
    body: Mapped[str] = mapped_column(Text)
    # "open" | "assigned" | "resolved" (labels in Indonesian where shown).
    status: Mapped[str] = mapped_column(String(16), default="open")
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # What the office did, in words the resident receives.
    resolution: Mapped[str] = mapped_column(Text, default="")
    # whatsapp | walk_in | phone | kiosk | social | other
    channel: Mapped[str] = mapped_column(String(16), default="", server_default="")
    complainant: Mapped[str] = mapped_column(String(200), default="", server_default="")
    assignee_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The incoming WhatsApp message it was made from (one complaint per message).
    message_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The outbox item that told the resident the outcome.
    notice_item_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # "selesai" (done as asked) | "dijelaskan" (explained, nothing to change) | "ditolak"
    outcome: Mapped[str] = mapped_column(String(16), default="", server_default="")

    __table_args__ = (Index("ix_complaints_message_id", "message_id", unique=True),)


class SurveyResponse(Base):
    """One IKM respondent: raw scores 1-4 for U1..U9 (PermenPANRB 14/2017)."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # One response per request: a second answer is refused (the unique index decides a race).
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), nullable=True)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    u1: Mapped[int] = mapped_column(Integer)
    u2: Mapped[int] = mapped_column(Integer)
    u3: Mapped[int] = mapped_column(Integer)
    u4: Mapped[int] = mapped_column(Integer)
    u5: Mapped[int] = mapped_column(Integer)
    u6: Mapped[int] = mapped_column(Integer)
    u7: Mapped[int] = mapped_column(Integer)
    u8: Mapped[int] = mapped_column(Integer)
    u9: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    # "operator" | "kiosk" | "whatsapp"; who typed them; the message they were read from.
    source: Mapped[str] = mapped_column(String(16), default="", server_default="")
    entered_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    message_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (Index("uq_survey_responses_request_id", "request_id", unique=True),)


class MetaValue(Base):
    """Small key/value facts about the database (e.g. the office it belongs to)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


__all__ = [
    "Attachment",
    "AuditEvent",
    "Base",
    "ChangeLogEntry",
    "Complaint",
    "Message",
    "MetaValue",
    "Note",
    "NumberCounter",
    "OutboxItem",
    "Request",
    "SurveyResponse",
    "User",
    "WhatsAppLink",
]


class Import(Base):
    """One chat-export import; a failed or cancelled one removes every row carrying its id."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # running | done | cancelled | failed
    actor_name: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    summary_json: Mapped[str] = mapped_column(Text, default="{}")


class LooseFile(Base):
    """A file found in a watched folder, in "Berkas belum ditempatkan" until placed or dismissed.

    `folder_kind` is "downloads" (WhatsApp Desktop, scanner, USB) or "siak" (issued PDFs);
    `offered_json` lists the ids of the open requests a SIAK PDF names (offered to each).
    """

    __tablename__ = "loose_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    folder_kind: Mapped[str] = mapped_column(String(16))
    source_path: Mapped[str] = mapped_column(Text)
    original_name: Mapped[str] = mapped_column(String(255))
    blob_sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    mime: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    found_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    offered_json: Mapped[str] = mapped_column(Text, default="[]")
    placed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    placed_request_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    dismissed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    __table_args__ = (UniqueConstraint("folder_kind", "blob_sha256", name="uq_loose_files_folder_kind"),
                      Index("ix_loose_files_open", "placed_at", "dismissed_at", "id"))


class Blob(Base):
    """An attachment kept in the database (setting `attachment_storage`): its sha256 and size.

    The bytes are in `blob_chunks`, so a 25 MB file is written and read 1 MB at a time. A row
    is committed only with all its chunks, checked against the sha256 (`files.db_store`).
    """

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class BlobChunk(Base):
    """One piece of a blob's bytes, in order of `seq` (0, 1, 2...)."""

    __tablename__ = "blob_chunks"

    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


__all__ += ["KioskChunk", "KioskFile", "KioskSeal", "KioskStatus", "KioskStatusTry", "KioskSubmission",
            "KioskSurvey"]
