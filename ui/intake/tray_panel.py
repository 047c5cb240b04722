""""Berkas belum ditempatkan": files found in the watched folders, waiting for a request.

The list shows each open file (name, which folder, when it was found, the requests a SIAK
PDF names). The operator places the selected file on a request by its number ("Tempatkan ke
permohonan…"; a SIAK PDF offered to requests has their numbers ready in the list), opens it
("Buka"), or dismisses it ("Abaikan"). A row can also be dragged onto a request's checklist:
the drag carries `LOOSE_FILE_MIME` with the file's id (`loose_id_from_mime` reads it).

Every desk call runs on the database worker; the panel follows `ChangeKind.TRAY` changes
(a watcher found a file, another workstation placed one) and says how many files wait
through `count_changed(int)` (the main window's tab title).
"""

from __future__ import annotations

from pathlib import PurePath

from PySide6.QtCore import QFileInfo, QMimeData, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileIconProvider,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dikjamila.auth.roles import Permission
from dikjamila.changes import ChangeKind, ChangeSet
from dikjamila.desk.timezone import WITA
from dikjamila.desk.tray import FOLDER_LABELS, LooseFileInfo
from dikjamila.i18n import tr
from ui.intake.loose_mime import LOOSE_FILE_MIME, loose_id_from_mime, loose_mime_data  # noqa: F401 - re-exported
from ui.panel_kit import guarded, say
from ui.whatsapp.open_file import open_stored_file
from ui.whatsapp.row_model import RowTableModel


#: The drag's MIME type; its data is the loose file's id as ASCII digits (e.g. b"12").
def offers_text(info: LooseFileInfo) -> str:
    """"BLG-20261201-0001, BLG-20261201-0002 ✓" (✓: that request has it already)."""
    return ", ".join(f"{o.number} ✓" if o.placed else o.number for o in info.offered)


class TrayModel(RowTableModel[LooseFileInfo]):
    COLUMNS = ("Berkas", "Folder", "Ditemukan (WITA)", "Ditawarkan ke")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._icons = QFileIconProvider()
        self._by_suffix: dict[str, QIcon] = {}

    def _icon(self, name: str) -> QIcon:
        """The PC's icon for the file type (by its extension only: the file is not read)."""
        suffix = PurePath(name).suffix.lower()
        if suffix not in self._by_suffix:
            icon = self._icons.icon(QFileInfo(f"berkas{suffix}"))
            self._by_suffix[suffix] = icon if not icon.isNull() else self._icons.icon(QFileIconProvider.IconType.File)
        return self._by_suffix[suffix]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or (f := self.row_at(index.row())) is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (f.original_name, tr(FOLDER_LABELS.get(f.folder_kind, f.folder_kind)),
                    f.found_at.astimezone(WITA).strftime("%d-%m-%Y %H:%M"), offers_text(f) or "—")[index.column()]
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            return self._icon(f.original_name)
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 0:
                return tr("{name}\nDari: {path}", name=f.original_name, path=f.source_path)
            if index.column() == 3 and f.offered:
                return "\n".join(f"{o.number} — {o.applicant_name}" + (tr(" (sudah ditempatkan)") if o.placed else "")
                                 for o in f.offered)
        return None

    def flags(self, index):
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return [LOOSE_FILE_MIME]

    def mimeData(self, indexes) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        info = self.row_at(rows[0]) if rows else None
        return loose_mime_data(info.id) if info is not None else QMimeData()

    def supportedDragActions(self):
        return Qt.DropAction.CopyAction


