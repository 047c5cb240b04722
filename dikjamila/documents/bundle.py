"""The archive bundle: one PDF holding a request's cover sheet and every file on it.

Order: the cover (the request, then a table of every file — name, kind, size, pages in the
bundle, full sha256), then each file in attachment order:
- a photo on its own A4 page, scaled to fit with its aspect kept, centred, turned upright by
  its EXIF orientation; a plain upright JPEG is embedded as is (no re-encoding);
- every page of a PDF, copied unchanged with pypdf;
- a page saying why, for a file that cannot be shown: a corrupt or oversized photo, a PDF
  that is damaged or locked with a password, a file that is neither (a voice note), or a
  blob missing from the store. A bad file never stops the bundle.

Memory: files are read one at a time from the blob store. Each photo page is made as a small
PDF of its own and its page handed to the pypdf writer, so the writer holds one copy of each
file's content; the result is written to the caller's stream.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from fpdf.fonts import FontFace
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.errors import FileNotDecryptedError

from dikjamila.documents.pdf_base import FAMILY, MUTED, OfficePdf
from dikjamila.documents.wording import file_size, long_datetime, office_time
from dikjamila.files.images import DEFAULT_MAX_PIXELS
from dikjamila.i18n import tr

log = logging.getLogger(__name__)

KIND_LABELS = {"image": "Foto", "pdf": "PDF"}
_JPEG_FORMATS = ("JPEG", "MPO")
_PHOTO_LEFT, _PHOTO_BOTTOM = 10.0, 282.0  # mm: the photo fills the page below its caption


@dataclass(frozen=True)
class BundleFile:
    """One stored file to put in the bundle."""

    name: str
    kind: str  # "image" | "pdf" | anything else (kept, but not shown)
    size: int
    sha256: str
    path: Path  # the blob in the store (only read)
    label: str = ""  # what it is for: the requirement, "Dokumen terbit", ...


@dataclass(frozen=True)
class BundleHeader:
    office_name: str
    office_address: str
    number: str
    applicant_name: str
    service_name: str
    status: str  # as shown
    received_at: datetime
    made_at: datetime
    footer_note: str = ""  # e.g. the audit chain head


@dataclass
class _Placed:
    file: BundleFile
    pages: int = 0
    problem: str = ""


def build_archive_bundle(header: BundleHeader, files: Sequence[BundleFile], out: IO[bytes], *,
                         max_pixels: int = DEFAULT_MAX_PIXELS) -> int:
    """Write the bundle to `out`; return its number of pages."""
    writer = PdfWriter()
    placed = []
    for index, file in enumerate(files, 1):
        caption = tr("Berkas {i} dari {n}: {name}", i=index, n=len(files), name=file.name)
        placed.append(_add_file(writer, file, caption, header, max_pixels))
    cover = PdfReader(io.BytesIO(_cover(header, placed)))
    for at, page in enumerate(cover.pages):
        writer.insert_page(page, at)
    writer.add_metadata({"/Title": tr("Berkas arsip {number}", number=header.number),
                         "/Author": header.office_name, "/Creator": "Dik Jamila"})
    writer.write(out)
    return len(writer.pages)


# -- one file -----------------------------------------------------------------------------------

def _add_file(writer: PdfWriter, file: BundleFile, caption: str, header: BundleHeader,
              max_pixels: int) -> _Placed:
    placed = _Placed(file)
    if not file.path.is_file():
        placed.problem = tr("berkas tidak ada di penyimpanan")
    elif file.kind == "image":
        page = _photo_page(file, caption, header, max_pixels, placed)
        if page is not None:
            writer.add_page(PdfReader(io.BytesIO(page)).pages[0])
            placed.pages = 1
    elif file.kind == "pdf":
        _copy_pdf(writer, file, placed)
    else:
        placed.problem = tr("bukan foto atau PDF (mis. pesan suara atau dokumen Word)")
    if not placed.pages:
        note = _note_page(caption, placed.problem, file, header)
        writer.add_page(PdfReader(io.BytesIO(note)).pages[0])
        placed.pages = 1
    return placed


def _copy_pdf(writer: PdfWriter, file: BundleFile, placed: _Placed) -> None:
    start = len(writer.pages)
    try:
        with open(file.path, "rb") as fh:
            reader = PdfReader(fh, strict=False)
            try:
                pages = list(reader.pages)
            except FileNotDecryptedError:
                placed.problem = tr("PDF dikunci kata sandi")
                return
            if not pages:
                placed.problem = tr("PDF tanpa halaman")
                return
            for page in pages:
                writer.add_page(page)
        placed.pages = len(writer.pages) - start
    except Exception:  # PdfReadError, PdfStreamError, DependencyError (AES), RecursionError, ...
        log.warning("PDF %s (%s) could not be copied into the bundle", file.name, file.sha256, exc_info=True)
        added: Any = writer.pages  # (typed as a read-only Sequence; it supports `del`)
        while len(added) > start:  # no half of a PDF in the archive
            del added[len(added) - 1]
        placed.problem = tr("PDF rusak, tidak dapat dibaca")


def _open_photo(file: BundleFile, max_pixels: int, placed: _Placed) -> Image.Image | None:
    """The photo decoded and upright, or None with `placed.problem` set."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(file.path)
            if img.width * img.height > max_pixels or img.width <= 0 or img.height <= 0:
                placed.problem = tr("foto terlalu besar untuk dibuka")
                img.close()
                return None
            img.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        log.info("photo %s too large for the bundle", file.sha256, exc_info=True)
        placed.problem = tr("foto terlalu besar untuk dibuka")
        return None
    except Exception:  # UnidentifiedImageError, OSError (truncated), SyntaxError, MemoryError, ...
        log.warning("photo %s (%s) could not be decoded for the bundle", file.name, file.sha256, exc_info=True)
        placed.problem = tr("foto rusak, tidak dapat dibuka")
        return None
    try:
        upright = ImageOps.exif_transpose(img)
    except Exception:  # malformed EXIF: show the picture as stored
        log.info("EXIF of photo %s unreadable; shown as stored", file.sha256, exc_info=True)
        return img
    if upright is not img:
        upright.format = img.format  # exif_transpose drops it; the embedding choice reads it
        img.close()
    return upright


