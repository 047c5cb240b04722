"""Receipts, berkas-kurang notices and archive bundles, made through the desk and read back."""

from __future__ import annotations

import io
import logging
import os

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream

from dikjamila.db.models import OutboxItem, Request
from dikjamila.desk.paperwork import NOTICE_PURPOSE, RECEIPT_PURPOSE
from dikjamila.documents.qr import parse_status_payload, qr_matrix, status_payload
from dikjamila.documents.receipt import due_text
from dikjamila.errors import Conflict, InvalidInput, PermissionDenied
from tests.whatsapp_support import jpeg, scan_pdf, text_pdf

from .conftest import new_request

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)

NAME = "Ṣiti Ñurul Ħasanah"


@pytest.fixture
def desk(staffed_office, staff):
    return staffed_office.desk(staff["sari"])


@pytest.fixture
def birth(desk):
    """A birth-certificate request with two linked files and one not yet linked."""
    d = desk.create_request(new_request(applicant_name=NAME))
    desk.claim(d.id)
    desk.attach_file(d.id, jpeg(), "surat-lahir.jpg", requirement_code="surat_kelahiran")
    desk.attach_file(d.id, text_pdf("KARTU KELUARGA", "6311054506900003"), "KK.pdf", requirement_code="kk")
    desk.attach_file(d.id, jpeg((90, 90, 90)), "IMG-20261201-WA0003.jpg")
    return d.id