class PlaceDialog(QDialog):
    """Asks for the request number a file goes to; the requests a SIAK PDF names are listed."""

    def __init__(self, info: LooseFileInfo, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Tempatkan ke permohonan"))
        what = tr("dokumen terbit") if info.role == "issued" else tr("berkas pemohon")
        label = QLabel(tr("Tempatkan {name} sebagai {what} pada permohonan nomor:", name=info.original_name,
                          what=what), self)
        label.setWordWrap(True)
        self.number = QComboBox(self)
        self.number.setEditable(True)
        self.number.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.number.lineEdit().setPlaceholderText(tr("mis. BLG-20261201-0001"))
        for offer in info.waiting_offers:
            self.number.addItem(f"{offer.number}", offer.number)
        self.number.setCurrentIndex(0 if info.waiting_offers else -1)
        if not info.waiting_offers:
            self.number.setEditText("")
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(tr("Tempatkan"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.number.editTextChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        self.ok.setEnabled(bool(self.request_number()))
        lay = QVBoxLayout(self)
        lay.addWidget(label)
        lay.addWidget(self.number)
        if info.offered:
            hint = QLabel(tr("Nomor di daftar: permohonan yang NIK, nomor KK, atau nomornya tertulis di PDF ini."),
                          self)
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #4b5563;")
            lay.addWidget(hint)
        lay.addWidget(buttons)
        self.setMinimumWidth(420)

    def request_number(self) -> str:
        return self.number.currentText().strip().upper()


class TrayPanel(QWidget):
    count_changed = Signal(int)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.loads = 0
        self.total = -1  # not loaded yet
        self._build()
        ctx.bus.data_changed.connect(self._on_data_changed)
        ctx.bus.settings_changed.connect(self._show_folders)
        self.refresh()

    def _build(self) -> None:
        title = QLabel(tr("Berkas belum ditempatkan"), self)
        title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.folders = QLabel(self)
        self.folders.setWordWrap(True)
        self.folders.setStyleSheet("color: #4b5563;")
        self._show_folders()
        self.model = TrayModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 80)
        header.resizeSection(2, 130)
        header.resizeSection(3, 220)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda *_: self.open_selected())
        self.place = QPushButton(tr("Tempatkan ke permohonan…"), self)
        self.open = QPushButton(tr("Buka"), self)
        self.dismiss = QPushButton(tr("Abaikan"), self)
        self.place.clicked.connect(self.place_selected)
        self.open.clicked.connect(self.open_selected)
        self.dismiss.clicked.connect(self.dismiss_selected)
        self.dismiss.setToolTip(tr("Keluarkan dari daftar ini; berkas di folder tidak dihapus."))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.place, self.open, self.dismiss):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        hint = QLabel(tr("Seret berkas ke butir daftar periksa permohonan yang sedang dibuka, atau pilih "
                         "\u201cTempatkan ke permohonan…\u201d."), self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #4b5563;")
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(self.folders)
        lay.addWidget(self.table, 1)
        lay.addWidget(hint)
        lay.addLayout(buttons)
        lay.addWidget(self.message)
        self._update_buttons()

    def _show_folders(self) -> None:
        settings = self.ctx.office.settings
        parts = [tr("{label}: {path}", label=tr(label), path=path) for label, path in (
            ("Unduhan", settings.watch_downloads_dir), ("SIAK", settings.watch_siak_dir)) if path]
        self.folders.setText(tr("Folder yang dipantau — {folders}", folders="; ".join(parts)) if parts else
                             tr("Belum ada folder yang dipantau; atur di Pengaturan (folder unduhan dan folder SIAK)."))

    # -- data -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        desk = self.ctx.desk
        self.ctx.submit(lambda: (desk.loose_files(), desk.loose_count()), self._guard(self._loaded),
                        self._guard(self._say_error), label=tr("Memuat berkas belum ditempatkan…"))

    def _loaded(self, result: tuple[list[LooseFileInfo], int]) -> None:
        files, total = result
        keep = self.selected()
        self.loads += 1
        self.model.set_rows(files)
        if (keep is None or not self.select_loose(keep.id)) and files:
            self.table.selectRow(0)
        self._update_buttons()
        if total != self.total:
            self.total = total
            self.count_changed.emit(total)

    def _on_data_changed(self, changes: ChangeSet) -> None:
        if changes.touches(ChangeKind.TRAY):
            self.refresh()

    def selected(self) -> LooseFileInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_loose(self, loose_id: int) -> bool:
        row = self.model.row_of(loose_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        may = self.ctx.can(Permission.ATTACH)
        self.place.setEnabled(chosen and may)
        self.dismiss.setEnabled(chosen and may)
        self.open.setEnabled(chosen and self.ctx.can(Permission.VIEW_REQUEST))

    # -- actions ----------------------------------------------------------------------------------
    def ask_request_number(self, info: LooseFileInfo) -> str | None:
        """The request number the operator chose, or None (cancelled). Tests may replace this."""
        dialog = PlaceDialog(info, self)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return (dialog.request_number() or None) if accepted else None
        finally:
            dialog.deleteLater()

    def place_selected(self) -> None:
        info = self.selected()
        if info is None or not (number := self.ask_request_number(info)):
            return
        desk = self.ctx.desk

        def place():
            return desk.place_loose_file(info.id, desk.find_number(number))

        def done(_attachment) -> None:
            self._say(tr("{name} ditempatkan pada permohonan {number}.", name=info.original_name, number=number))
            self.refresh()
            self.ctx.changes.poll_now()

        self.ctx.submit(place, self._guard(done), self._guard(self._say_error), label=tr("Menempatkan berkas…"))

    def open_selected(self) -> None:
        info = self.selected()
        if info is not None and self.ctx.can(Permission.VIEW_REQUEST):
            open_stored_file(self.ctx, self, info.blob_sha256, info.kind, info.original_name,
                             on_error=self._guard(self._say_error))

    def dismiss_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        desk = self.ctx.desk

        def done(_info) -> None:
            self._say(tr("{name} diabaikan; berkasnya tetap ada di folder.", name=info.original_name))
            self.refresh()
            self.ctx.changes.poll_now()

        self.ctx.submit(lambda: desk.dismiss_loose_file(info.id), self._guard(done), self._guard(self._say_error),
                        label=tr("Mengabaikan berkas…"))

    def _say(self, text: str) -> None:
        say(self.message, text)

    def _say_error(self, text: str) -> None:
        say(self.message, text, error=True)

    def _guard(self, callback):
        return guarded(self, callback)
