"""Print a PDF (bytes) on a QPrinter: every page rendered by PDFium, fitted to the paper.

QPdfDocument renders pages to images; each is drawn into the printer's printable area with
its aspect kept, centred across and from the top. The images are made at the printer's
resolution but no finer than `MAX_DPI`: a 1200 dpi A4 page would be a 550 MB image, and
300 dpi is already finer than the receipts' text needs. Safe to run off the GUI thread (a
QPainter may paint on a QPrinter in any thread; the document here is the job's own).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QRectF, QSize
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from dikjamila.errors import UserError
from dikjamila.i18n import tr

MAX_DPI = 300


def prepare_a4(printer: QPrinter) -> None:
    """A4 portrait, the paper of every document the office prints."""
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)


def print_pdf(data: bytes, printer: QPrinter, *, progress: Callable[[float, str], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> int:
    """Print every page of the PDF `data` on `printer` (set up by the caller: a dialog's
    choice, or PdfFormat with a file name); return the number of pages printed.

    `progress(fraction, text)` is called per page; `cancelled()` is asked before each page
    (a cancelled job ends the print job with the pages so far). Raises `UserError` (in
    Indonesian) when the PDF cannot be read or the printer cannot be opened.
    """
    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QBuffer.OpenModeFlag.ReadOnly)
    try:
        document.load(buffer)
        count = document.pageCount() if document.status() == QPdfDocument.Status.Ready else 0
        if count <= 0:
            raise UserError(tr("PDF ini tidak dapat dibaca untuk dicetak."))
        painter = QPainter()
        if not painter.begin(printer):
            raise UserError(tr("Printer tidak dapat dipakai. Periksa printernya (menyala, kertas, kabel) "
                               "lalu coba lagi."))
        printed = 0
        try:
            for index in range(count):
                if cancelled is not None and cancelled():
                    break
                if index:
                    printer.newPage()
                _draw_page(document, index, painter, printer)
                printed += 1
                if progress is not None:
                    progress(printed / count, tr("Mencetak halaman {page} dari {count}…", page=printed, count=count))
        finally:
            painter.end()
        return printed
    finally:
        document.close()
        buffer.close()


def _draw_page(document: QPdfDocument, index: int, painter: QPainter, printer: QPrinter) -> None:
    area = printer.pageLayout().paintRectPixels(printer.resolution())  # printable area, device pixels
    points = document.pagePointSize(index)
    if points.width() <= 0 or points.height() <= 0:
        return
    dpi = printer.resolution()
    natural_w, natural_h = points.width() / 72 * dpi, points.height() / 72 * dpi
    scale = min(area.width() / natural_w, area.height() / natural_h)
    target = QRectF(0, 0, natural_w * scale, natural_h * scale)
    target.moveLeft((area.width() - target.width()) / 2)  # painter origin: the printable area's corner
    render_scale = min(1.0, MAX_DPI / dpi)
    image = document.render(index, QSize(max(1, round(target.width() * render_scale)),
                                         max(1, round(target.height() * render_scale))))
    painter.drawImage(target, image)
