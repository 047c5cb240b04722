"""A big button with an optional picture, a title and one line of explanation under it."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.kiosk.theme import ACCENT, BORDER, PANEL, s


class ChoiceButton(QPushButton):
    """A large, touchable choice ("Ajukan permohonan", a service, "Ya"/"Tidak").

    The texts sit in labels inside the button; they let taps through to it. Checkable
    choices turn dark blue with white text when chosen.
    """

    def __init__(self, title: str, description: str = "", picture: QPixmap | None = None, *,
                 parent: QWidget | None = None, title_pt: int = 24, min_height: int = 96):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoDefault(False)
        self.setAccessibleName(title)
        self.setProperty("role", "bigchoice")
        self.setMinimumHeight(s(min_height))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.row = row = QHBoxLayout(self)
        row.setContentsMargins(20, 10, 20, 10)
        row.setSpacing(18)
        self.picture = QLabel(self)
        if picture is not None:
            self.picture.setPixmap(picture)
            self.picture.setFixedSize(picture.size() / max(1.0, picture.devicePixelRatio()))
            row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignVCenter)
        else:
            self.picture.hide()
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.title = QLabel(title, self)
        self.title.setWordWrap(True)
        self._css = {self.title: f"font-size: {s(title_pt)}pt; font-weight: bold; background: transparent;"}
        texts.addWidget(self.title)
        self.description = QLabel(description, self)
        self.description.setWordWrap(True)
        self._css[self.description] = f"font-size: {s(17)}pt; background: transparent;"
        self.description.setVisible(bool(description))
        texts.addWidget(self.description)
        row.addLayout(texts, 1)
        for child in (self.picture, self.title, self.description):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.toggled.connect(self._restyle)
        self._restyle(False)

    def sizeHint(self) -> QSize:
        hint = self.row.sizeHint()
        return QSize(hint.width(), max(hint.height(), self.minimumHeight()))

    def minimumSizeHint(self) -> QSize:
        # NOTE: narrow enough for the texts to wrap (a QPushButton's own minimum is its
        # unwrapped text); the height then follows the width through the layout.
        picture = self.picture.width() if self.picture.isVisibleTo(self) else 0
        stacked = self.row.direction() in (QBoxLayout.Direction.TopToBottom, QBoxLayout.Direction.BottomToTop)
        width = max(picture + 40, s(180)) if stacked else picture + 18 + s(220)
        return QSize(width, self.minimumHeight())

    def _restyle(self, checked: bool) -> None:
        ink = "white" if checked else "#111827"
        for text, css in self._css.items():
            text.setStyleSheet(f"{css} color: {ink};")
        background, border = (ACCENT, "#172554") if checked else ("#ffffff", BORDER)
        self.setStyleSheet(f"QPushButton {{ background: {background}; border: 3px solid {border}; "
                           f"border-radius: 14px; text-align: left; padding: 0px; }}"
                           f"QPushButton:pressed {{ background: {PANEL if not checked else ACCENT}; }}")
