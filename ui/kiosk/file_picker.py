""""Pilih dari folder/flashdisk": a large-type list of the photos and PDFs in a folder.

NOTE: not QFileDialog: its small rows, tree and typed paths are made for a mouse and a
trained user. Here a resident sees the places (the scanner's folder, each flashdisk) as big
buttons, the files as tall rows (newest first) and a preview of the one touched.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dikjamila.i18n import tr
from ui.kiosk.drives import FoundFile, Place, list_files, places
from ui.kiosk.scrolling import touch_scroll
from ui.kiosk.theme import button, label, page, s
from ui.kiosk.thumbs import Preview

PREVIEW_BOX = 240


class FilePickerPage(QWidget):
    """Signals: `chosen(Path)` when "Pakai berkas ini" is pressed, `cancelled()` on "Batal"."""

    chosen = Signal(object)
    cancelled = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        page(self)
        self.ctx = ctx
        self.places: list[Place] = []
        self._place_buttons = QButtonGroup(self)
        self._task = None
        self.hint = label(tr("Sentuh tempat berkas, lalu sentuh berkasnya."), "muted", self)
        self._places_row = QHBoxLayout()
        self._places_row.setSpacing(12)
        self.rescan = button(tr("Cari lagi"), "small", self, slot=self.refresh)
        self.list = QListWidget(self)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setWordWrap(True)
        touch_scroll(self.list)
        self.list.currentItemChanged.connect(self._selected)
        self.status = label("", "muted", self)
        self.preview = Preview(ctx.executor, s(PREVIEW_BOX), self)
        self.back = button(tr("Batal"), "", self, slot=self.cancelled)
        self.use = button(tr("Pakai berkas ini"), "primary", self, slot=self._use)
        self.use.setEnabled(False)

        places_line = QHBoxLayout()
        places_line.addLayout(self._places_row)
        places_line.addStretch(1)
        places_line.addWidget(self.rescan)
        right = QVBoxLayout()
        right.addWidget(self.preview)
        right.addStretch(1)
        middle = QHBoxLayout()
        middle.setSpacing(20)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(self.status)
        middle.addLayout(left, 1)
        middle.addLayout(right)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.use)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        column.addWidget(self.hint)
        column.addLayout(places_line)
        column.addLayout(middle, 1)
        column.addLayout(buttons)

    def open_for(self, document_label: str) -> None:
        self.document_label = document_label
        self.refresh()

    def refresh(self) -> None:
        """Look for the places again (a flashdisk may have been plugged in), then list the first."""
        self.status.setText(tr("Mencari berkas…"))
        folders = tuple(self.ctx.options.pick_folders)
        self._start(lambda _state: places(folders), self._show_places)

    def wipe(self) -> None:
        self.list.clear()
        self.preview.show_file(None)
        self.use.setEnabled(False)

    def _start(self, fn, done) -> None:
        if self._task is not None:
            self._task.cancel()
        self._task = self.ctx.executor.start(fn, done, self.status.setText, owner=self,
                                             label=tr("Mencari berkas…"))

    def _show_places(self, found: list[Place]) -> None:
        for old in self._place_buttons.buttons():
            self._place_buttons.removeButton(old)
            old.deleteLater()
        self.places = found
        for n, place in enumerate(found):
            choice = button(place.name, "small", self, slot=lambda _c=False, p=place: self._list(p))
            choice.setCheckable(True)
            self._place_buttons.addButton(choice, n)
            self._places_row.addWidget(choice)
        if not found:
            self.list.clear()
            self.status.setText(tr("Tidak ada folder pemindai atau flashdisk. Colokkan flashdisk lalu tekan "
                                   "\"Cari lagi\", atau minta bantuan petugas."))
            return
        self._place_buttons.button(0).setChecked(True)
        self._list(found[0])

    def _list(self, place: Place) -> None:
        self.list.clear()
        self.preview.show_file(None)
        self.use.setEnabled(False)
        self.status.setText(tr("Mencari berkas…"))
        self._start(lambda _state: list_files(place.path), self._show_files)

    def _show_files(self, files: list[FoundFile]) -> None:
        self.list.clear()
        for found in files:
            when = found.modified.strftime("%d-%m-%Y %H:%M")
            item = QListWidgetItem(f"{found.path.name}\n{when} · {found.path.parent.name}")
            item.setData(Qt.ItemDataRole.UserRole, str(found.path))
            self.list.addItem(item)
        self.status.setText(tr("{n} berkas ditemukan.", n=len(files)) if files
                            else tr("Tidak ada foto atau PDF di sini."))

    def _selected(self, item: QListWidgetItem | None) -> None:
        path = Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
        self.preview.show_file(path)
        self.use.setEnabled(path is not None)

    def _use(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen.emit(Path(item.data(Qt.ItemDataRole.UserRole)))

    def select_path(self, path: Path) -> bool:
        """Select the row of `path` (tests, screenshots); True when it is listed."""
        for row in range(self.list.count()):
            if Path(self.list.item(row).data(Qt.ItemDataRole.UserRole)) == path:
                self.list.setCurrentRow(row)
                return True
        return False
