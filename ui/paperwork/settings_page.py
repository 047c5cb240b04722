"""The "Dokumen & supervisi" page of the settings dialog: the office address printed on
receipts and notices, the office's calendar folder (days off), the supervisor's WhatsApp
number (the daily audit-chain message) and the IKM survey invitation."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from dikjamila.config import Settings
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone
from dikjamila.workdays import load_calendar
from ui.folder_field import folder_field


class PaperworkSettingsPage(QWidget):
    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.address = QPlainTextEdit(settings.office_address, self)
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(58)
        self.address.setPlaceholderText(tr("mis. Jl. A. Yani Km 1,5, Paringin, Kabupaten Balangan"))
        self.address.setToolTip(tr("Dicetak di bawah nama kantor pada tanda terima, surat berkas kurang dan laporan."))
        self.calendar_dir = QLineEdit(settings.calendar_override_dir, self)
        self.calendar_dir.setPlaceholderText(tr("kosong = folder 'kalender' di folder data"))
        self.calendar_dir.setToolTip(tr("Berkas *.toml hari libur daerah, cuti bersama atau hari masuk kantor; "
                                        "dipakai untuk menghitung batas waktu layanan."))
        self.supervisor = QLineEdit(_shown_phone(settings.supervisor_phone), self)
        self.supervisor.setPlaceholderText(tr("kosong = tidak dikirim (mis. 0812-5000-3333)"))
        self.supervisor.setToolTip(tr("Sekali sehari kepala rantai jejak audit dikirim ke nomor ini, sebagai "
                                      "bukti yang tidak dapat diubah dari komputer kantor."))
        self.survey_invite = QCheckBox(tr("Kirim undangan survei saat permohonan selesai"), self)
        self.survey_invite.setChecked(settings.survey_invite_on_finish)
        self.survey_invite.setToolTip(tr("Pemohon menerima undangan survei kepuasan (IKM U1–U9) lewat WhatsApp "
                                         "ketika permohonannya terkirim atau selesai."))
        note = QLabel(tr("Nomor supervisor menerima pesan harian berisi kepala rantai jejak audit. Simpan pesan "
                         "itu: dengan angka tersebut jejak audit dapat dibuktikan tidak diubah."), self)
        note.setWordWrap(True)
        note.setStyleSheet("color: #6b7280;")
        form = QFormLayout(self)
        form.addRow(tr("Alamat kantor"), self.address)
        form.addRow(tr("Folder kalender kantor"), folder_field(self.calendar_dir, self))
        form.addRow(tr("Nomor WhatsApp supervisor"), self.supervisor)
        form.addRow("", note)
        form.addRow(self.survey_invite)

    def apply(self, settings: Settings) -> Settings:
        """`settings` with this page's values, checked; raises InvalidInput (Indonesian)."""
        address = "\n".join(" ".join(line.split()) for line in self.address.toPlainText().splitlines() if line.strip())
        phone = self.supervisor.text().strip()
        if phone:
            try:
                phone = normalize_phone(phone).e164
            except InvalidInput as exc:
                raise InvalidInput(tr("Nomor WhatsApp supervisor: {reason}", reason=exc.message)) from exc
        folder = self.calendar_dir.text().strip()
        if folder:
            if not Path(folder).is_dir():
                raise InvalidInput(tr("Folder kalender {path} tidak ada.", path=folder))
            load_calendar(Path(folder))  # a broken file is refused now (CalendarError), not at the next due time
        return replace(settings, office_address=address, calendar_override_dir=folder, supervisor_phone=phone,
                       survey_invite_on_finish=self.survey_invite.isChecked())


def _shown_phone(stored: str) -> str:
    """A stored number in its readable form (as typed, if it cannot be read)."""
    if not stored:
        return ""
    try:
        return normalize_phone(stored).display
    except InvalidInput:
        return stored
