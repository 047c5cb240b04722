"""Shared pieces of the WhatsApp tests: a request at `terbit` with its issued PDF, files residents send."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from PIL import Image

from dikjamila.demo.paperwork import issued_document_pdf
from dikjamila.desk import NewRequest
from dikjamila.desk.timezone import WITA

NIK = "6311054506900003"


def jpeg(color=(200, 180, 150), size=(640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def text_pdf(*lines: str) -> bytes:
    """A PDF with `lines` in its text layer (what SIAK's issued documents carry)."""
    doc = FPDF()
    doc.add_page()
    doc.set_font("Helvetica", size=12)
    for line in lines:
        doc.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())


def scan_pdf() -> bytes:
    """A PDF with only a picture on it (no text layer), like a scanner makes."""
    pdf = FPDF()
    pdf.add_page()
    picture = io.BytesIO(jpeg((230, 230, 230), (800, 1100)))
    pdf.image(picture, x=10, y=10, w=190)
    return bytes(pdf.output())


def diproses_request(desk, *, phone="0812-3456-7890") -> int:
    """A KK request at `diproses` (checklist complete), claimed by the desk's user."""
    d = desk.create_request(NewRequest(
        service_code="kk_hilang_rusak", applicant_name="Siti Aminah", channel="whatsapp", applicant_phone=phone,
        applicant_nik=NIK, kecamatan_code="63.11.05", facts={"applicant_is_subject": True}))
    desk.claim(d.id)
    desk.advance(d.id, "diperiksa")
    desk.attach_file(d.id, jpeg(), "KTP.jpg", requirement_code="ktp_el")
    desk.attach_file(d.id, jpeg((10, 20, 30)), "hilang.jpg", requirement_code="surat_kehilangan")
    desk.advance(d.id, "diproses")
    return d.id


def terbit_request(desk, *, phone="0812-3456-7890", issued: bytes | None = None, previewed=True) -> int:
    """A KK request taken through the checklist to `terbit`, with an issued PDF naming its NIK."""
    d = desk.get_request(diproses_request(desk, phone=phone), record_view=False)
    if issued is None:
        detail = desk.get_request(d.id)
        issued = issued_document_pdf("Kartu Keluarga", holder="Siti Aminah", nik=NIK, number=detail.number,
                                     issued_on=detail.received_at.astimezone(WITA).date())
    att = desk.attach_file(d.id, issued, "KK-Siti.pdf", role="issued")
    desk.advance(d.id, "terbit")
    if previewed:
        desk.record_preview(att.id)
    return d.id


def incoming_files(folder: Path) -> dict[str, Path]:
    """What residents send: a photo, a PDF, a voice note, a Word file and a broken photo."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "photo": ("kk.jpg", jpeg((120, 160, 200))),
        "pdf": ("akta.pdf", issued_document_pdf("Kutipan Akta", holder="Budi", nik=NIK, number="X-1",
                                                issued_on=__import__("datetime").date(2026, 11, 1))),
        "voice": ("PTT-20261201-WA0001.opus", b"OggS\x00\x02" + bytes(range(256)) * 8),
        "docx": ("surat.docx", b"PK\x03\x04" + b"word/document.xml" + bytes(2000)),
        "corrupt": ("ktp.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64),  # a JPEG header and nothing after
    }
    out = {}
    for key, (name, data) in files.items():
        path = folder / name
        path.write_bytes(data)
        out[key] = path
    return out


def incoming_event(message_id: str, sender: str, *, text="", file: Path | None = None, mime="", kind="",
                   push_name="Siti", at="2026-12-01T02:00:00+00:00", quoted_id="") -> dict:
    return {"event": "incoming", "message_id": message_id, "chat": sender, "sender": sender, "sender_lid": "",
            "push_name": push_name, "at": at, "text": text, "quoted_id": quoted_id,
            "file": ({"path": str(file), "name": file.name, "mime": mime, "size": file.stat().st_size,
                      "kind": kind} if file else None), "file_error": ""}
