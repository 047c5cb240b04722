"""The status QR code on receipts: what it carries, and drawing it as vector squares.

Payload: `DIKJAMILA:STATUS:<request number>`, e.g. `DIKJAMILA:STATUS:BLG-20261201-0001`, or
a village kiosk's number before the office has given one, `DIKJAMILA:STATUS:KIOS-PARINGIN-0007`.
The prefix lets a reader (the kiosk's status check) tell our code from any other QR code
a resident might hold up; `parse_status_payload` also accepts a bare request number.

The code is drawn from segno's module matrix as filled rectangles (one per horizontal run
of dark modules): crisp at any zoom or printer, a few hundred bytes in the PDF.
"""

from __future__ import annotations

import re

import segno
from fpdf import FPDF

PREFIX = "DIKJAMILA:STATUS:"
_NUMBER = re.compile(r"[A-Z]{2,10}-\d{8}-\d{4,6}")
# The kiosk's own number, `KIOS-<desa>-NNNN` (printed on the kiosk receipt): the village part is
# letters and digits, possibly in hyphenated pieces.
_KIOSK_NUMBER = re.compile(r"KIOS-[A-Z0-9]{1,24}(?:-[A-Z0-9]{1,24}){0,3}-\d{4,6}")
QUIET_MODULES = 4  # the standard's quiet zone around the symbol


def status_payload(number: str) -> str:
    """What the receipt's QR code carries for request `number`."""
    return PREFIX + number.strip().upper()


def parse_status_payload(text: str) -> str | None:
    """The request number in a scanned payload (prefixed or bare), or None if it is not ours."""
    text = text.strip().upper()
    text = text.removeprefix(PREFIX)
    return text if _NUMBER.fullmatch(text) or _KIOSK_NUMBER.fullmatch(text) else None


def qr_matrix(payload: str) -> list[list[bool]]:
    """The code's modules, row by row (True = dark), without the quiet zone."""
    code = segno.make(payload, error="m", micro=False)
    return [[bool(cell) for cell in row] for row in code.matrix]


def draw_qr(pdf: FPDF, payload: str, x: float, y: float, size: float) -> None:
    """Draw the code for `payload` into the square (x, y, size) in the page's units; the
    square includes the quiet zone, which is left blank."""
    matrix = qr_matrix(payload)
    count = len(matrix) + 2 * QUIET_MODULES
    module = size / count
    origin_x, origin_y = x + QUIET_MODULES * module, y + QUIET_MODULES * module
    # NOTE: each run reaches a little into the row below: rows that merely touch show
    # hairline seams in anti-aliasing viewers. (One path filled once would avoid them too,
    # but fpdf2's drawing API deep-copies the path: ~10 ms a code.)
    bleed = module * 0.06
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        height = module + (bleed if r + 1 < len(matrix) else 0)
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            pdf.rect(origin_x + start * module, origin_y + r * module, (c - start) * module, height, style="F")
