"""Dialogs of the request editor: a reason or note, and the "berkas kurang" message."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)

from dikjamila.i18n import tr


class TextDialog(QDialog):
    """Ask for a text (reason, note, message). OK stays disabled until it is long enough."""

    def __init__(self, parent, *, title: str, prompt: str, text: str = "", min_length: int = 1,
                 ok_text: str = "", check_text: str = "", checked: bool = False):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.min_length = min_length
        lay = QVBoxLayout(self)
        label = QLabel(prompt, self)
        label.setWordWrap(True)
        lay.addWidget(label)
        self.edit = QPlainTextEdit(self)
        self.edit.setPlainText(text)
        self.edit.setTabChangesFocus(True)
        lay.addWidget(self.edit, 1)
        self.hint = QLabel(self)
        self.hint.setStyleSheet("color: #6b7280;")
        lay.addWidget(self.hint)
        self.check = QCheckBox(check_text, self)
        self.check.setChecked(checked)
        self.check.setVisible(bool(check_text))
        lay.addWidget(self.check)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text or tr("Simpan"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.edit.textChanged.connect(self._update)
        self._update()
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update(self) -> None:
        n = len(self.edit.toPlainText().strip())
        ok = n >= self.min_length
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        self.hint.setText("" if ok or self.min_length <= 1 else
                          tr("Tulis paling sedikit {n} karakter.", n=self.min_length))

    def value(self) -> str:
        return self.edit.toPlainText().strip()


def ask_text(parent, **kwargs) -> str | None:
    dialog = TextDialog(parent, **kwargs)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_missing_message(parent, text: str, *, phone: str, can_mark: bool) -> tuple[str, bool] | None:
    """The "berkas kurang" message, editable before it is queued; (text, also set status)."""
    dialog = TextDialog(
        parent, title=tr("Kirim pesan berkas kurang"),
        prompt=tr("Pesan ini akan dikirim ke WhatsApp {phone}. Periksa dan ubah bila perlu:", phone=phone),
        text=text, ok_text=tr("Kirim"),
        check_text=tr("Ubah status menjadi Berkas kurang") if can_mark else "", checked=can_mark)
    dialog.resize(620, 480)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.value(), dialog.check.isChecked() and can_mark
