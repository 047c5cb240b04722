"""The "Cadangan" page of the settings dialog: the scheduled folder backup (`backup_dir`,
`backup_daily`, `backup_keep`; `dikjamila.backup_folder`). The folder is this PC's own
(another disk, or a share of another PC); whether a backup may go there is checked by the core
when saving, on the database worker (`check_backup_target`), like the setup wizard does."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from dikjamila.config import Settings
from dikjamila.i18n import tr
from ui.folder_field import folder_field


class BackupSettingsPage(QWidget):
    def __init__(self, settings: Settings, backend: str, parent=None):
        super().__init__(parent)
        self.folder = QLineEdit(settings.backup_dir, self)
        self.folder.setPlaceholderText(tr("mis. D:\\Cadangan Dik Jamila atau \\\\pc-lain\\cadangan"))
        self.daily = QCheckBox(tr("Buat cadangan setiap hari"), self)
        self.daily.setToolTip(tr("Selama aplikasi terbuka: sekali sehari, saat dibuka atau setiap 10 menit diperiksa."))
        self.daily.setChecked(settings.backup_daily)
        self.keep = QSpinBox(self)
        self.keep.setRange(1, 365)
        self.keep.setSuffix(tr(" salinan"))
        self.keep.setValue(settings.backup_keep)
        intro = QLabel(tr("Cadangan berisi salinan basis data dan semua lampiran. Lampiran disimpan menurut isinya, "
                          "jadi cadangan berikutnya hanya menyalin berkas yang baru. Pilih folder di disk lain atau "
                          "di komputer lain: cadangan di disk yang sama ikut hilang bila disk itu rusak. Kosong = "
                          "tidak ada cadangan terjadwal."), self)
        intro.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(tr("Folder cadangan"), folder_field(self.folder, self))
        form.addRow("", self.daily)
        form.addRow(tr("Simpan salinan terbaru"), self.keep)
        if backend != "sqlite":
            # The folder backup copies the SQLite file; a server is backed up with pg_dump (README).
            for widget in (self.folder, self.daily, self.keep):
                widget.setEnabled(False)
            note = QLabel(tr("Basis data kantor ini ada di server: cadangkan dengan pg_dump di server itu "
                             "(lihat Panduan admin)."), self)
            note.setWordWrap(True)
            note.setStyleSheet("color: #6b7280;")
            form.addRow(note)

    def apply(self, settings: Settings) -> Settings:
        return replace(settings, backup_dir=self.folder.text().strip(), backup_daily=self.daily.isChecked(),
                       backup_keep=self.keep.value())
