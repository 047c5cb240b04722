"""The "Lampiran" page of the settings dialog: where attachments are kept (`attachment_storage`)
and the shared folder for "Folder bersama" (`attachment_folder`).

The kind of storage is an office setting (kept in the database: every PC follows it); the
folder is this PC's own (`office_settings.LOCAL_KEYS`): a share may be `S:` here and
`\\\\server\\dikjamila` elsewhere. Whether this PC can write the folder is checked by the core
when saving (`Office.update_settings`, on the database worker: a slow share never freezes the
window), so here only the form is checked.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from dikjamila.config import Settings, attachment_storage_for
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from ui.folder_field import folder_field

STORAGES = [("auto", "Otomatis (server: di basis data; SQLite: folder data)"),
            ("folder", "Folder bersama"),
            ("database", "Di basis data")]
_GREY = "color: #6b7280;"


class AttachmentStoragePage(QWidget):
    """`backend` is the open database's kind ("sqlite", "postgresql"); `data_blobs` the data
    dir's own attachment folder (what an empty folder means)."""

    def __init__(self, settings: Settings, backend: str, data_blobs: Path, parent=None):
        super().__init__(parent)
        self.backend = backend
        self.data_blobs = data_blobs
        self.storage = QComboBox(self)
        for code, name in STORAGES:
            self.storage.addItem(tr(name), code)
        self.storage.setCurrentIndex(max(0, self.storage.findData(settings.attachment_storage)))
        self.folder = QLineEdit(settings.attachment_folder, self)
        self.folder.setPlaceholderText(tr("mis. \\\\server\\dikjamila\\lampiran atau S:\\lampiran"))
        self.folder.setToolTip(tr("Folder yang dapat dibuka dan ditulis dari setiap komputer kantor."))
        self.folder_box = folder_field(self.folder, self)
        self.where = QLabel("", self)
        self.where.setWordWrap(True)
        on_sqlite = backend == "sqlite"
        database = tr("Di basis data: lampiran disimpan di dalam basis data, sehingga setiap komputer yang "
                      "memakai server yang sama dapat membukanya.")
        database += " " + (tr("Basis data kantor ini SQLite (satu komputer): pilihan ini boleh, tetapi berkas basis "
                              "data ikut membesar; folder data biasanya lebih tepat.") if on_sqlite else
                           tr("Ini yang dipakai \"Otomatis\" untuk basis data server."))
        self.database_note = QLabel(database, self)
        self.note = QLabel(tr(
            "Jenis penyimpanan berlaku untuk semua komputer kantor; folder bersama diatur di setiap komputer "
            "(huruf drive atau alamat jaringannya bisa berbeda), jadi isi juga di komputer lain. Perubahan "
            "berlaku segera untuk berkas baru. Berkas yang sudah tersimpan tidak ikut dipindahkan: pindahkan "
            "dulu (petugas TI) sebelum mengganti tempat, agar lampiran lama tetap bisa dibuka."), self)
        for label in (self.database_note, self.note):
            label.setWordWrap(True)
            label.setStyleSheet(_GREY)
        form = QFormLayout(self)
        form.addRow(tr("Penyimpanan lampiran"), self.storage)
        form.addRow(tr("Folder bersama"), self.folder_box)
        form.addRow("", self.where)
        form.addRow("", self.database_note)
        form.addRow("", self.note)
        self.storage.currentIndexChanged.connect(self._update)
        self.folder.textChanged.connect(self._update)
        self._update()

    def choice(self) -> str:
        return self.storage.currentData()

    def _update(self) -> None:
        """The folder only for "Folder bersama"; say where new files will go."""
        self.folder_box.setEnabled(self.choice() == "folder")
        chosen = Settings(attachment_storage=self.choice(), attachment_folder=self.folder.text().strip())
        if attachment_storage_for(chosen, self.backend) == "database":
            self.where.setText(tr("Dengan pilihan ini lampiran baru disimpan di dalam basis data."))
        elif self.choice() == "folder" and not chosen.attachment_folder:
            self.where.setText(tr("Pilih folder bersama di atas."))
        else:
            folder = chosen.attachment_folder or str(self.data_blobs)
            self.where.setText(tr("Dengan pilihan ini lampiran baru disimpan di folder {path}", path=folder))

    def apply(self, settings: Settings) -> Settings:
        """`settings` with this page's values; raises InvalidInput (Indonesian) for an empty folder.

        The folder's text is kept as it is for the other choices (the field is only disabled):
        with "Otomatis" on SQLite the core still keeps files in it when it is set.
        """
        folder = self.folder.text().strip()
        if self.choice() == "folder" and not folder:
            raise InvalidInput(tr("Pilih folder bersama untuk lampiran: folder yang dapat dibuka dan ditulis dari "
                                  "setiap komputer kantor."))
        return replace(settings, attachment_storage=self.choice(), attachment_folder=folder)
