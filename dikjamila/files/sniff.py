"""Decide what a file is from its first bytes, never from its name.

Only an allowlist is accepted: JPEG, PNG, WebP, HEIC/HEIF photos and PDF documents. Every
signature must sit at offset 0, so a program or archive cannot pass as a PDF by hiding
``%PDF-`` somewhere later in its first kilobyte (readers such as Acrobat tolerate that; we
do not need to, because phones and scanners write the header first).
"""

from __future__ import annotations

import filetype

from dikjamila.i18n import tr

#: How many leading bytes callers should pass to `sniff` / `describe`.
HEAD_SIZE = 512

# ISO base media "ftyp" brands used by HEIC/HEIF stills (iPhone photos).
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"heif"}

# Signatures we recognise only to explain a refusal clearly.
_PROGRAM_SIGNATURES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def sniff(head: bytes) -> tuple[str, str] | None:
    """Return ``(kind, mime)`` for an accepted file, else None.

    `kind` is ``"image"`` or ``"pdf"``. `head` is the start of the content (at least the
    first 16 bytes; `HEAD_SIZE` is plenty).
    """
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image", "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image", "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image", "image/webp"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image", "image/heic"
    return None


def describe(head: bytes) -> str:
    """A short Indonesian description of refused content, for the operator's message."""
    if not head:
        return tr("kosong")
    if head.startswith(_PROGRAM_SIGNATURES):
        return tr("program/skrip")
    if head.startswith(_ZIP_SIGNATURES):
        return tr("arsip ZIP atau dokumen Office")
    guess = filetype.guess(head)
    if guess is not None:
        return guess.mime
    return tr("jenis tidak dikenal")
