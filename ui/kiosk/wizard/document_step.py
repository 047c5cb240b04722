"""Steps 4…: one page per document — what it is, the files taken for it, and how to add one.

A file comes from the camera ("Ambil foto", only where a camera is present) or from a
folder (the scanner's folder, a flashdisk). The station copies it into the kiosk
(`add_file`, on the worker: a big photo takes a moment) and the page shows its preview.
A required document may be left for later; the review step and the submit refuse while it
is missing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout

from dikjamila.i18n import tr
from dikjamila.kiosk.api import KioskDocument, KioskFile
from ui.kiosk.theme import button, label, s
from ui.kiosk.thumbs import Preview
from ui.kiosk.wizard.step import Step

PREVIEW_BOX = 240
#: At most this many files are shown for one document (a KK has one page; a document with
#: many pages is better scanned into one PDF).
MAX_SHOWN = 4


class FileTile(QFrame):
    """A file's preview with its name and a "Hapus" button."""

    def __init__(self, file: KioskFile, step: DocumentStep, box: int):
        super().__init__(step)
        self.file = file
        self.setProperty("role", "card")
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 10, 10, 10)
        self.preview = Preview(step.ctx.executor, box, self)
        self.preview.show_file(file.path)
        column.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        name = label(file.original_name, "muted", self, wrap=False)
        name.setMaximumWidth(box)
        name.setStyleSheet(f"font-size: {s(15)}pt;")
        column.addWidget(name)
        self.remove = button(tr("Hapus"), "small", self, slot=lambda: step.wizard.remove_file(file))
        column.addWidget(self.remove)


class DocumentStep(Step):
    """The page of one document (`document`)."""

    def __init__(self, wizard, document: KioskDocument):
        super().__init__(wizard)
        self.document = document
        self.title = document.label
        self.tiles: list[FileTile] = []
        need = tr("Boleh dilewati bila tidak ada.") if document.optional else tr("Wajib.")
        if document.min_files > 1:
            need = tr("Perlu {n} foto atau berkas.", n=document.min_files) + " " + need
        self.note = label(" ".join(t for t in (document.note, need) if t), "muted", self)
        self.empty = label(tr("Belum ada foto atau berkas untuk dokumen ini."), "", self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMinimumHeight(s(PREVIEW_BOX))
        self.empty.setStyleSheet("border: 3px dashed #6b7280; border-radius: 12px; color: #374151;")
        self._tiles_row = QHBoxLayout()
        self._tiles_row.setSpacing(16)
        self._tiles_row.addWidget(self.empty, 1)
        self._tiles_row.addStretch(0)  # (takes the room the tiles leave; the placeholder wins it)
        self.camera_button = button(tr("Ambil foto"), "primary", self, slot=lambda: wizard.take_photo(document))
        self.folder_button = button(tr("Pilih dari folder/flashdisk"), "primary", self,
                                    slot=lambda: wizard.pick_file(document))
        self.state = label("", "ok", self)
        actions = QVBoxLayout()
        actions.setSpacing(16)
        actions.addWidget(self.camera_button)
        actions.addWidget(self.folder_button)
        actions.addWidget(self.state)
        actions.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(24)
        row.addLayout(self._tiles_row, 1)
        row.addLayout(actions)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(16)
        column.addWidget(self.note)
        column.addLayout(row)
        column.addStretch(1)

    def files(self) -> list[KioskFile]:
        return [f for f in self.draft.files if f.document_code == self.document.code]

    def enter(self) -> None:
        self.camera_button.setVisible(self.wizard.camera_present())
        files = self.files()
        if [tile.file for tile in self.tiles] != files:
            for tile in self.tiles:
                tile.deleteLater()
            box = s(PREVIEW_BOX if len(files) <= 2 else PREVIEW_BOX * 3 // 4)
            self.tiles = [FileTile(f, self, box) for f in files[:MAX_SHOWN]]
            for n, tile in enumerate(self.tiles):
                self._tiles_row.insertWidget(n, tile)
        self.empty.setVisible(not files)
        self.camera_button.setText(tr("Tambah foto lain") if files else tr("Ambil foto"))
        self.folder_button.setText(tr("Tambah dari folder/flashdisk") if files else tr("Pilih dari folder/flashdisk"))
        self.state.setText(tr("✓ Sudah ada {n} berkas.", n=len(files)) if files else "")
        self.folder_button.setEnabled(len(files) < MAX_SHOWN)
        self.camera_button.setEnabled(len(files) < MAX_SHOWN)

    def wipe(self) -> None:
        for tile in self.tiles:
            tile.deleteLater()
        self.tiles = []
        self.empty.show()
