"""The last page: the kiosk number, very large, with "Cetak" and "Selesai"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from dikjamila.i18n import tr
from dikjamila.kiosk.api import KioskReceipt
from ui.kiosk.printing import print_pdf
from ui.kiosk.theme import HUGE_PT, button, label, page, s


class ReceiptPage(QWidget):
    """Shows a `KioskReceipt`; `done()` when the resident presses "Selesai"."""

    done = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        page(self)
        self.ctx = ctx
        self.receipt: KioskReceipt | None = None
        self._printing = False
        self.heading = label(tr("Permohonan Anda sudah diterima kios"), "heading", self, center=True)
        self.intro = label(tr("Nomor permohonan Anda:"), "subheading", self, center=True)
        self.number = label("", "huge", self, center=True)
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.explain = label(tr("Simpan atau foto nomor ini. Permohonan dikirim ke kantor Disdukcapil begitu kios "
                                "terhubung. Nomor dari kantor dan kabar selanjutnya dikirim ke WhatsApp Anda."),
                             "", self, center=True)
        self.message = label("", "ok", self, center=True)
        self.print_button = button(tr("Cetak tanda terima"), "", self, slot=self.print_receipt)
        self.finish = button(tr("Selesai"), "primary", self, slot=self.done)
        for b in (self.print_button, self.finish):
            b.setMinimumWidth(s(340))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addSpacing(40)
        buttons.addWidget(self.finish)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(40, 20, 40, 20)
        column.setSpacing(18)
        column.addStretch(1)
        column.addWidget(self.heading)
        column.addWidget(self.intro)
        column.addWidget(self.number)
        column.addWidget(self.explain)
        column.addWidget(self.message)
        column.addStretch(1)
        column.addLayout(buttons)

    def show_receipt(self, receipt: KioskReceipt) -> None:
        self.receipt = receipt
        self.number.setText(receipt.kiosk_number)
        self._fit_number()
        self.message.setText("")
        self.print_button.setEnabled(True)

    def print_receipt(self) -> None:
        """Print on the default printer (tests: into the options' PDF file), on the executor:
        rendering an A4 page at 300 dpi takes a moment (QPainter may paint on a QPrinter off the
        GUI thread)."""
        if self.receipt is None or self._printing:
            return
        options, pdf = self.ctx.options, self.receipt.pdf
        self._printing = True
        self.print_button.setEnabled(False)
        self._say(tr("Mencetak…"), "muted")
        self.ctx.executor.start(lambda _state: print_pdf(pdf, paper=options.paper, to_pdf=options.print_to_pdf),
                                self._printed, self._print_failed, owner=self, label=tr("Mencetak…"))

    def _printed(self, _pages: int) -> None:
        self._printing = False
        self.print_button.setEnabled(True)
        self._say(tr("Tanda terima sudah dikirim ke printer. Ambil di printer."), "ok")

    def _print_failed(self, message: str) -> None:
        self._printing = False
        self.print_button.setEnabled(True)
        self._say(message, "error")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_number()

    def _fit_number(self) -> None:
        """As large as the page is wide: a long village name must not cut the number off."""
        room = self.width() - 100
        size = s(HUGE_PT)
        font = QFont(self.number.font())
        while size > s(26):
            font.setPointSize(size)
            if QFontMetrics(font).horizontalAdvance(self.number.text()) <= room:
                break
            size -= 2
        self.number.setStyleSheet(f"font-size: {size}pt;")

    def wipe(self) -> None:
        self.receipt = None
        self.number.setText("")
        self.message.setText("")

    def _say(self, text: str, role: str) -> None:
        self.message.setText(text)
        self.message.setProperty("role", role)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
