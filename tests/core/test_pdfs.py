"""PDF checks with pypdf: real PDFs made with fpdf2 and pypdf, plus hand-made broken ones."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfWriter

from dikjamila.errors import InvalidInput
from dikjamila.files import MAX_TEXT_CHARS, AttachmentStore
from dikjamila.files.pdfs import inspect_pdf
from tests.core.test_images import files_under


def pdf_bytes(pages: int = 3, text: str = "Akta Kelahiran Nomor 6311-LU-0042") -> bytes:
    """A real PDF made with fpdf2; every page starts with `text` and its page number."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for i in range(pages):
        pdf.add_page()
        pdf.multi_cell(w=0, text=f"{text} halaman {i + 1}")
    return bytes(pdf.output())


def encrypted_pdf(user_password: str, owner_password: str = "pemilik") -> bytes:
    """The fpdf2 PDF encrypted with RC4-128 (pypdf needs no crypto library for RC4)."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def handmade_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF with a correct xref table around the given object bodies (numbered from 1)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for num, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "blobs")


def _refused(store: AttachmentStore, data: bytes, name: str) -> str:
    before = files_under(store.root)
    with pytest.raises(InvalidInput) as info:
        store.put_bytes(data, name)
    assert name in info.value.message
    assert files_under(store.root) == before and not any((store.root / "tmp").iterdir())
    return info.value.message


def test_pdf_named_jpg_is_accepted_as_pdf(store):
    data = pdf_bytes(pages=3)
    blob = store.put_bytes(data, "foto.jpg")
    assert (blob.kind, blob.mime, blob.pages, blob.encrypted) == ("pdf", "application/pdf", 3, False)
    assert "Akta Kelahiran Nomor 6311-LU-0042 halaman 1" in blob.text
    assert "halaman 2" not in blob.text  # first page only
    assert blob.original_name == "foto.jpg" and blob.width is None


def test_pdf_bytes_are_stored_exactly(store, tmp_path):
    data = pdf_bytes()
    src = tmp_path / "akta.pdf"
    src.write_bytes(data)
    blob = store.put_file(src)
    assert blob.original_name == "akta.pdf"
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert store.path(blob.sha256).read_bytes() == data
    assert store.inspect(blob.sha256).pages == 3


def test_first_page_text_is_bounded(store):
    blob = store.put_bytes(pdf_bytes(pages=1, text="NIK 6311 " * 2000), "panjang.pdf")
    assert 0 < len(blob.text) <= MAX_TEXT_CHARS
    assert blob.text.startswith("NIK 6311 NIK 6311")


def test_garbage_after_pdf_header_refused(store):
    garbage = b"%PDF-1.4\n" + bytes(range(256)) * 40
    assert "PDF rusak" in _refused(store, garbage, "surat.pdf")


def test_garbage_with_eof_marker_refused(store):
    assert "PDF rusak" in _refused(store, b"%PDF-1.7\n" + b"bukan isi pdf " * 300 + b"\n%%EOF\n", "kk.pdf")


@pytest.mark.parametrize("fraction", [0.5, 0.9])
def test_truncated_pdf_refused(store, fraction):
    data = pdf_bytes(pages=5)
    assert "PDF rusak" in _refused(store, data[: int(len(data) * fraction)], "terpotong.pdf")


def test_pdf_without_pages_refused(store):
    empty = handmade_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    assert "PDF rusak" in _refused(store, empty, "kosong.pdf")


def test_cyclic_page_tree_does_not_hang(store):
    # The page tree's only kid is the tree itself: a naive walk recurses forever.
    cyclic = handmade_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])
    try:
        blob = store.put_bytes(cyclic, "siklus.pdf")
    except InvalidInput as err:
        assert "PDF rusak" in err.message
    else:
        assert blob.kind == "pdf"
    assert not any((store.root / "tmp").iterdir())


def test_pdf_with_password_is_accepted_but_flagged(store):
    data = encrypted_pdf(user_password="rahasia")
    blob = store.put_bytes(data, "terkunci.pdf")
    assert (blob.kind, blob.encrypted, blob.pages, blob.text) == ("pdf", True, None, "")
    assert store.read_bytes(blob.sha256) == data
    placeholder = Image.open(io.BytesIO(store.thumbnail(blob.sha256)))
    assert placeholder.format == "JPEG" and placeholder.size == (181, 256)


def test_pdf_with_owner_password_only_is_readable(store):
    blob = store.put_bytes(encrypted_pdf(user_password=""), "ttd-elektronik.pdf")
    assert (blob.encrypted, blob.pages) == (True, 3)
    assert "Akta Kelahiran" in blob.text


def test_pdf_thumbnail_is_placeholder(store):
    blob = store.put_bytes(pdf_bytes(), "akta.pdf")
    thumb = Image.open(io.BytesIO(store.thumbnail(blob.sha256, max_px=128)))
    assert thumb.size == (91, 128)


def test_inspect_pdf_directly(tmp_path):
    p = tmp_path / "a.pdf"
    p.write_bytes(pdf_bytes(pages=2))
    info = inspect_pdf(p, "a.pdf", max_text=10)
    assert (info.pages, info.encrypted) == (2, False) and len(info.text) == 10
