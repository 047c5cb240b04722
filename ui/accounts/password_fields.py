"""Password fields of the account forms: one hidden-text field, and a new password typed twice
with the office's minimum length in the label."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

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
