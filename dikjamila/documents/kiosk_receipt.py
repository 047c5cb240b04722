"""The receipt (tanda terima kios) a village kiosk prints when a resident submits a request.

It shows the kiosk number (`KIOS-<desa>-NNNN`, the only number the resident has until the office
accepts the request), what was asked for and handed in, a status QR code
(`DIKJAMILA:STATUS:<kiosk number>`, see `dikjamila.documents.qr`) and what happens next.

Two papers: `"a4"`, the office's page (`OfficePdf`, letterhead and footer), and `"80mm"`, a
thermal receipt printer's roll: 80 mm wide, 72 mm printable, as long as the content.

The bytes depend only on the arguments (the PDF's creation date is `created_at`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from dikjamila.documents.pdf_base import FAMILY, MUTED, RULE_COLOUR, OfficePdf
from dikjamila.documents.qr import draw_qr, status_payload
from dikjamila.documents.wording import long_datetime, office_time
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

PAPERS = ("a4", "80mm")

ROLL_WIDTH = 80.0  # mm, the paper
ROLL_MARGIN = 4.0  # mm each side: 72 mm printable, the usual 80 mm printer's line
ROLL_TOP, ROLL_BOTTOM = 3.0, 8.0  # mm; the bottom leaves room before the cutter
# NOTE: the first pass lays the slip out on a page this long, only to measure it (see `_roll`);
# ~650 document lines would be needed to reach it.
ROLL_MEASURE_HEIGHT = 3000.0

NEXT_STEPS = ("Nomor permohonan dari kantor akan dikirim ke WhatsApp Anda setelah permohonan diterima "
              "kantor. Cek status di kios ini dengan nomor kios atau nomor permohonan dan 4 angka "
              "terakhir nomor HP Anda.")


@dataclass(frozen=True)
class _Sizes:
    """Type sizes (pt) and line heights (mm) for one paper."""

    body: float
    line: float
    value: float  # the applicant's details, bold
    value_line: float
    number_max: float  # the kiosk number: as large as fits, down to number_min
    number_min: float
    qr: float  # mm, quiet zone included


A4_SIZES = _Sizes(body=11, line=5.8, value=13, value_line=7, number_max=30, number_min=18, qr=40)
ROLL_SIZES = _Sizes(body=9.5, line=4.6, value=11.5, value_line=5.6, number_max=24, number_min=15, qr=40)


@dataclass(frozen=True)
class _Slip:
    office_name: str
    office_address: str
    number: str
    service: str
    applicant: str
    phone: str
    created_at: datetime
    documents: tuple[str, ...]


def kiosk_receipt_pdf(
    *,
    office_name: str,
    office_address: str,
    kiosk_number: str,
    service_name: str,
    applicant_name: str,
    phone_masked: str,
    created_at: datetime,
    documents: list[str],
    paper: str = "a4",
) -> bytes:
    """The kiosk receipt as PDF bytes, on `paper` "a4" or "80mm" (thermal roll).

    `phone_masked` is printed as given (e.g. "0812-****-7890"); `created_at` is shown in WITA
    (a naive value is taken as office time). Raises InvalidInput for any other `paper`.
    """
    kind = paper.strip().lower()
    if kind not in PAPERS:
        raise InvalidInput(tr('Ukuran kertas "{paper}" tidak dikenal. Pilih "a4" atau "80mm".', paper=paper))
    slip = _Slip(office_name.strip(), office_address.strip(), kiosk_number.strip().upper(),
                 service_name.strip(), applicant_name.strip(), phone_masked.strip(),
                 office_time(created_at), tuple(d.strip() for d in documents if d.strip()))
    return _a4(slip) if kind == "a4" else _roll(slip)


# -- the two papers ------------------------------------------------------------------------------

def _a4(slip: _Slip) -> bytes:
    pdf = OfficePdf(created_at=slip.created_at)
    _describe(pdf, slip)
    pdf.footer_note = tr("Tanda terima kios {number} — dibuat oleh sistem Dik Jamila, sah tanpa tanda "
                         "tangan.", number=slip.number)
    pdf.add_page()
    pdf.letterhead(slip.office_name, slip.office_address, tr("Tanda Terima Kios"))
    _number_beside_qr(pdf, slip, A4_SIZES)
    pdf.key_values([
        (tr("Layanan"), slip.service),
        (tr("Nama pemohon"), slip.applicant),
        (tr("Nomor WhatsApp"), slip.phone),
        (tr("Diserahkan"), long_datetime(slip.created_at)),
    ], label_width=46, size=A4_SIZES.value - 1, line_height=A4_SIZES.value_line)
    _documents(pdf, slip, A4_SIZES)
    _next_steps(pdf, A4_SIZES)
    return pdf.output_bytes()


class _RollPdf(OfficePdf):
    """A page of the thermal roll: the office's fonts, no footer, no automatic page break."""

    def footer(self) -> None:
        pass