def _photo_page(file: BundleFile, caption: str, header: BundleHeader, max_pixels: int,
                placed: _Placed) -> bytes | None:
    img = _open_photo(file, max_pixels, placed)
    if img is None:
        return None
    try:
        pdf = _attachment_pdf(caption, file, header)
        top = pdf.get_y()
        x, y, w, h = _fit(img.width, img.height, _PHOTO_LEFT, top, pdf.w - 2 * _PHOTO_LEFT, _PHOTO_BOTTOM - top)
        upright_jpeg = img.format in _JPEG_FORMATS and not _exif_turned(file.path)
        if img.format in _JPEG_FORMATS:
            pdf.set_image_filter("DCTDecode")
        # A JPEG already upright goes in byte for byte; anything else from the decoded pixels.
        pdf.image(file.path if upright_jpeg and img.format == "JPEG" else img, x=x, y=y, w=w, h=h)
        return pdf.output_bytes()
    except Exception:  # exotic modes (16-bit, odd palettes) fpdf2 cannot embed
        log.warning("photo %s (%s) could not be placed in the bundle", file.name, file.sha256, exc_info=True)
        placed.problem = tr("foto tidak dapat dimasukkan ke PDF")
        return None
    finally:
        img.close()


def _exif_turned(path: Path) -> bool:
    """True when the stored photo carries an EXIF orientation other than upright."""
    try:
        with Image.open(path) as img:
            return int(img.getexif().get(0x0112, 1)) != 1
    except Exception:  # unreadable EXIF: treat as needing the decoded (safe) path
        log.info("EXIF orientation of %s unreadable", path.name, exc_info=True)
        return True


