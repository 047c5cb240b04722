"""Generated paperwork: receipts, berkas-kurang notices, archive bundles; sending them.

A generated document shows personal data, so making one is audited (`document.receipt`,
`document.notice`, `document.bundle`, with its sha256). The PDF is built outside any
database session: the data is read in one short session, the audit written in another.

Receipts and notices are deterministic for the same request state (see their modules), so
"Kirim ke WhatsApp" twice stores one blob and the outbox's key (request, recipient, purpose,
caption, document sha256) finds the item already queued.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from dikjamila import audit
from dikjamila.auth.roles import Permission, Role
from dikjamila.db.models import Attachment, Request
from dikjamila.db.types import utcnow
from dikjamila.desk.base import db_call
from dikjamila.desk.completeness import CompletenessOps
from dikjamila.desk.outbox import OutboxOps
from dikjamila.desk.records import CHANNEL_LABELS, CHANNELS, Channel, FileRole
from dikjamila.desk.timezone import WITA
from dikjamila.errors import Conflict, InvalidInput, UserError
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone
from dikjamila.lifecycle import label as status_label

if TYPE_CHECKING:  # the PDF builders load fpdf2 and its fonts: imported when a PDF is made, not at start
    from dikjamila.documents.bundle import BundleFile, BundleHeader
    from dikjamila.documents.notice import NoticeData
    from dikjamila.documents.receipt import ReceiptData

RECEIPT_PURPOSE = "tanda_terima"
NOTICE_PURPOSE = "pemberitahuan_kurang"
# Bundles up to this size stay in memory while written; bigger ones spill to a temp file.
_SPOOL_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class GeneratedPdf:
    """A PDF the program made: what to show, print, save or send."""

    file_name: str  # e.g. "tanda-terima-BLG-20261201-0001.pdf"
    data: bytes
    sha256: str
    pages: int


def _generated(file_name: str, data: bytes, pages: int | None = None) -> GeneratedPdf:
    if pages is None:
        from pypdf import PdfReader  # (~0.1 s to import: loaded when a PDF is stored)

        pages = len(PdfReader(io.BytesIO(data)).pages)
    return GeneratedPdf(file_name, data, hashlib.sha256(data).hexdigest(), pages)


def _display_phone(raw: str) -> str:
    if not raw:
        return "-"
    try:
        return normalize_phone(raw).display
    except UserError:
        return raw


def _channel_label(channel: str) -> str:
    return CHANNEL_LABELS[Channel(channel)] if channel in CHANNELS else channel


class PaperworkOps(CompletenessOps, OutboxOps):
    # -- making ---------------------------------------------------------------------------------
    @db_call
    def receipt_pdf(self, request_id: int) -> GeneratedPdf:
        """The receipt (tanda terima) of the request. A kiosk may make it for its own request."""
        from dikjamila.documents.receipt import build_receipt

        self._require_view_or_own_kiosk()
        with self.db.reading() as session:
            req = self._load(session, request_id)
            self._ensure_kiosk_owns(session, req)
            data = self._receipt_data(session, req)
        doc = _generated(f"tanda-terima-{data.number}.pdf", build_receipt(data))
        self._audit_document("document.receipt", request_id, doc)
        return doc

    @db_call
    def notice_pdf(self, request_id: int) -> GeneratedPdf:
        """The missing-documents notice. Refused when nothing is missing."""
        from dikjamila.documents.notice import build_missing_notice

        self._require_view_or_own_kiosk()
        with self.db.reading() as session:
            req = self._load(session, request_id)
            self._ensure_kiosk_owns(session, req)
            data = self._notice_data(session, req)
        doc = _generated(f"pemberitahuan-berkas-kurang-{data.number}.pdf", build_missing_notice(data))
        self._audit_document("document.notice", request_id, doc)
        return doc

    @db_call
    def bundle_pdf(self, request_id: int) -> GeneratedPdf:
        """The archive bundle: a cover listing every file, then each photo and PDF page."""
        from dikjamila.documents.bundle import build_archive_bundle

        self._require(Permission.VIEW_REQUEST)
        with self.db.reading() as session:
            req = self._load(session, request_id)
            header, files = self._bundle_parts(session, req)
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
            pages = build_archive_bundle(header, files, spool, max_pixels=self.store.max_pixels)
            spool.seek(0)
            data = spool.read()
        doc = _generated(f"arsip-{header.number}.pdf", data, pages)
        self._audit_document("document.bundle", request_id, doc)
        return doc

    # -- sending --------------------------------------------------------------------------------
    @db_call
    def send_receipt(self, request_id: int) -> int:
        """Queue the receipt PDF to the applicant's WhatsApp; returns the outbox item's id.
        Sending the same receipt again returns the item already queued."""
        self._require(Permission.EDIT_REQUEST)
        doc = self.receipt_pdf(request_id)
        caption = tr("Tanda terima permohonan {number}. Simpan untuk menanyakan status permohonan.",
                     number=doc.file_name.removeprefix("tanda-terima-").removesuffix(".pdf"))
        return self._queue_document(request_id, doc, caption, RECEIPT_PURPOSE)

    @db_call
    def send_notice(self, request_id: int) -> int:
        """Queue the missing-documents notice PDF; returns the outbox item's id (once per state)."""
        self._require(Permission.EDIT_REQUEST)
        doc = self.notice_pdf(request_id)
        number = doc.file_name.removeprefix("pemberitahuan-berkas-kurang-").removesuffix(".pdf")
        caption = tr("Pemberitahuan kekurangan berkas permohonan {number}. Mohon lengkapi berkas "
                     "yang disebutkan di dalamnya.", number=number)
        return self._queue_document(request_id, doc, caption, NOTICE_PURPOSE)

    # -- helpers --------------------------------------------------------------------------------
    def _require_view_or_own_kiosk(self) -> None:
        # The kiosk prints the receipt of the request it just made (`_ensure_kiosk_owns`).
        if self.actor.role != Role.KIOSK:
            self._require(Permission.VIEW_REQUEST)

    def _queue_document(self, request_id: int, doc: GeneratedPdf, caption: str, purpose: str) -> int:
        blob = self.store.put_bytes(doc.data, doc.file_name)
        return self._queue_item(request_id, caption, purpose=purpose, blob_sha256=blob.sha256,
                                document_name=doc.file_name)

    def _audit_document(self, action: str, request_id: int, doc: GeneratedPdf) -> None:
        with self.db.writing() as session:
            self._audit(session, action, "request", request_id,
                        {"name": doc.file_name, "sha256": doc.sha256, "pages": doc.pages})

    def _service(self, req: Request):
        if not req.service_code:
            raise InvalidInput(tr("Layanan permohonan {number} belum dipilih; pilih dulu layanannya.",
                                  number=req.number))
        return self.catalog.get(req.service_code)

    def _office_whatsapp(self) -> str:
        numbers = self.settings.whatsapp_numbers
        return _display_phone(numbers[0]) if numbers else ""

    def _resident_files(self, session: Session, req: Request) -> list[Attachment]:
        return list(session.scalars(select(Attachment).where(
            Attachment.request_id == req.id, Attachment.role == FileRole.RESIDENT).order_by(Attachment.id)))

    def _sop_or_none(self, req: Request):
        """The request's SOP; None while no service is chosen, or for a code no longer known."""
        try:
            return self.catalog.get(req.service_code) if req.service_code else None
        except UserError:
            return None

    def _service_name(self, req: Request, sop) -> str:
        return sop.name if sop else (req.service_code or tr("(belum dipilih)"))

    def _receipt_data(self, session: Session, req: Request) -> ReceiptData:
        from dikjamila.documents.receipt import ReceiptData, ReceivedFile

        # A receipt is given even before the service is chosen (an intake from WhatsApp).
        sop = self._sop_or_none(req)
        labels = {r.code: r.label for r in sop.requirements} if sop else {}
        files = tuple(ReceivedFile(labels.get(a.requirement_code or "", ""), a.original_name, a.created_at)
                      for a in self._resident_files(session, req))
        return ReceiptData(
            office_name=self.settings.office_name, office_address=self.settings.office_address,
            number=req.number, received_at=req.received_at, applicant_name=req.applicant_name,
            applicant_phone=_display_phone(req.applicant_phone), service_name=self._service_name(req, sop),
            channel=_channel_label(req.channel), due_at=req.due_at, files=files,
            office_whatsapp=self._office_whatsapp(), pickup=bool(sop and sop.ends_in_pickup))

    def _notice_data(self, session: Session, req: Request) -> NoticeData:
        from dikjamila.documents.notice import NoticeData, missing_lines

        sop = self._service(req)
        today = utcnow().astimezone(WITA).date()
        report = self._report(session, req, sop, as_of=today)
        if report.complete:
            raise Conflict(tr("Berkas permohonan {number} sudah lengkap; tidak ada yang perlu "
                              "diberitahukan.", number=req.number))
        return NoticeData(
            office_name=self.settings.office_name, office_address=self.settings.office_address,
            number=req.number, applicant_name=req.applicant_name, service_name=sop.name,
            received_at=req.received_at, notice_date=today, missing=missing_lines(report, sop),
            office_whatsapp=self._office_whatsapp())

    def _bundle_parts(self, session: Session, req: Request) -> tuple[BundleHeader, list[BundleFile]]:
        from dikjamila.documents.bundle import BundleFile, BundleHeader

        sop = self._sop_or_none(req)
        labels = {r.code: r.label for r in sop.requirements} if sop else {}
        files = []
        for a in session.scalars(select(Attachment).where(Attachment.request_id == req.id)
                                 .order_by(Attachment.id)):
            label = tr("Dokumen terbit") if a.role == FileRole.ISSUED else labels.get(a.requirement_code or "", "")
            files.append(BundleFile(name=a.original_name, kind=a.kind, size=a.size, sha256=a.blob_sha256,
                                    path=self.store.path(a.blob_sha256), label=label))
        head = audit.head(session)
        header = BundleHeader(
            office_name=self.settings.office_name, office_address=self.settings.office_address,
            number=req.number, applicant_name=req.applicant_name,
            service_name=self._service_name(req, sop),
            status=status_label(req.status), received_at=req.received_at, made_at=utcnow(),
            footer_note=tr("Kepala jejak audit saat arsip dibuat: {head}", head=head.short))
        return header, files
