"""The receipt (tanda terima) a resident gets for a request: what was received, and when it
should be done.

It carries a QR code with `DIKJAMILA:STATUS:<number>` (see `dikjamila.documents.qr`) for the
kiosk's status check, and tells how to ask for the status over WhatsApp.

The bytes depend only on `ReceiptData` (the PDF's creation date is the request's arrival, no
"printed at" time): the same request state gives the same file and the same sha256, which is
how the outbox recognises a receipt already queued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dikjamila.documents.pdf_base import FAMILY, MUTED, RULE_COLOUR, OfficePdf
from dikjamila.documents.qr import draw_qr, status_payload
from dikjamila.documents.wording import long_datetime, office_time, short_datetime
from dikjamila.i18n import tr

QR_SIZE = 34.0  # mm, quiet zone included


@dataclass(frozen=True)
class ReceivedFile:
    """One file the office received for the request."""

    requirement: str  # the requirement's label; "" while not linked to one
    file_name: str
    received_at: datetime


@dataclass(frozen=True)
class ReceiptData:
    """Everything printed on a receipt (plain values, so the function stays pure)."""

    office_name: str
    office_address: str
    number: str
    received_at: datetime
    applicant_name: str
    applicant_phone: str  # as shown, e.g. "+62 812-3456-7890"
    service_name: str
    channel: str  # as shown, e.g. "WhatsApp", "Kios desa"
    due_at: datetime
    files: tuple[ReceivedFile, ...] = ()
    office_whatsapp: str = ""  # the service number residents write to; "" = "nomor layanan ini"
    pickup: bool = False  # a card (KTP-el, KIA): picked up at the office, not sent as PDF


def due_text(due_at: datetime) -> str:
    """"Perkiraan selesai: Senin, 7 Desember 2026 10.00 WITA"."""
    return tr("Perkiraan selesai: {when}", when=long_datetime(due_at))


def build_receipt(data: ReceiptData) -> bytes:
    """The receipt as PDF bytes (one A4 page for any usual number of files)."""
    pdf = OfficePdf(created_at=office_time(data.received_at))
    pdf.set_title(tr("Tanda terima {number}", number=data.number))
    pdf.set_author(data.office_name)
    pdf.footer_note = tr("Tanda terima permohonan {number} — dibuat oleh sistem Dik Jamila, sah tanpa "
                         "tanda tangan.", number=data.number)
    pdf.add_page()
    pdf.letterhead(data.office_name, data.office_address, tr("Tanda Terima Permohonan"))
    _number_block(pdf, data)
    pdf.key_values([
        (tr("Nama pemohon"), data.applicant_name),
        (tr("Nomor WhatsApp"), data.applicant_phone),
        (tr("Layanan"), data.service_name),
        (tr("Diajukan melalui"), data.channel),
        (tr("Diterima"), long_datetime(data.received_at)),
    ], label_width=42)
    pdf.heading(tr("Berkas yang diterima"))
    if data.files:
        rows = [(str(n), f.requirement or tr("(belum dikaitkan ke persyaratan)"), f.file_name,
                 short_datetime(f.received_at)) for n, f in enumerate(data.files, 1)]
        pdf.table([tr("No"), tr("Dokumen/persyaratan"), tr("Berkas"), tr("Diterima")], rows,
                  widths=(10, 72, 56, 36), aligns=("C", "L", "L", "C"))
    else:
        pdf.paragraph(tr("Belum ada berkas yang diterima. Kirimkan berkas persyaratan melalui WhatsApp."))
    _due_box(pdf, data)
    _status_help(pdf, data)
    return pdf.output_bytes()


def _number_block(pdf: OfficePdf, data: ReceiptData) -> None:
    """The request number (large) on the left, the status QR code on the right."""
    top = pdf.get_y()
    if pdf.will_page_break(QR_SIZE + 4):
        pdf.add_page()
        top = pdf.get_y()
    qr_x = pdf.w - pdf.r_margin - QR_SIZE
    draw_qr(pdf, status_payload(data.number), qr_x, top, QR_SIZE)
    pdf.set_xy(qr_x, top + QR_SIZE - 2)
    pdf.set_font(FAMILY, "", 7)
    pdf.set_text_color(*MUTED)
    pdf.cell(QR_SIZE, 3.5, tr("Pindai untuk cek status"), align="C")
    pdf.set_text_color(0, 0, 0)
    text_width = qr_x - pdf.l_margin - 4
    pdf.set_xy(pdf.l_margin, top + 5)
    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(*MUTED)
    pdf.cell(text_width, 5, tr("NOMOR PERMOHONAN"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FAMILY, "B", 22)
    pdf.cell(text_width, 11, data.number, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(text_width, 4.6, tr(
        "Simpan tanda terima ini. Sebutkan nomor permohonan setiap kali menanyakan atau "
        "melengkapi permohonan."), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE + 2) + 2)
    pdf.set_font(FAMILY, "", 10)


def _due_box(pdf: OfficePdf, data: ReceiptData) -> None:
    """The expected finish time in a framed box, with what "finished" means for this service."""
    if data.pickup:
        outcome = tr("Dokumen ini berupa kartu: bila sudah jadi, Anda diberi kabar lewat WhatsApp "
                     "untuk mengambilnya di kantor dengan membawa tanda terima ini.")
    else:
        outcome = tr("Dokumen yang sudah terbit dikirim dalam bentuk PDF ke nomor WhatsApp di atas. "
                     "Perkiraan ini berlaku bila berkas sudah lengkap.")
    pdf.ln(4)
    if pdf.will_page_break(24):
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_xy(pdf.l_margin + 4, top + 3)
    pdf.set_font(FAMILY, "B", 12)
    pdf.multi_cell(pdf.epw - 8, 6.5, due_text(data.due_at), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(pdf.l_margin + 4)
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(pdf.epw - 8, 4.8, outcome, new_x="LMARGIN", new_y="NEXT")
    bottom = pdf.get_y() + 3
    pdf.set_draw_color(*RULE_COLOUR)
    pdf.set_line_width(0.4)
    pdf.rect(pdf.l_margin, top, pdf.epw, bottom - top)
    pdf.set_y(bottom)
    pdf.set_font(FAMILY, "", 10)


def _status_help(pdf: OfficePdf, data: ReceiptData) -> None:
    where = (tr("ke nomor WhatsApp layanan {number}", number=data.office_whatsapp.replace(" ", "\u00a0"))
             if data.office_whatsapp else tr("ke nomor WhatsApp layanan yang Anda hubungi"))
    pdf.heading(tr("Cara menanyakan status"))
    pdf.paragraph(tr(
        "Kirim nomor permohonan {number} {where}; petugas membalas dengan status permohonan dan "
        "langkah berikutnya pada jam layanan. Di kios layanan desa, pindai kode QR pada tanda terima ini.",
        number=data.number, where=where), size=9.5, line_height=5)
    pdf.ln(1)
    pdf.set_text_color(*MUTED)
    pdf.paragraph(tr("Layanan administrasi kependudukan tidak dipungut biaya."), size=9, line_height=5)
    pdf.set_text_color(0, 0, 0)
