"""Sending the issued document, and replies, through the outbox — with the checks before.

Before an issued PDF goes out (Permendagri 109/2019: the bytes exactly as received):
- it must belong to the request: its text names the request's NIK or KK number; a PDF with no
  text layer (a scan) cannot be checked that way and needs the operator's explicit
  "sudah saya periksa" (audited);
- the operator has opened its preview (the audit shows it);
- the bytes queued are the stored issued file (its sha256).
Documents the program makes itself (receipts, notices) skip the preview rule.

Only numbers that wrote to the office, or were entered for their own request, are messaged:
a request's applicant number, or the sender of an incoming message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dikjamila.auth.roles import Permission
from dikjamila.db.models import Attachment, AuditEvent, Message, OutboxItem, Request
from dikjamila.desk.base import db_call
from dikjamila.desk.outbox_runner import OutboxRunnerOps
from dikjamila.desk.records import FileRole
from dikjamila.documents.belongs import belongs_problem
from dikjamila.errors import Conflict, InvalidInput, NotFound
from dikjamila.i18n import tr
from dikjamila.lifecycle import Status
from dikjamila.whatsapp.outbox_key import intent_key
from dikjamila.whatsapp.outbox_state import REQUEUE_FROM, OutboxState


class NeedsScanConfirmation(Conflict):
    """The PDF has no text to check: the operator must confirm "sudah saya periksa"."""


@dataclass(frozen=True)
class DocumentCheck:
    """What the editor shows about the issued PDF before it can be sent."""

    attachment_id: int | None
    problem: str | None  # it seems to be someone else's (Indonesian), or None
    has_text: bool  # False: a scan, the operator confirms by eye
    previewed: bool


class SendingOps(OutboxRunnerOps):
    @db_call
    def record_preview(self, attachment_id: int) -> None:
        """The operator opened this file's preview (personal data viewed; the send rule reads it)."""
        self._require(Permission.VIEW_REQUEST)
        with self.db.writing() as session:
            att = session.get(Attachment, attachment_id)
            if att is None:
                raise NotFound(tr("Berkas #{id} tidak ditemukan.", id=attachment_id))
            self._audit(session, "attachment.preview", "request", att.request_id,
                        {"attachment_id": att.id, "sha256": att.blob_sha256})

    @db_call
    def document_check(self, request_id: int) -> DocumentCheck:
        self._require(Permission.VIEW_REQUEST)
        with self.db.reading() as session:
            req = self._load(session, request_id)
            att = self._issued(session, req)
            if att is None:
                return DocumentCheck(None, None, False, False)
            text = self.store.inspect(att.blob_sha256).text
            return DocumentCheck(att.id, _belongs(req, text), bool(text.strip()), self._previewed(session, att))

    @db_call
    def send_issued_document(self, request_id: int, *, scan_checked: bool = False) -> int:
        """Queue the issued PDF with the "dokumen terbit" caption; returns the outbox item id."""
        self._require(Permission.EDIT_REQUEST)
        with self.db.writing() as session:
            req = self._load(session, request_id)
            self._ensure_holder(session, req)
            if req.status not in (Status.TERBIT, Status.TERKIRIM):
                raise Conflict(tr("Dokumen dikirim setelah permohonan berstatus Terbit."))
            att = self._issued(session, req)
            if att is None:
                raise Conflict(tr("Lampirkan dulu PDF dokumen yang terbit."))
            blob = self.store.inspect(att.blob_sha256, att.original_name)
            if problem := _belongs(req, blob.text):
                raise Conflict(problem)
            if not blob.text.strip():
                if not scan_checked:
                    raise NeedsScanConfirmation(tr(
                        "PDF ini hasil pindaian (tanpa teks), jadi NIK di dalamnya tidak bisa dicocokkan. "
                        "Periksa isinya, lalu konfirmasi \"sudah saya periksa\"."))
                self._audit(session, "document.scan_checked", "request", req.id,
                            {"attachment_id": att.id, "sha256": att.blob_sha256})
            if not self._previewed(session, att):
                raise Conflict(tr("Buka dulu pratinjau PDF terbit sebelum mengirimnya."))
            caption = self._caption(req)
        return self._queue_item(request_id, caption, purpose="dokumen_terbit", blob_sha256=att.blob_sha256,
                                document_name=att.original_name)

    @db_call
    def reply_to_message(self, message_id: int, text: str, *, purpose: str = "pesan") -> int:
        """Answer an incoming message (from the conversation tab or the unhandled list)."""
        self._require(Permission.EDIT_REQUEST)
        text = text.strip()
        if not text:
            raise InvalidInput(tr("Pesan kosong tidak dikirim."))
        with self.db.reading() as session:
            msg = session.get(Message, message_id)
            if msg is None or msg.direction != "in":
                raise NotFound(tr("Pesan #{id} tidak ditemukan.", id=message_id))
            if not msg.sender_phone:
                raise InvalidInput(tr("Nomor pengirim belum diketahui (WhatsApp hanya memberi ID). "
                                      "Isi nomornya dulu di permohonan."))
            if msg.request_id is not None:
                request_id = msg.request_id
            else:
                request_id = None
        if request_id is not None:
            return self.queue_message(request_id, text, purpose=purpose)
        return self._queue_reply(msg, text, purpose)

    # -- helpers ------------------------------------------------------------------------------
    def _queue_reply(self, msg: Message, text: str, purpose: str) -> int:
        with self.db.writing() as session:
            key = intent_key(request_uuid=None, in_reply_to_id=msg.id, recipient=msg.sender_phone,
                             template=purpose, text=text, document_sha256=None)
            existing = session.scalar(select(OutboxItem).where(OutboxItem.idempotency_key == key))
            if existing is not None:
                if existing.state in REQUEUE_FROM:
                    self._move(session, existing, OutboxState.QUEUED, action="outbox.retry")
                return existing.id
            item = OutboxItem(in_reply_to_id=msg.id, recipient=msg.sender_phone, template=purpose, text=text,
                              state=OutboxState.QUEUED, idempotency_key=key, account=msg.account)
            session.add(item)
            session.flush()
            self._queued(session, item, {"purpose": purpose, "in_reply_to": msg.id})
            return item.id

    def _issued(self, session: Session, req: Request) -> Attachment | None:
        return session.scalar(select(Attachment).where(
            Attachment.request_id == req.id, Attachment.role == FileRole.ISSUED, Attachment.kind == "pdf")
            .order_by(Attachment.id.desc()).limit(1))

    def _previewed(self, session: Session, att: Attachment) -> bool:
        for summary in session.scalars(select(AuditEvent.summary_json).where(
                AuditEvent.entity_type == "request", AuditEvent.entity_id == str(att.request_id),
                AuditEvent.action == "attachment.preview")):
            if json.loads(summary).get("sha256") == att.blob_sha256:
                return True
        return False

    def _caption(self, req: Request) -> str:
        service = self.catalog.get(req.service_code)
        return self._office.templates.render(
            "dokumen_terbit", nomor=req.number, layanan=service.name, nama=req.applicant_name,
            kantor=self.settings.office_name)


def _belongs(req: Request, text: str) -> str | None:
    return belongs_problem(text, niks={req.applicant_nik, req.subject_nik}, kk_number=req.kk_number)
