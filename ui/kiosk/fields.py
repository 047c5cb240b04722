"""A labelled field with its message line, and the dock that shows the right keypad for it.

A screen with several fields (name, WhatsApp number, NIK) shows one keypad at a time: the
letters while the name has the focus, the digits for a number. Tapping a field gives it the
focus; the dock follows the focus and points its pad at that field.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from dikjamila.i18n import tr
from ui.kiosk.keypads import Keypad, LetterPad, NumberPad
from ui.kiosk.theme import button, label


class KioskField(QWidget):
    """Caption, a large line edit and a message line under it (errors in red, plain words).

    `kind` picks the keypad: "letters" or "digits". `pattern` (a regular expression) limits
    what can be typed or tapped in.
    """

    focused = Signal(object)  # self

    def __init__(self, caption: str, kind: str, *, pattern: str = "", max_length: int = 0,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = kind
        self.caption = label(caption, "caption", self)
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(caption)
        if pattern:
            self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self.edit))
        if max_length:
            self.edit.setMaxLength(max_length)
        self.edit.installEventFilter(self)
        self.message = label("", "fieldError", self)
        self.message.setMinimumHeight(self.message.fontMetrics().height())
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.caption)
        column.addWidget(self.edit)
        column.addWidget(self.message)

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)

    def set_message(self, text: str, role: str = "error") -> None:
        """The line under the field: `role` "error" (red) or "ok" (green)."""
        role = "fieldOk" if role == "ok" else "fieldError"
        self.message.setText(text)
        if self.message.property("role") != role:
            self.message.setProperty("role", role)
            self.message.style().unpolish(self.message)
            self.message.style().polish(self.message)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.FocusIn:
            self.focused.emit(self)
        return False


class KeypadDock(QWidget):
    """Shows the letter pad or the number pad, pointed at the field that has the focus.

    A field of kind "mixed" (a request number: `KIOS-…` or `BLG-…`) starts on the digits
    and gets a key to switch to the letters and back.
    """

    def __init__(self, number_extra: tuple[str, ...] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.stack = QStackedWidget(self)
        self.letters = LetterPad(self.stack)
        self.digits = NumberPad(number_extra, self.stack)
        self.stack.addWidget(self.digits)
        self.stack.addWidget(self.letters)
        self.switch = button(tr("Huruf ABC"), "small", self, slot=self._toggle)
        self.switch.hide()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        column.addWidget(self.switch, 0, Qt.AlignmentFlag.AlignRight)
        column.addWidget(self.stack)

    def attach(self, *fields: KioskField) -> None:
        for field in fields:
            field.focused.connect(self.follow)

    def follow(self, field: KioskField) -> None:
        """Point the pads at `field` and show the one its kind wants."""
        for pad in (self.letters, self.digits):
            pad.set_target(field.edit)
        self.switch.setVisible(field.kind == "mixed")
        self._show(self.letters if field.kind == "letters" else self.digits)

    def current_pad(self) -> Keypad:
        return self.letters if self.stack.currentWidget() is self.letters else self.digits

    def focus(self, field: KioskField) -> None:
        """Give `field` the focus (and the pad) as a tap on it would."""
        field.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.follow(field)

    def _toggle(self) -> None:
        self._show(self.digits if self.current_pad() is self.letters else self.letters)

    def _show(self, pad: Keypad) -> None:
        self.stack.setCurrentWidget(pad)
        self.switch.setText(tr("Angka 123") if pad is self.letters else tr("Huruf ABC"))


def digits_pattern(n: int) -> str:
    return rf"\d{{0,{n}}}"
