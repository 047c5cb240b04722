"""A small form dialog whose OK runs one call on the database worker: a refusal is shown in
the form (which stays open with what was typed), success closes it. Opened with `open()`
(window-modal), never `exec()`.

`PasswordPair` is a new password typed twice, with the office's minimum length in the label.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dikjamila.auth.passwords import MIN_LENGTH
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr


def password_edit(parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class PasswordPair:
    """Two password fields added to `form`; `value()` refuses when they differ."""

    def __init__(self, form: QFormLayout, parent: QWidget, *, label: str = ""):
        self.password = password_edit(parent)
        self.repeat = password_edit(parent)
        form.addRow(label or tr("Kata sandi baru (min. {n})", n=MIN_LENGTH), self.password)
        form.addRow(tr("Ulangi kata sandi baru"), self.repeat)

    def value(self) -> str:
        if not self.password.text():
            raise InvalidInput(tr("Isi kata sandi baru."))
        if self.password.text() != self.repeat.text():
            raise InvalidInput(tr("Kedua kata sandi tidak sama."))
        return self.password.text()


class WorkerForm(QDialog):
    """Title, a line of explanation, a form, a message line, OK/Batal."""

    def __init__(self, ctx, title: str, intro: str, ok_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.result_value: Any = None
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(440)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.form = QFormLayout()
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b91c1c;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def call(self) -> Callable[[], Any]:
        """The work to run on the worker, built from the form; raises InvalidInput (shown)."""
        raise NotImplementedError

    def submit(self) -> None:
        try:
            work = self.call()
        except InvalidInput as exc:
            self.message.setText(exc.message)
            return
        self.message.setText("")
        self.buttons.setEnabled(False)
        self.ctx.submit(work, self._done, self._refused, label=self.windowTitle())

    def reject(self) -> None:
        if not self.buttons.isEnabled():
            return  # a call is running: its answer comes to this form (Esc waits)
        super().reject()

    def _done(self, value) -> None:
        self.buttons.setEnabled(True)
        self.result_value = value
        self.accept()

    def _refused(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(message)
