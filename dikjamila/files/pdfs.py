"""PDF inspection with pypdf: page count, first-page text, encryption.

A PDF is refused as corrupt ("PDF rusak") when it has no ``%%EOF`` marker near its end (a file
cut off in transfer; pypdf would otherwise try to "repair" it), when pypdf cannot read its
structure, or when it has no pages. Every pypdf exception is caught: the library parses
untrusted input and may raise anything (including RecursionError on a cyclic page tree).

Encrypted PDFs (choice): they are **accepted and flagged** with ``encrypted=True``. Issued
documents may carry an owner password that only restricts editing; pypdf opens those with
the empty user password, so pages and text are filled in. A PDF that needs a password to
open is still stored (the bytes are what the resident sent) but ``pages`` is None and
``text`` is empty, so the desk can show "PDF terkunci sandi" and ask for an unlocked copy.

Text is read from the first page only and cut to `max_text` characters; stream
decompression is bounded by pypdf's own limits (``pypdf.filters.*_MAX_OUTPUT_LENGTH``).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

if TYPE_CHECKING:
    from pypdf import PdfReader

log = logging.getLogger(__name__)

#: Characters of first-page text kept (enough to recognise a document, e.g. its NIK).
MAX_TEXT_CHARS = 2000
# A valid PDF ends with %%EOF; Acrobat looks for it within the last 1024 bytes.
_EOF_WINDOW = 1024


@dataclass(frozen=True)
class PdfInfo:
    """What a PDF check found. `pages` is None when a password is needed to open the file."""

    pages: int | None
    text: str
    encrypted: bool


def _corrupt(name: str) -> InvalidInput:
    return InvalidInput(tr("Berkas {name} ditolak: PDF rusak atau terpotong, tidak bisa dibaca.", name=name))


def _has_eof_marker(path: Path) -> bool:
    with open(path, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        fh.seek(max(0, size - _EOF_WINDOW))
        return b"%%EOF" in fh.read()


def _clean_text(text: str, max_text: int) -> str:
    """Drop NULs and control noise, collapse blank runs, cut to `max_text` characters."""
    text = text.replace("\x00", "")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)[:max_text]


def _first_page_text(reader: PdfReader, max_text: int) -> str:
    """Text of page 1; an extraction failure only costs the text, not the file."""
    try:
        return _clean_text(reader.pages[0].extract_text() or "", max_text)
    except Exception:  # odd fonts/encodings: the PDF is still usable by a person
        log.warning("text of page 1 of a PDF could not be extracted", exc_info=True)
        return ""


def inspect_pdf(path: Path, name: str, max_text: int = MAX_TEXT_CHARS) -> PdfInfo:
    """Check the PDF at `path` and return its page count, first-page text and encryption.

    Raises `InvalidInput` (naming `name`) if the file is corrupt, truncated or has no pages.
    """
    if not _has_eof_marker(path):
        raise _corrupt(name)
    # (imported here: pypdf takes ~0.1 s to import, and the workstation starts without a PDF)
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(path, strict=False)
        encrypted = bool(reader.is_encrypted)
        try:
            pages = len(reader.pages)
        except FileNotDecryptedError:
            # pypdf already tried the empty user password: a real password is needed.
            return PdfInfo(pages=None, text="", encrypted=True)
        if pages < 1:
            raise _corrupt(name)
        reader.pages[0]  # the first page must at least resolve
    except InvalidInput:
        raise
    except Exception as exc:  # PdfReadError, PdfStreamError, DependencyError (AES), RecursionError...
        if isinstance(exc, DependencyError):  # AES without a crypto provider installed
            log.warning("PDF %s: AES encryption cannot be read (no crypto provider installed)", name,
                        exc_info=True)
            return PdfInfo(pages=None, text="", encrypted=True)
        raise _corrupt(name) from exc
    return PdfInfo(pages=pages, text=_first_page_text(reader, max_text), encrypted=encrypted)

