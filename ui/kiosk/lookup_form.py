"""The request number and the last 4 digits of the WhatsApp number, on the on-screen pads.

Used by the status check and the survey. The number may be the kiosk's (`KIOS-…`) or the
office's (`BLG-20261201-0042`): the pad has a key for each prefix and a switch to letters.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from dikjamila.i18n import tr
from ui.kiosk.fields import KeypadDock, KioskField, digits_pattern
from ui.kiosk.theme import s

NUMBER_PATTERN = r"[A-Za-z0-9\-]{0,40}"


class LookupForm(QWidget):
    """Two fields and their pad; `changed()` when either is edited."""

    changed = Signal()

    def __init__(self, prefixes: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.number = KioskField(tr("Nomor permohonan"), "mixed", pattern=NUMBER_PATTERN, parent=self)
        self.number.edit.setPlaceholderText(tr("KIOS-… atau nomor dari kantor"))
        self.last4 = KioskField(tr("4 angka terakhir nomor WhatsApp"), "digits", pattern=digits_pattern(4),
                                parent=self)
        self.last4.edit.setMaximumWidth(s(260))
        self.dock = KeypadDock((*prefixes, "-"), self)
        self.dock.attach(self.number, self.last4)
        for field in (self.number, self.last4):
            field.edit.textChanged.connect(self.changed)
        self.number.edit.textEdited.connect(self._upper)
        self.fields_box = QVBoxLayout()
        self.fields_box.setSpacing(6)
        self.fields_box.addWidget(self.number)
        self.fields_box.addWidget(self.last4)
        self.fields_box.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(28)
        row.addLayout(self.fields_box, 5)
        row.addWidget(self.dock, 5)

    def values(self) -> tuple[str, str]:
        return self.number.text().strip().upper(), self.last4.text()

    def complete(self) -> bool:
        number, last4 = self.values()
        return len(number) >= 4 and len(last4) == 4

    def start(self) -> None:
        self.dock.focus(self.number if not self.number.text() or self.last4.text() else self.last4)

    def wipe(self) -> None:
        for field in (self.number, self.last4):
            field.edit.clear()
            field.set_message("")

    def _upper(self, text: str) -> None:
        if text != text.upper():
            position = self.number.edit.cursorPosition()
            self.number.edit.setText(text.upper())
            self.number.edit.setCursorPosition(position)