def _roll(slip: _Slip) -> bytes:
    """The 80 mm slip, its height fitted to the content.

    fpdf2 places everything from the page's top, so the height must be known before the first
    line is drawn: the slip is laid out once on a long page to measure where it ends, then again
    on a page of exactly that height. Layout depends on the width only, so both passes agree.
    """
    measured = _roll_pass(slip, ROLL_MEASURE_HEIGHT).get_y()
    return _roll_pass(slip, measured + ROLL_BOTTOM).output_bytes()


def _roll_pass(slip: _Slip, height: float) -> _RollPdf:
    pdf = _RollPdf(created_at=slip.created_at)
    _describe(pdf, slip)
    pdf.set_margins(ROLL_MARGIN, ROLL_TOP, ROLL_MARGIN)
    pdf.set_auto_page_break(False)
    pdf.add_page(format=(ROLL_WIDTH, height))
    _roll_header(pdf, slip)
    _number_above_qr(pdf, slip, ROLL_SIZES)
    for label, value in ((tr("Layanan"), slip.service), (tr("Nama pemohon"), slip.applicant),
                         (tr("Nomor WhatsApp"), slip.phone),
                         (tr("Diserahkan"), long_datetime(slip.created_at))):
        _label(pdf, label, ROLL_SIZES)
        pdf.set_font(FAMILY, "B", ROLL_SIZES.value)
        pdf.multi_cell(0, ROLL_SIZES.value_line, value or "-", align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    _documents(pdf, slip, ROLL_SIZES)
    _next_steps(pdf, ROLL_SIZES)
    return pdf


def _describe(pdf: OfficePdf, slip: _Slip) -> None:
    pdf.set_title(tr("Tanda terima kios {number}", number=slip.number))
    pdf.set_author(slip.office_name)


def _roll_header(pdf: OfficePdf, slip: _Slip) -> None:
    """The office's header, narrow: the A4 letterhead's lines at sizes that fit 72 mm."""
    pdf.set_font(FAMILY, "B", 8)
    pdf.multi_cell(0, 4, tr("PEMERINTAH KABUPATEN BALANGAN"), align="C", new_x="LMARGIN", new_y="NEXT")
    name = slip.office_name.upper()
    pdf.set_font(FAMILY, "B", _fitting_size(pdf, name, "B", 11, 9, pdf.epw))
    pdf.multi_cell(0, 4.8, name, align="C", new_x="LMARGIN", new_y="NEXT")
    if slip.office_address:
        pdf.set_font(FAMILY, "", 7.5)
        pdf.multi_cell(0, 3.6, slip.office_address, align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 1.5
    pdf.set_draw_color(*RULE_COLOUR)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_y(y + 3)
    pdf.set_font(FAMILY, "B", 14)
    pdf.multi_cell(0, 7, tr("Tanda Terima Kios").upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


# -- blocks shared by both papers ----------------------------------------------------------------

def _number_beside_qr(pdf: OfficePdf, slip: _Slip, sizes: _Sizes) -> None:
    """A4: the kiosk number (very large) on the left, the status QR code on the right."""
    top = pdf.get_y()
    qr_x = pdf.w - pdf.r_margin - sizes.qr
    _qr(pdf, slip, qr_x, top, sizes)
    text_width = qr_x - pdf.l_margin - 4
    pdf.set_xy(pdf.l_margin, top + 6)
    _label(pdf, tr("NOMOR KIOS"), sizes)
    _big_number(pdf, slip.number, text_width, sizes, align="L")
    pdf.set_font(FAMILY, "", sizes.body - 1)
    pdf.multi_cell(text_width, sizes.line - 0.8, tr(
        "Simpan tanda terima ini sampai dokumen Anda selesai."), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + sizes.qr + 2) + 3)


def _number_above_qr(pdf: OfficePdf, slip: _Slip, sizes: _Sizes) -> None:
    """80 mm: the kiosk number (very large) centred, the status QR code centred below it."""
    pdf.ln(1)
    _label(pdf, tr("NOMOR KIOS"), sizes, align="C")
    _big_number(pdf, slip.number, pdf.epw, sizes, align="C")
    top = pdf.get_y()
    _qr(pdf, slip, (pdf.w - sizes.qr) / 2, top, sizes)
    pdf.set_y(top + sizes.qr + 3)
    pdf.set_font(FAMILY, "", sizes.body - 1)
    pdf.multi_cell(0, sizes.line - 0.8, tr("Simpan tanda terima ini sampai dokumen Anda selesai."),
                   align="C", new_x="LMARGIN", new_y="NEXT")
    _rule(pdf)


def _qr(pdf: OfficePdf, slip: _Slip, x: float, y: float, sizes: _Sizes) -> None:
    draw_qr(pdf, status_payload(slip.number), x, y, sizes.qr)
    # The caption sits in the code's bottom quiet zone, which is blank anyway.
    pdf.set_xy(x, y + sizes.qr - 2.6)
    pdf.set_font(FAMILY, "", 7)
    pdf.set_text_color(*MUTED)
    pdf.cell(sizes.qr, 3.5, tr("Pindai untuk cek status"), align="C")
    pdf.set_text_color(0, 0, 0)


def _big_number(pdf: OfficePdf, number: str, width: float, sizes: _Sizes, *, align: str) -> None:
    """The number as large as fits `width` on one line, else on two or more lines broken after
    its hyphens (never inside "KIOS", the village or the digits), else wrapped anywhere."""
    pieces = re.findall(r"[^-]+-?|-", number) or [number]
    # (most lines, smallest size): a long village name may go below number_min, not below body text
    for most_lines, smallest in ((1, sizes.number_min), (2, sizes.number_min), (len(pieces), sizes.value)):
        size = sizes.number_max
        while size >= smallest:
            lines = _pack(pdf, pieces, size, width)
            if lines is not None and len(lines) <= most_lines:
                for line in lines:
                    pdf.cell(width, size * 0.46, line, align=align, new_x="LMARGIN", new_y="NEXT")
                return
            size -= 1
    pdf.set_font(FAMILY, "B", sizes.value)
    pdf.multi_cell(width, sizes.value * 0.46, number, align=align, new_x="LMARGIN", new_y="NEXT")


def _pack(pdf: OfficePdf, pieces: list[str], size: float, width: float) -> list[str] | None:
    """`pieces` joined greedily into lines no wider than `width` at `size`; None if a piece alone
    is too wide. Leaves the font set to bold `size`."""
    pdf.set_font(FAMILY, "B", size)
    lines: list[str] = []
    for piece in pieces:
        if pdf.get_string_width(piece) > width:
            return None
        if lines and pdf.get_string_width(lines[-1] + piece) <= width:
            lines[-1] += piece
        else:
            lines.append(piece)
    return lines


def _documents(pdf: OfficePdf, slip: _Slip, sizes: _Sizes) -> None:
    """"Dokumen yang diserahkan" and a numbered list; long names wrap under themselves."""
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", sizes.body + 1)
    pdf.multi_cell(0, sizes.line + 0.6, tr("Dokumen yang diserahkan"), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", sizes.body)
    if not slip.documents:
        pdf.multi_cell(0, sizes.line, tr("Tidak ada dokumen yang diserahkan."), align="L", new_x="LMARGIN", new_y="NEXT")
    indent = pdf.get_string_width("00.") + 1.5
    for n, document in enumerate(slip.documents, 1):
        if pdf.will_page_break(sizes.line):
            pdf.add_page()
        pdf.cell(indent, sizes.line, f"{n}.")
        pdf.multi_cell(0, sizes.line, document, align="L", new_x="LMARGIN", new_y="NEXT")


def _next_steps(pdf: OfficePdf, sizes: _Sizes) -> None:
    """What happens next, framed, then the no-fee line."""
    pdf.ln(4)
    pad = 3.0
    if pdf.will_page_break(sizes.line * 6 + 2 * pad):
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_xy(pdf.l_margin + pad, top + pad)
    pdf.set_font(FAMILY, "B", sizes.body + 1)
    pdf.multi_cell(pdf.epw - 2 * pad, sizes.line + 0.6, tr("Langkah selanjutnya"), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(pdf.l_margin + pad)
    pdf.set_font(FAMILY, "", sizes.body)
    pdf.multi_cell(pdf.epw - 2 * pad, sizes.line, tr(NEXT_STEPS), align="L", new_x="LMARGIN", new_y="NEXT")
    bottom = pdf.get_y() + pad
    pdf.set_draw_color(*RULE_COLOUR)
    pdf.set_line_width(0.4)
    pdf.rect(pdf.l_margin, top, pdf.epw, bottom - top)
    pdf.set_y(bottom + 2)
    pdf.set_text_color(*MUTED)
    pdf.set_font(FAMILY, "", sizes.body - 1.5)
    pdf.multi_cell(0, sizes.line - 0.8, tr("Layanan administrasi kependudukan tidak dipungut biaya."),
                   align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _label(pdf: OfficePdf, text: str, sizes: _Sizes, align: str = "L") -> None:
    """A small grey caption above a value."""
    pdf.set_font(FAMILY, "", sizes.body - 2)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, sizes.line - 1.2, text, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _rule(pdf: OfficePdf) -> None:
    y = pdf.get_y() + 2
    pdf.set_draw_color(*RULE_COLOUR)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_y(y + 2)


def _fitting_size(pdf: OfficePdf, text: str, style: str, largest: float, smallest: float,
                  width: float) -> float:
    """The largest size from `largest` down to `smallest` (by 0.5 pt) at which `text` fits `width`."""
    size = largest
    while size > smallest:
        pdf.set_font(FAMILY, style, size)
        if pdf.get_string_width(text) <= width:
            break
        size -= 0.5
    return size
