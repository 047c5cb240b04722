"""What a locked workstation shows: a curtain over each window (what was on screen stays there,
hidden) and the application-modal lock dialog asking the signed-in user's password.

The dialog cannot be dismissed: Esc and its close button do nothing; only `release()` (after
the right password, or when the session ends) lets it close.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dikjamila.auth.roles import Actor
from dikjamila.i18n import tr


class Curtain(QWidget):
    """An opaque cover over the whole of `window` (menus and status bar too), following its size."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("lockCurtain")
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        label = QLabel(tr("Dik Jamila terkunci"), self)
        label.setStyleSheet("color: #6b7280; font-size: 18px;")
        layout = QVBoxLayout(self)
        layout.addWidget(label, 0, Qt.AlignmentFlag.AlignCenter)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        window = self.parentWidget()
        if window is not None and watched is window and event.type() in (QEvent.Type.Resize,
                                                                         QEvent.Type.ChildAdded):
            self.setGeometry(window.rect())
            self.raise_()  # a widget added to the window later stays under the curtain
        return False


class LockDialog(QDialog):
    """Signals: `unlock_requested(password)`, `leave_requested()` ("Keluar")."""

    unlock_requested = Signal(str)
    leave_requested = Signal()

    def __init__(self, actor: Actor, reason: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._released = False
        self.setWindowTitle(tr("Dik Jamila — terkunci"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.setMinimumWidth(440)
        self.reason = QLabel(reason, self)
        self.reason.setWordWrap(True)
        self.who = QLabel(tr("Masuk sebagai <b>{name}</b> ({username}).", name=actor.full_name,
                             username=actor.username), self)
        self.who.setTextFormat(Qt.TextFormat.RichText)
        hint = QLabel(tr("Masukkan kata sandi Anda untuk melanjutkan. Semua yang sedang dibuka dan isian yang "
                         "belum disimpan tetap seperti semula."), self)
        hint.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(tr("Kata sandi"))
        self.password.returnPressed.connect(self._unlock)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b91c1c;")
        self.unlock = QPushButton(tr("Buka kunci"), self)
        self.unlock.setDefault(True)
        self.unlock.clicked.connect(self._unlock)
        self.leave = QPushButton(tr("Keluar"), self)
        self.leave.setAutoDefault(False)
        self.leave.setToolTip(tr("Tutup Dik Jamila agar petugas lain dapat masuk. Perubahan yang belum "
                                 "disimpan ditanyakan dulu."))
        self.leave.clicked.connect(lambda: self.leave_requested.emit())
        buttons = QHBoxLayout()
        buttons.addWidget(self.leave)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock)
        layout = QVBoxLayout(self)
        for widget in (self.reason, self.who, hint, self.password, self.message):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _unlock(self) -> None:
        if not self.unlock.isEnabled():
            return  # a check is running
        if not self.password.text():
            self.message.setText(tr("Isi kata sandi."))
            return
        self.unlock_requested.emit(self.password.text())

    def set_checking(self, on: bool) -> None:
        self.unlock.setEnabled(not on)
        if on:
            self.message.setText(tr("Memeriksa kata sandi…"))

    def refuse(self, message: str) -> None:
        """A wrong password (or an account no longer active): say so, stay locked."""
        self.set_checking(False)
        self.message.setText(message)
        self.password.clear()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_reason(self, reason: str) -> None:
        self.reason.setText(reason)

    def release(self) -> None:
        """Let the dialog close (unlocked, or the session ends)."""
        self._released = True

    # NOTE: Esc (reject) and the window's close button would otherwise unlock without a password.
    def reject(self) -> None:
        if self._released:
            super().reject()

    def closeEvent(self, event) -> None:
        if self._released:
            super().closeEvent(event)
        else:
            event.ignore()
