"""Decoding photos for the viewer (off the GUI thread): scaled previews, truncation checks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QSize, Qt
from PySide6.QtGui import (
    QImage,
    QImageIOHandler,
    QImageReader,
)

from dikjamila.errors import UserError
from dikjamila.i18n import tr
from ui.viewers.common import _ALLOWED_FORMATS, read_file_bytes


# --- decoding (worker thread; no QPixmap here, only QImage) -----------------------------------
class DecodeError(UserError):
    """A photo that cannot be shown; `reason` (also `message`) is Indonesian text for the operator.

    A `UserError`: a broken photo is the resident's file, not a fault of the program, so the
    executor passes the reason through as it is and does not log a traceback.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    image: QImage        # upright (EXIF applied); full size or a scaled preview
    full_size: QSize     # the upright full-size dimensions
    is_full: bool


def jpeg_is_complete(data: bytes) -> bool:
    """True when a JPEG stream reaches its end-of-image marker (EOI).

    Qt's decoder shows a truncated JPEG with a grey lower part and only logs a warning, so
    a photo cut off in transfer would look like a real (half-empty) document. This walks the
    marker segments (skipping APPn by length, so the EXIF thumbnail's own EOI is not
    mistaken for ours) and the entropy-coded data, where 0xFF is followed only by 0x00 or a
    restart marker. Non-JPEG data passes (other formats fail loudly in Qt on truncation).
    """
    if not data.startswith(b"\xff\xd8"):
        return True
    pos, end = 2, len(data)
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= end:
            return False
        marker = data[pos + 1]
        if marker == 0xD9:  # EOI
            return True
        if marker == 0xFF:  # fill byte
            pos += 1
        elif marker == 0x00 or marker == 0x01 or 0xD0 <= marker <= 0xD7:
            pos += 2  # stuffed 0xFF, TEM or RSTn inside scan data: no length field
        else:
            if pos + 4 > end:
                return False
            length = int.from_bytes(data[pos + 2:pos + 4], "big")
            if length < 2:
                return False
            pos += 2 + length
            if pos > end:
                return False


def _reader_reason(reader: QImageReader) -> str:
    if reader.error() == QImageReader.ImageReaderError.UnsupportedFormatError:
        return tr("format foto tidak didukung.")
    return tr("berkas rusak atau terpotong. Mohon minta warga mengirim ulang fotonya.")


def _preview_size(stored: QSize, max_side: int) -> QSize:
    """A size within `max_side` that libjpeg can decode directly.

    Qt's JPEG reader shrinks during decompression only by whole factors (1/2, 1/4, 1/8),
    then resamples to the requested size. Asking for exactly 1/2, 1/4 or 1/8 (rounded up,
    as libjpeg does) skips the full-size decode and the resampling: a 12 MP photo decodes
    in about a third of the time. Other formats are decoded in full and scaled by Qt.
    """
    longest = max(stored.width(), stored.height())
    for factor in (2, 4, 8):
        if -(-longest // factor) <= max_side:
            return QSize(-(-stored.width() // factor), -(-stored.height() // factor))
    return stored.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio)


def decode_image(path: Path, max_side: int | None) -> Decoded:
    """Read and decode `path` upright; scaled to fit `max_side` (None: full size).

    Raises `DecodeError` with an Indonesian reason. Runs in a worker thread.
    """
    try:
        data = read_file_bytes(path)
    except OSError as exc:
        raise DecodeError(str(exc)) from exc
    if not jpeg_is_complete(data):
        raise DecodeError(tr("berkas terpotong (tidak terkirim utuh). Mohon minta warga mengirim ulang fotonya."))
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QBuffer.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setDecideFormatFromContent(True)
    reader.setAutoTransform(True)
    fmt = bytes(reader.format().data()).decode("ascii", "replace").lower()
    if fmt and fmt not in _ALLOWED_FORMATS:
        raise DecodeError(tr("format foto tidak didukung."))
    stored = reader.size()  # as stored, before EXIF orientation
    if not stored.isValid() or stored.isEmpty():
        raise DecodeError(_reader_reason(reader))
    quarter_turn = bool(reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90)
    full = stored.transposed() if quarter_turn else stored
    is_full = True
    if max_side and max(stored.width(), stored.height()) > max_side:
        # NOTE: the scaled size is given in stored orientation; the reader rotates afterwards.
        reader.setScaledSize(_preview_size(stored, max_side))
        is_full = False
    image = reader.read()
    if image.isNull():
        raise DecodeError(_reader_reason(reader))
    return Decoded(image=image, full_size=full, is_full=is_full)
