""""Periksa jejak audit": prove the audit trail unchanged up to a head written down elsewhere.

The supervisor types the head printed on a report, in a backup's note, or in the daily WhatsApp
message ("JUMLAH:HASH"); the check runs on the database worker. The head as it is now is shown
with a copy button, to be noted down for a later check.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from dikjamila.i18n import tr

INTACT_STYLE = "color: #166534; font-weight: bold;"
BROKEN_STYLE = "color: #b91c1c; font-weight: bold;"


class AuditCheckDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Periksa jejak audit"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        intro = QLabel(tr(
            "Ketik kepala rantai audit yang dicatat di luar basis data — tercetak di kaki laporan, di catatan "
            "cadangan, atau dalam pesan WhatsApp harian supervisor — seperti <b>1523:9f2c4e1a0b7d3e55</b>. "
            "Pemeriksaan membuktikan riwayat sampai titik itu tidak diubah. Kosongkan untuk memeriksa rantai "
            "saja (tidak menangkap rantai yang dihitung ulang seluruhnya)."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.head_input = QLineEdit(self)
        self.head_input.setPlaceholderText(tr("JUMLAH:HASH"))
        self.head_input.returnPressed.connect(self.run_check)
        self.check_button = QPushButton(tr("Periksa"), self)
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.run_check)
        row.addWidget(self.head_input, 1)
        row.addWidget(self.check_button)
        layout.addLayout(row)
        self.verdict = QLabel("", self)
        self.verdict.setWordWrap(True)
        layout.addWidget(self.verdict)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(120)
        layout.addWidget(self.details, 1)
        now_row = QHBoxLayout()
        self.current = QLabel("", self)
        self.current.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.current.setWordWrap(True)
        self.copy_button = QPushButton(tr("Salin"), self)
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self._copy_head)
        now_row.addWidget(self.current, 1)
        now_row.addWidget(self.copy_button)
        layout.addLayout(now_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._head_text = ""
        ctx.submit(ctx.desk.audit_head, self._show_head, self._refused)

    def run_check(self) -> None:
        typed = self.head_input.text()
        self.check_button.setEnabled(False)
        self.verdict.setStyleSheet("")
        self.verdict.setText(tr("Memeriksa…"))
        self.details.clear()
        self.ctx.submit(lambda: self.ctx.desk.check_audit(typed), self._show_check, self._refused,
                        label=tr("Memeriksa jejak audit…"))

    def _show_check(self, check) -> None:
        self.check_button.setEnabled(True)
        if check.intact:
            self.verdict.setStyleSheet(INTACT_STYLE)
            self.verdict.setText(
                tr("Utuh sampai kepala {head}: riwayat sampai titik itu tidak diubah.", head=check.against)
                if check.against else tr("Rantai utuh ({n} peristiwa).", n=check.events))
        else:
            self.verdict.setStyleSheet(BROKEN_STYLE)
            self.verdict.setText(tr("RUSAK: {n} masalah ditemukan. Laporkan ke admin dan simpan cadangan terakhir.",
                                    n=len(check.problems)))
        self.details.setPlainText("\n".join(check.problems))
        self._show_head(check.head)

    def _show_head(self, head) -> None:
        self._head_text = str(head)
        self.current.setText(tr("Kepala rantai sekarang: {head}", head=self._head_text))
        self.copy_button.setEnabled(True)

    def _copy_head(self) -> None:
        QGuiApplication.clipboard().setText(self._head_text)

    def _refused(self, message: str) -> None:
        self.check_button.setEnabled(True)
        self.verdict.setStyleSheet(BROKEN_STYLE)
        self.verdict.setText(message)
