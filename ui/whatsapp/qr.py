"""The linking QR code as a pixmap a phone can scan from the screen."""

from __future__ import annotations

import io
import math

import segno
from PySide6.QtGui import QPixmap

#: Smallest side in pixels: a phone camera reads a ~7 cm code on a laptop screen reliably.
MIN_SIDE = 264
QUIET_ZONE = 4  # modules of white border the QR standard asks for


def qr_pixmap(data: str, min_side: int = MIN_SIDE) -> QPixmap:
    """`data` as a black-on-white QR code, whole pixels per module, at least `min_side` wide."""
    code = segno.make_qr(data, error="m")
    modules = code.symbol_size(scale=1, border=QUIET_ZONE)[0]
    scale = max(1, math.ceil(min_side / modules))
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=QUIET_ZONE, dark="#000000", light="#ffffff")
    pixmap = QPixmap()
    pixmap.loadFromData(out.getvalue(), "PNG")
    return pixmap
