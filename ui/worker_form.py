"""A small form dialog whose OK runs one call on the database worker: a refusal is shown in
the form (which stays open with what was typed), success closes it.

Used by the sign-in dialogs (`ui.login`, imported at start-up: keep this module's imports
light) and the account forms (`ui.accounts`). Opened with `open()` (window-modal) in a session;
the sign-in dialogs, which come before any window, with `exec()`.
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
    QVBoxLayout,
    QWidget,
)

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr


class WorkerForm(QDialog):
    """Title, a line of explanation, a form, a message line, OK/Batal.

    Subclasses add rows to `self.form` and build the work in `call()`. `submit_job` queues it:
    `DbWorker.submit`, or `AppContext.submit` in a session. `busy_label` names the work while it
    runs (default: the title). `result_value` is what the work returned, once accepted.
    """

    def __init__(self, submit_job: Callable[..., Any], title: str, intro: str, ok_text: str,
                 parent: QWidget | None = None, *, busy_label: str = ""):
        super().__init__(parent)
        self._submit_job = submit_job
        self._busy_label = busy_label or title
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
        self._set_busy(True)
        self._submit_job(work, self._done, self._refused, label=self._busy_label)

    def reject(self) -> None:
        if not self.buttons.isEnabled():
            return  # a call is running: its answer comes to this form (Esc waits)
        super().reject()

    def _set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        # NOTE: argon2 takes a noticeable moment on purpose (sign-in, new and changed passwords)
        self.setCursor(Qt.CursorShape.WaitCursor if busy else Qt.CursorShape.ArrowCursor)

    def _done(self, value) -> None:
        self._set_busy(False)
        self.result_value = value
        self.accept()

    def _refused(self, message: str) -> None:
        self._set_busy(False)
        self.message.setText(message)
