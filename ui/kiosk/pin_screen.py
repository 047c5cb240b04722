"""The PIN pad that guards leaving kiosk mode (the admin PIN, checked by the station)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from dikjamila.i18n import tr
from ui.kiosk.keypads import NumberPad
from ui.kiosk.theme import button, label, page, s


class PinScreen(QWidget):
    """Signals: `accepted()` — the PIN was right; `cancelled()` — back to the kiosk."""

    accepted = Signal()
    cancelled = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        page(self)
        self.ctx = ctx
        self._checking = False
        self.heading = label(tr("Khusus petugas: keluar dari mode kios"), "heading", self, center=True)
        hint = tr("Masukkan PIN petugas, lalu tekan \"Keluar\".")
        self.hint = label(f"{hint} {ctx.options.pin_hint}".strip(), "muted", self, center=True)
        self.edit = QLineEdit(self)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setMaxLength(12)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.edit.setFixedWidth(s(420))
        self.edit.returnPressed.connect(self.check)
        self.message = label("", "error", self, center=True)
        self.pad = NumberPad(parent=self)
        self.pad.set_target(self.edit)
        self.pad.setFixedWidth(s(420))
        self.back = button(tr("Batal"), "", self, slot=self._cancel)
        self.leave = button(tr("Keluar"), "primary", self, slot=self.check)
        for b in (self.back, self.leave):
            b.setMinimumWidth(s(220))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        buttons.addSpacing(30)
        buttons.addWidget(self.leave)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setSpacing(14)
        column.addStretch(1)
        column.addWidget(self.heading)
        column.addWidget(self.hint)
        column.addWidget(self.edit, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.message)
        column.addWidget(self.pad, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addLayout(buttons)
        column.addStretch(1)

    def open(self) -> None:
        self.edit.clear()
        self.message.setText("")
        self.edit.setFocus()

    def check(self) -> None:
        pin = self.edit.text()
        if self._checking:
            return
        if not pin:
            self.message.setText(tr("Masukkan PIN dulu."))
            return
        self._checking = True
        station = self.ctx.station
        self.ctx.call(lambda: station.check_pin(pin), self._checked, self._failed)

    def _checked(self, right: bool) -> None:
        self._checking = False
        self.edit.clear()
        if right:
            self.accepted.emit()
        else:
            self.message.setText(tr("PIN salah. Mode kios tetap berjalan."))

    def _failed(self, message: str) -> None:
        self._checking = False
        self.edit.clear()
        self.message.setText(message)

    def _cancel(self) -> None:
        self.edit.clear()
        self.message.setText("")
        self.cancelled.emit()