def _fit(width: int, height: int, x: float, y: float, box_w: float, box_h: float):
    scale = min(box_w / width, box_h / height)
    w, h = width * scale, height * scale
    return x + (box_w - w) / 2, y + (box_h - h) / 2, w, h


def _attachment_pdf(caption: str, file: BundleFile, header: BundleHeader) -> OfficePdf:
    """A page for one file, with its caption at the top and the archive's name below."""
    pdf = OfficePdf(created_at=office_time(header.made_at))
    pdf.numbered = False
    pdf.footer_note = tr("Berkas arsip {number}", number=header.number)
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 9)
    pdf.cell(0, 5, caption, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 7)
    pdf.set_text_color(*MUTED)
    if file.label:
        pdf.multi_cell(0, 3.6, file.label, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 3.6, f"sha256 {file.sha256}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    return pdf


def _note_page(caption: str, problem: str, file: BundleFile, header: BundleHeader) -> bytes:
    pdf = _attachment_pdf(caption, file, header)
    pdf.set_y(110)
    pdf.set_font(FAMILY, "B", 13)
    pdf.multi_cell(0, 7, tr("Berkas ini tidak dapat ditampilkan"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    pdf.multi_cell(0, 6, tr("{name}: {problem}.", name=file.name, problem=problem), align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 5.4, tr("Berkas aslinya tetap tersimpan tanpa diubah (lihat sha256 di atas)."),
                   align="C", new_x="LMARGIN", new_y="NEXT")
    return pdf.output_bytes()


# -- the cover ---------------------------------------------------------------------------------

def _cover(header: BundleHeader, placed: Sequence[_Placed]) -> bytes:
    pdf = OfficePdf(created_at=office_time(header.made_at))
    pdf.set_title(tr("Berkas arsip {number}", number=header.number))
    pdf.footer_note = header.footer_note
    pdf.add_page()
    pdf.letterhead(header.office_name, header.office_address, tr("Berkas Arsip Permohonan"))
    total = sum(p.pages for p in placed)
    pdf.key_values([
        (tr("Nomor permohonan"), header.number),
        (tr("Nama pemohon"), header.applicant_name),
        (tr("Layanan"), header.service_name),
        (tr("Status"), header.status),
        (tr("Diterima"), long_datetime(header.received_at)),
        (tr("Arsip dibuat"), long_datetime(header.made_at)),
        (tr("Isi"), tr("{files} berkas, {pages} halaman lampiran", files=len(placed), pages=total)),
    ], label_width=42)
    pdf.heading(tr("Daftar berkas"))
    rows = []
    for n, p in enumerate(placed, 1):
        name = p.file.name + (f"\n{p.file.label}" if p.file.label else "")
        if p.problem:
            name += "\n" + tr("Tidak ditampilkan: {problem}", problem=p.problem)
        sha = p.file.sha256
        rows.append((str(n), name, tr(KIND_LABELS.get(p.file.kind, "Lainnya")), file_size(p.file.size),
                     str(p.pages), f"{sha[:32]}\n{sha[32:]}"))
    mono = FontFace(family="Courier", size_pt=7)
    pdf.table([tr("No"), tr("Nama berkas"), tr("Jenis"), tr("Ukuran"), tr("Hal."), tr("SHA-256")], rows,
              widths=(9, 64, 15, 19, 11, 56), aligns=("C", "L", "C", "R", "C", "L"),
              styles=(None, None, None, None, None, mono), size=8.5, line_height=4.6)
    pdf.ln(3)
    pdf.set_text_color(*MUTED)
    pdf.paragraph(tr(
        "Foto dan PDF di halaman berikutnya disalin dari berkas yang tersimpan; berkas aslinya "
        "tidak diubah. Kecocokan sebuah berkas dapat diperiksa dengan menghitung sha256-nya."),
        size=8.5, line_height=4.6)
    pdf.set_text_color(0, 0, 0)
    return pdf.output_bytes()
