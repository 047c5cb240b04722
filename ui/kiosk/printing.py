"""Printing the receipt: its PDF's pages drawn straight onto the default printer.

No print dialog (a resident should not have to choose a printer): the kiosk prints to the
PC's default printer on A4 or on an 80 mm receipt roll (the `paper` option). Tests and the
screenshot tool print into a PDF file instead. The receipt PDF (made by the core) is
rendered with QtPdf at the printer's resolution (at most 300 dpi) and scaled to the paper's
width.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QRectF,
    QSize,
    QSizeF,
)
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from dikjamila.errors import UserError
from dikjamila.i18n import tr

ROLL_WIDTH_MM = 80.0
MAX_DPI = 300


def print_pdf(pdf: bytes, *, paper: str = "a4", to_pdf: Path | None = None) -> int:
    """Print every page of `pdf`; return the number of pages printed.

    Raises `UserError` (Indonesian) when there is no printer or the PDF cannot be read.
    """
    if to_pdf is None and QPrinterInfo.defaultPrinter().isNull():
        raise UserError(tr("Tidak ada printer yang terpasang. Catat nomor permohonan Anda, atau minta bantuan "
                           "petugas."))
    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()  # NOTE: no parent (never the application's: it would live until exit)
    try:
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
            raise UserError(tr("Tanda terima tidak dapat dicetak (berkasnya rusak)."))
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if to_pdf is not None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(to_pdf))
        printer.setResolution(min(printer.resolution(), MAX_DPI))
        first = document.pagePointSize(0)
        printer.setPageLayout(_layout(paper, first))
        painter = QPainter()
        if not painter.begin(printer):
            raise UserError(tr("Printer tidak dapat dipakai. Periksa kertas dan kabelnya, atau minta bantuan petugas."))
        try:
            for index in range(document.pageCount()):
                if index:
                    printer.newPage()
                _draw_page(painter, printer, document, index)
        finally:
            painter.end()
        return document.pageCount()
    finally:
        document.close()
        shiboken6.delete(document)
        buffer.close()


def _layout(paper: str, page_points: QSizeF) -> QPageLayout:
    if paper == "80mm":
        ratio = page_points.height() / max(page_points.width(), 1.0)
        size = QPageSize(QSizeF(ROLL_WIDTH_MM, ROLL_WIDTH_MM * ratio), QPageSize.Unit.Millimeter,
                         "Struk 80 mm", QPageSize.SizeMatchPolicy.ExactMatch)
        return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(2, 2, 2, 2), QPageLayout.Unit.Millimeter)
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                       QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter)


def _draw_page(painter: QPainter, printer: QPrinter, document: QPdfDocument, index: int) -> None:
    area = printer.pageLayout().paintRectPixels(printer.resolution())
    points = document.pagePointSize(index)
    scale = min(area.width() / max(points.width(), 1.0), area.height() / max(points.height(), 1.0))
    size = QSize(max(1, int(points.width() * scale)), max(1, int(points.height() * scale)))
    image = document.render(index, size)
    painter.drawImage(QRectF(0, 0, size.width(), size.height()), image)
