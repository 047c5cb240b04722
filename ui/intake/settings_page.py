"""The "Penerimaan" page of the settings dialog: how received messages become requests, office
hours, how the office appears in exported chats, and the watched folders."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from dikjamila.config import Settings
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.intake.office_hours import parse_office_hours
from ui.folder_field import folder_field


class IntakeSettingsPage(QWidget):
    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.auto_create = QCheckBox(tr("Pesan dari warga tanpa permohonan terbuka langsung menjadi permohonan baru"),
                                     self)
        self.auto_create.setChecked(settings.intake_auto_create)
        self.send_received = QCheckBox(tr("Kirim pesan \"permohonan diterima\" (di luar jam: \"di luar jam layanan\")"),
                                       self)
        self.send_received.setChecked(settings.intake_send_received)
        self.window = QSpinBox(self)
        self.window.setRange(1, 24 * 60)
        self.window.setSuffix(tr(" menit"))
        self.window.setValue(settings.intake_window_minutes)
        self.window.setToolTip(tr("Pesan dan foto dari pengirim yang sama dalam jeda ini dianggap satu kiriman."))
        self.hours = QLineEdit("; ".join(settings.office_hours), self)
        self.hours.setPlaceholderText(tr("mis. senin-kamis 08:00-14:00; jumat 08:00-11:00"))
        self.chat_names = QLineEdit(", ".join(settings.office_chat_names), self)
        self.chat_names.setPlaceholderText(tr("nama kantor seperti tertulis di ekspor chat, mis. Dukcapil Balangan"))
        self.downloads = QLineEdit(settings.watch_downloads_dir, self)
        self.downloads.setPlaceholderText(tr("kosong = tidak dipantau (mis. folder Unduhan WhatsApp Desktop)"))
        self.siak = QLineEdit(settings.watch_siak_dir, self)
        self.siak.setPlaceholderText(tr("kosong = tidak dipantau (folder tempat SIAK menyimpan PDF terbit)"))
        form = QFormLayout(self)
        form.addRow(self.auto_create)
        form.addRow(self.send_received)
        form.addRow(tr("Jeda satu kiriman"), self.window)
        form.addRow(tr("Jam layanan (WITA)"), self.hours)
        form.addRow(tr("Nama kantor di chat"), self.chat_names)
        form.addRow(tr("Folder unduhan dipantau"), folder_field(self.downloads, self))
        form.addRow(tr("Folder PDF terbit SIAK"), folder_field(self.siak, self))

    def apply(self, settings: Settings) -> Settings:
        """`settings` with this page's values, checked; raises InvalidInput (Indonesian)."""
        hours = [h.strip() for h in self.hours.text().split(";") if h.strip()]
        parse_office_hours(hours)
        folders = {}
        for key, line, label in (("watch_downloads_dir", self.downloads, tr("Folder unduhan")),
                                 ("watch_siak_dir", self.siak, tr("Folder PDF terbit SIAK"))):
            text = line.text().strip()
            if text and not Path(text).is_dir():
                raise InvalidInput(tr("{label} {path} tidak ada.", label=label, path=text))
            folders[key] = text
        names = [n.strip() for n in self.chat_names.text().split(",") if n.strip()]
        return replace(settings, intake_auto_create=self.auto_create.isChecked(),
                       intake_send_received=self.send_received.isChecked(),
                       intake_window_minutes=self.window.value(), office_hours=hours, office_chat_names=names,
                       **folders)
