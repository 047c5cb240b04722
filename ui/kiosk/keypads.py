"""On-screen keypads of our own: digits (NIK, WhatsApp number, request number) and letters (name).

NOTE: not Qt Virtual Keyboard: it is GPLv3/commercial, unlike the LGPL rest of Qt. These are
plain grids of buttons that never take the focus, so the field being typed keeps it (and a
physical keyboard, where there is one, types into the same field). A key inserts into the
pad's target `QLineEdit` with `insert()`, so the field's validator and maximum length apply
to tapped keys exactly as to typed ones.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from dikjamila.i18n import tr
from ui.kiosk.theme import button, s

BACKSPACE = "⌫"
#: Keys grow with the room they get, up to this tall (px); 64 px at least (the theme).
KEY_MAX_HEIGHT = 100


class Keypad(QWidget):
    """Base of the pads: a target field and what the keys do to it. `pressed(str)` tells which
    key was tapped (tests and the idle timer do not need it; screens may)."""

    pressed = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._target: QLineEdit | None = None
        self.keys: dict[str, QPushButton] = {}

    def set_target(self, edit: QLineEdit | None) -> None:
        self._target = edit

    def target(self) -> QLineEdit | None:
        return self._target

    def _key(self, face: str, text: str | None = None) -> QPushButton:
        # A word on a key ("Hapus", "KIOS-") in smaller type than a digit or a letter.
        role = "key" if len(face) == 1 else "wordkey"
        key = button(face, role, self, slot=lambda: self.tap(face if text is None else text))
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        key.setMaximumHeight(s(KEY_MAX_HEIGHT))
        self.keys[face] = key
        return key

    def tap(self, text: str) -> None:
        """What one key does: insert `text`, or erase (⌫), or clear the field ("")."""
        edit = self._target
        if edit is None:
            return
        if text == BACKSPACE:
            edit.backspace()
        elif text == "":
            edit.clear()
        else:
            edit.insert(text)
        self.pressed.emit(text)


class NumberPad(Keypad):
    """1–9, ⌫ 0 Hapus, and optional extra keys in a row above (e.g. "KIOS-", "BLG-", "-")."""

    def __init__(self, extra: Sequence[str] = (), parent: QWidget | None = None):
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        if extra:
            row = QHBoxLayout()
            row.setSpacing(10)
            for face in extra:
                row.addWidget(self._key(face))
            column.addLayout(row)
        grid = QGridLayout()
        grid.setSpacing(10)
        for n in range(9):
            grid.addWidget(self._key(str(n + 1)), n // 3, n % 3)
        grid.addWidget(self._key(BACKSPACE), 3, 0)
        grid.addWidget(self._key("0"), 3, 1)
        grid.addWidget(self._key(tr("Hapus"), ""), 3, 2)
        column.addLayout(grid)


_LETTER_ROWS = ("QWERTYUIOP", "ASDFGHJKL'", "ZXCVBNM.,-")


class LetterPad(Keypad):
    """A QWERTY pad of capital letters (names are written in capitals on civil documents),
    with the apostrophe, dot, comma and hyphen names use, a space bar and ⌫."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for row, letters in enumerate(_LETTER_ROWS):
            for column, letter in enumerate(letters):
                grid.addWidget(self._key(letter), row, column)
        grid.addWidget(self._key(tr("Hapus"), ""), 3, 0, 1, 2)
        grid.addWidget(self._key(tr("Spasi"), " "), 3, 2, 1, 6)
        grid.addWidget(self._key(BACKSPACE), 3, 8, 1, 2)