def text_of(data: bytes) -> str:
    """All pages' text with runs of white space made single (justified lines stretch them)."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def _apply(m, x, y):
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _times(m, n):
    """The matrix `m` then `n` (PDF's row-vector convention: `cm` operands premultiply the CTM)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def black_rects(page) -> list[tuple[float, float, float, float]]:
    """(x, top, width, height) in page space of every rectangle filled black on `page`."""
    found, pending, stack = [], [], []
    fill: tuple[float, ...] = (0.0, 0.0, 0.0)  # the PDF default
    ctm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for operands, op in ContentStream(page.get_contents(), page.pdf).operations:
        if op == b"q":
            stack.append((fill, ctm))
        elif op == b"Q":
            fill, ctm = stack.pop()
        elif op == b"cm":
            ctm = _times(tuple(float(v) for v in operands), ctm)
        elif op == b"g":
            fill = (float(operands[0]),) * 3
        elif op == b"rg":
            fill = tuple(float(v) for v in operands)
        elif op == b"re":
            x, y, w, h = (float(v) for v in operands)
            (x0, y0), (x1, y1) = _apply(ctm, x, y), _apply(ctm, x + w, y + h)
            pending.append((min(x0, x1), max(y0, y1), abs(x1 - x0), abs(y1 - y0)))
        elif op in (b"f", b"F", b"f*", b"B", b"B*", b"S", b"n"):
            if op in (b"f", b"F", b"f*", b"B", b"B*") and fill == (0.0, 0.0, 0.0):
                found.extend(pending)
            pending = []
    return found


def drawn_matrix(page) -> list[list[bool]]:
    rects = black_rects(page)
    module = min(h for _, _, _, h in rects)
    left, top = min(r[0] for r in rects), max(r[1] for r in rects)
    size = round((max(r[0] + r[2] for r in rects) - left) / module)
    matrix = [[False] * size for _ in range(size)]
    for x, y, w, _h in rects:
        row, col = round((top - y) / module), round((x - left) / module)
        for c in range(col, col + round(w / module)):
            matrix[row][c] = True
    return matrix


# -- receipt -------------------------------------------------------------------------------------

def test_the_receipt_shows_the_request_files_and_due_time(desk, birth, caplog):
    detail = desk.get_request(birth, record_view=False)
    with caplog.at_level(logging.WARNING):
        doc = desk.receipt_pdf(birth)
    assert not [r for r in caplog.records if "missing" in r.getMessage()]  # every glyph is in DejaVu
    assert doc.file_name == f"tanda-terima-{detail.number}.pdf" and doc.pages == 1
    text = text_of(doc.data)
    for expected in (detail.number, NAME, "Akta Kelahiran", "+62 812-3456-7890", "WhatsApp",
                     "surat-lahir.jpg", "KK.pdf", "IMG-20261201-WA0003.jpg", "KK tempat anak akan dicatat",
                     "(belum dikaitkan ke persyaratan)", due_text(detail.due_at), f"Kirim nomor permohonan {detail.number}"):
        assert expected in text
    assert due_text(detail.due_at).endswith(" WITA") and due_text(detail.due_at).split(": ")[1].split(",")[0] in (
        "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def test_the_receipt_qr_code_carries_the_request_number(desk, birth):
    number = desk.get_request(birth, record_view=False).number
    page = PdfReader(io.BytesIO(desk.receipt_pdf(birth).data)).pages[0]
    assert drawn_matrix(page) == qr_matrix(f"DIKJAMILA:STATUS:{number}")
    assert drawn_matrix(page) != qr_matrix("DIKJAMILA:STATUS:BLG-20000101-0001")
    assert status_payload(number) == f"DIKJAMILA:STATUS:{number}"
    assert parse_status_payload(status_payload(number)) == number
    assert parse_status_payload(number.lower()) == number and parse_status_payload("https://x.y") is None


def test_a_receipt_is_the_same_file_for_the_same_state_and_is_audited(desk, birth, staffed_office):
    first, second = desk.receipt_pdf(birth), desk.receipt_pdf(birth)
    assert first.sha256 == second.sha256 and first.data == second.data
    events = [e for e in desk.history(birth) if e.action == "document.receipt"]
    assert len(events) == 2 and first.sha256 in str(events[0].summary)


def test_send_receipt_queues_one_outbox_item_even_when_called_twice(desk, birth, staffed_office):
    first, again = desk.send_receipt(birth), desk.send_receipt(birth)
    assert first == again
    with staffed_office.db.reading() as session:
        items = session.query(OutboxItem).filter_by(request_id=birth).all()
    assert [(i.template, i.recipient) for i in items] == [(RECEIPT_PURPOSE, "+6281234567890")]
    doc = desk.receipt_pdf(birth)
    assert items[0].blob_sha256 == doc.sha256 and items[0].document_name == doc.file_name
    assert staffed_office.store.read_bytes(doc.sha256) == doc.data


def test_a_kiosk_prints_the_receipt_of_its_own_request_only(staffed_office, staff, desk, birth):
    kiosk = staffed_office.desk(staff["kios1"])
    own = kiosk.create_request(new_request(channel="kiosk", applicant_phone=""))
    assert own.number in text_of(kiosk.receipt_pdf(own.id).data)
    with pytest.raises(PermissionDenied):
        kiosk.receipt_pdf(birth)
    with pytest.raises(PermissionDenied):
        kiosk.bundle_pdf(own.id)


def test_a_receipt_is_given_before_the_service_is_chosen(desk, birth, staffed_office):
    with staffed_office.db.writing() as session:  # as an intake from WhatsApp leaves it
        session.get(Request, birth).service_code = ""
    assert "Layanan : (belum dipilih)" in text_of(desk.receipt_pdf(birth).data)
    with pytest.raises(InvalidInput, match="belum dipilih"):
        desk.notice_pdf(birth)


# -- notice --------------------------------------------------------------------------------------

def test_the_notice_lists_what_is_still_missing(desk, birth):
    report = desk.check(birth)
    doc = desk.notice_pdf(birth)
    text = text_of(doc.data)
    number = desk.get_request(birth, record_view=False).number
    assert doc.file_name == f"pemberitahuan-berkas-kurang-{number}.pdf"
    assert "PEMBERITAHUAN KEKURANGAN BERKAS" in text and number in text and NAME in text
    # The unmet alternatives come as one line naming the choices; other missing items one each.
    assert "Bukti perkawinan orang tua" in text and "salah satu:" in text
    for item in report.missing():
        assert item.label in text or item.group
    assert "surat-lahir.jpg" not in text and "Yang perlu Anda lakukan" in text


def test_the_notice_is_refused_once_nothing_is_missing_and_sent_once(desk, staffed_office):
    d = desk.create_request(new_request(service_code="kk_hilang_rusak", facts={"applicant_is_subject": True}))
    desk.claim(d.id)
    first, again = desk.send_notice(d.id), desk.send_notice(d.id)
    assert first == again
    with staffed_office.db.reading() as session:
        assert [i.template for i in session.query(OutboxItem).filter_by(request_id=d.id)] == [NOTICE_PURPOSE]
    desk.attach_file(d.id, jpeg(), "KTP.jpg", requirement_code="ktp_el")
    desk.attach_file(d.id, jpeg((10, 20, 30)), "hilang.jpg", requirement_code="surat_kehilangan")
    with pytest.raises(Conflict, match="sudah lengkap"):
        desk.notice_pdf(d.id)


# -- bundle --------------------------------------------------------------------------------------

def turned_jpeg() -> bytes:
    """A 300x200 picture stored sideways with EXIF orientation 6 (shown 200x300, upright)."""
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (300, 200), (30, 120, 200)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def pdf_of(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def locked_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf("RAHASIA")))
    writer.encrypt("kata-sandi", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_bundle_has_a_cover_then_every_photo_and_pdf_page(desk, birth):
    desk.attach_file(birth, turned_jpeg(), "miring.jpg")
    desk.attach_file(birth, pdf_of(3), "tiga-halaman.pdf")
    desk.attach_file(birth, scan_pdf(), "pindaian.pdf")
    files = desk.get_request(birth, record_view=False).attachments
    doc = desk.bundle_pdf(birth)
    reader = PdfReader(io.BytesIO(doc.data))
    # cover + 3 photos + KK.pdf (1) + 3 pages + the scan (1)
    assert doc.pages == len(reader.pages) == 1 + 3 + 1 + 3 + 1
    cover = "".join(reader.pages[0].extract_text().split())
    for f in files:
        assert f.blob_sha256 in cover and "".join(f.original_name.split()) in cover
    assert "BERKASARSIPPERMOHONAN" in cover
    assert "Berkas 1 dari 6: surat-lahir.jpg" in reader.pages[1].extract_text()
    turned = next(i for i, p in enumerate(reader.pages) if i and "miring.jpg" in p.extract_text())
    width, height = reader.pages[turned].images[0].image.size
    assert (width, height) == (200, 300)  # turned upright by its EXIF orientation
    assert doc.file_name.startswith("arsip-") and any(e.action == "document.bundle" for e in desk.history(birth))


def test_a_corrupt_or_locked_file_gets_a_page_saying_so(desk, birth, staffed_office):
    bad_photo = desk.attach_file(birth, jpeg((1, 2, 3)), "rusak.jpg")
    bad_pdf = desk.attach_file(birth, pdf_of(2), "rusak.pdf")
    desk.attach_file(birth, locked_pdf(), "terkunci.pdf")
    for att, junk in ((bad_photo, b"\xff\xd8\xff\xe0" + bytes(64)), (bad_pdf, b"%PDF-1.4\nsampah\n%%EOF\n")):
        path = staffed_office.store.path(att.blob_sha256)
        os.chmod(path, 0o644)
        path.write_bytes(junk)
    doc = desk.bundle_pdf(birth)
    reader = PdfReader(io.BytesIO(doc.data))
    assert len(reader.pages) == 1 + 3 + 3  # cover, 3 good one-page files, a note page per bad file
    text = text_of(doc.data)
    assert "foto rusak, tidak dapat dibuka" in text and "PDF rusak, tidak dapat dibaca" in text
    assert "PDF dikunci kata sandi" in text and text.count("Berkas ini tidak dapat ditampilkan") == 3


# -- the shared page -----------------------------------------------------------------------------

def test_fonts_shared_between_documents_keep_each_documents_glyphs():
    from dikjamila.documents.pdf_base import OfficePdf

    def page(words: str) -> str:
        pdf = OfficePdf()
        pdf.add_page()
        pdf.paragraph(words)
        pdf.heading(words)
        return text_of(pdf.output_bytes())

    assert "Ṣiti Ñurul Ħasanah" in page("Ṣiti Ñurul Ħasanah")
    assert "Budi Zulkarnain 0123" in page("Budi Zulkarnain 0123")  # glyphs the first one lacked
    assert "Иван Ђорђевић" in page("Иван Ђорђевић")  # outside the fast core: the full font
    assert page("x") == page("x")
