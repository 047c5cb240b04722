"""The action bar: one button per thing the operator can do with the request now."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dikjamila.i18n import tr
from dikjamila.lifecycle import label as status_label
from ui.editor.action_state import ActionState
from ui.paperwork.documents_button import DocumentsButton


class ActionBar(QWidget):
    """Buttons for the request's actions; `apply(state)` shows what is possible now."""

    save_clicked = Signal()
    claim_clicked = Signal()
    release_clicked = Signal()
    advance_clicked = Signal(str)
    override_clicked = Signal()
    message_clicked = Signal()
    issued_clicked = Signal()
    send_document_clicked = Signal()
    note_clicked = Signal()
    reject_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.move_buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self._row = row
        self.save = self._button(tr("Simpan"), self.save_clicked, tip=tr("Simpan perubahan data (Ctrl+S)"))
        self.save.setDefault(False)
        self.claim = self._button(tr("Ambil"), self.claim_clicked, tip=tr("Tangani permohonan ini"))
        self.release = self._button(tr("Lepaskan"), self.release_clicked,
                                    tip=tr("Kembalikan ke antrean bersama"))
        self._moves_at = row.count()
        self.override = self._button(tr("Pengecualian…"), self.override_clicked,
                                     tip=tr("Lanjut ke Diproses walau berkas belum lengkap, dengan alasan "
                                            "(supervisor)"))
        self.message = self._button(tr("Kirim pesan berkas kurang"), self.message_clicked,
                                    tip=tr("Kirim daftar berkas yang kurang ke WhatsApp pemohon"))
        self.issued = self._button(tr("Lampirkan dokumen terbit (PDF)"), self.issued_clicked)
        self.send_document = self._button(tr("Kirim dokumen lewat WhatsApp"), self.send_document_clicked)
        self.note = self._button(tr("Catatan…"), self.note_clicked, tip=tr("Tambah catatan internal"))
        self.documents = DocumentsButton(self)  # its entries are wired by the editor (ui.paperwork)
        row.addWidget(self.documents)
        row.addStretch(1)
        self.reject = self._button(tr("Tolak…"), self.reject_clicked, tip=tr("Tolak permohonan (alasan wajib)"))
        self.reject.setStyleSheet("color: #b91c1c;")
        self.blocker = QLabel(self)
        self.blocker.setObjectName("blockerLabel")
        self.blocker.setWordWrap(True)
        self.blocker.setStyleSheet("color: #92400e; background: #fffbeb; border: 1px solid #fcd34d;"
                                   "border-radius: 4px; padding: 3px 8px;")
        self.blocker.hide()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        outer.addLayout(row)
        outer.addWidget(self.blocker)

    def _button(self, text: str, signal, *, tip: str = "") -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: signal.emit())
        self._row.addWidget(button)
        return button

    def apply(self, state: ActionState, *, dirty: bool, valid: bool) -> None:
        self.save.setEnabled(state.editable and dirty and valid)
        self.save.setText(tr("Simpan*") if dirty else tr("Simpan"))
        self.save.setVisible(state.editable)
        self.claim.setVisible(state.claim)
        self.claim.setText(tr("Ambil alih") if state.take_over else tr("Ambil"))
        self.claim.setToolTip(tr("Ambil alih dari petugas yang sedang menangani") if state.take_over
                              else tr("Tangani permohonan ini"))
        self.release.setVisible(state.release)
        if [m.target for m in state.moves] != list(self.move_buttons):
            for button in self.move_buttons.values():
                self._row.removeWidget(button)
                button.deleteLater()
            self.move_buttons = {}
            for i, move in enumerate(state.moves):
                button = QPushButton(tr("Lanjut ke: {status}", status=status_label(move.target)), self)
                button.setAutoDefault(False)
                button.clicked.connect(lambda _c=False, t=move.target: self.advance_clicked.emit(t))
                self._row.insertWidget(self._moves_at + i, button)
                self.move_buttons[move.target] = button
        for move in state.moves:
            button = self.move_buttons[move.target]
            button.setEnabled(move.enabled)
            button.setToolTip(move.detail or tr("Pindahkan status ke {status}", status=status_label(move.target)))
            button.setStyleSheet("font-weight: bold;" if move.enabled else "")
        self.override.setVisible(state.override)
        self.message.setVisible(state.message)
        self.message.setEnabled(not state.message_reason)
        self.message.setToolTip(state.message_reason or tr("Kirim daftar berkas yang kurang ke WhatsApp pemohon"))
        self.issued.setVisible(state.issued)
        self.send_document.setVisible(state.send_document)
        self.send_document.setEnabled(not state.send_document_reason)
        self.send_document.setText(tr("Kirim dokumen lagi lewat WhatsApp") if state.send_again
                                   else tr("Kirim dokumen lewat WhatsApp"))
        self.send_document.setToolTip(state.send_document_reason or tr(
            "Kirim PDF dokumen terbit, persis seperti diterima, ke WhatsApp pemohon"))
        self.send_document.setStyleSheet("font-weight: bold;" if state.send_document and not state.send_document_reason
                                         and not state.send_again else "")
        self.note.setVisible(state.note)
        self.reject.setVisible(state.reject)
        lines = state.blockers()
        self.blocker.setText("\n".join(lines))
        self.blocker.setVisible(bool(lines))
