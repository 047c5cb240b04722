"""What a chat-export import did, shown to the operator: counts, what was skipped and why,
files the chat names but the export lacks, warnings, errors, and the requests it touched
(double-click one to open it)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dikjamila.i18n import tr
from dikjamila.intake.importing import ImportSummary


def number(n: int) -> str:
    """`1.234`: the Indonesian thousands separator, as in the inbox's tab counts."""
    return f"{n:,}".replace(",", ".")


class SummaryView(QWidget):
    """One file's summary. Emits `open_request(number)` on double-click or "Buka"."""

    open_request = Signal(str)

    def __init__(self, summary: ImportSummary, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary = summary
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(tr("Berkas: {name}", name=summary.file_name), self)
        heading.setWordWrap(True)
        heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = QFont(heading.font())
        bold.setBold(True)
        heading.setFont(bold)
        layout.addWidget(heading)
        if summary.errors:
            alert = QLabel(tr("{count} kesalahan terjadi saat impor; lihat tab Kesalahan di bawah.",
                              count=len(summary.errors)), self)
            alert.setObjectName("importErrors")
            alert.setStyleSheet("color: #b91c1c; font-weight: 600;")
            alert.setWordWrap(True)
            layout.addWidget(alert)
        layout.addLayout(self._counts())
        middle = QHBoxLayout()
        middle.addLayout(self._request_list(), 2)
        middle.addWidget(self._details(), 5)
        layout.addLayout(middle, 1)

    # -- parts ------------------------------------------------------------------------------
    def _counts(self) -> QGridLayout:
        s = self.summary
        rows = [
            (tr("Pesan baru disimpan"), s.messages, tr("Permohonan baru"), s.requests_created),
            (tr("Pesan yang sudah ada"), s.already_known, tr("Permohonan diperbarui"), s.requests_updated),
            (tr("Berkas ditambahkan"), s.attachments, tr("Dilewati"), sum(s.skipped.values())),
        ]
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        self.count_labels: dict[str, QLabel] = {}
        for row, cells in enumerate(rows):
            for pair in range(2):
                name, value = cells[2 * pair], cells[2 * pair + 1]
                shown = QLabel(number(value), self)
                shown.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                shown.setMinimumWidth(48)
                font = QFont(shown.font())
                font.setBold(True)
                shown.setFont(font)
                grid.addWidget(QLabel(name + ":", self), row, 3 * pair)
                grid.addWidget(shown, row, 3 * pair + 1)
                self.count_labels[name] = shown
        grid.setColumnMinimumWidth(2, 32)
        grid.setColumnStretch(5, 1)
        return grid

    def _request_list(self) -> QVBoxLayout:
        box = QVBoxLayout()
        title = QLabel(tr("Permohonan baru atau diperbarui ({count}); klik dua kali untuk membuka:",
                          count=len(self.summary.request_numbers)), self)
        title.setWordWrap(True)
        self.requests = QListWidget(self)
        self.requests.addItems(self.summary.request_numbers)
        self.requests.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.requests.setToolTip(tr("Klik dua kali untuk membuka permohonan"))
        self.requests.itemActivated.connect(lambda item: self.open_request.emit(item.text()))
        self.open_button = QPushButton(tr("Buka permohonan"), self)
        self.open_button.setEnabled(False)
        self.requests.currentItemChanged.connect(lambda item, _old: self.open_button.setEnabled(item is not None))
        self.open_button.clicked.connect(self._open_current)
        box.addWidget(title)
        box.addWidget(self.requests, 1)
        box.addWidget(self.open_button)
        if self.summary.request_numbers:
            self.requests.setCurrentRow(0)
        return box

    def _details(self) -> QWidget:
        """Errors first (they need action), then skipped, missing files and warnings; a tab
        for each that is not empty, or one calm sentence when all are."""
        s = self.summary
        pages: list[tuple[QWidget, str]] = []
        if s.errors:
            pages.append((self._list(s.errors), tr("Kesalahan ({count})", count=len(s.errors))))
        if s.skipped:
            pages.append((self._skipped_table(), tr("Dilewati ({count})", count=len(s.skipped))))
        if s.missing_files:
            pages.append((self._list(s.missing_files, tr(
                "Disebut di chat, tetapi tidak ada di berkas ekspor (diekspor tanpa media, atau berkasnya "
                "sudah terhapus dari ponsel). Mintalah warga mengirim ulang bila diperlukan.")),
                tr("Berkas hilang ({count})", count=len(s.missing_files))))
        if s.warnings:
            pages.append((self._list(s.warnings), tr("Peringatan ({count})", count=len(s.warnings))))
        self.details: QTabWidget | None = None
        if not pages:
            calm = QLabel(tr("Tidak ada yang dilewati, tidak ada berkas yang hilang, tanpa peringatan "
                             "dan tanpa kesalahan."), self)
            calm.setWordWrap(True)
            calm.setAlignment(Qt.AlignmentFlag.AlignCenter)
            calm.setObjectName("importClean")
            return calm
        self.details = QTabWidget(self)
        for page, title in pages:
            self.details.addTab(page, title)
        return self.details

    def _skipped_table(self) -> QTableWidget:
        reasons = sorted(self.summary.skipped.items(), key=lambda kv: (-kv[1], kv[0]))
        table = QTableWidget(len(reasons), 2, self)
        table.setObjectName("skippedTable")
        table.setHorizontalHeaderLabels([tr("Alasan"), tr("Jumlah")])
        for row, (reason, count) in enumerate(reasons):
            table.setItem(row, 0, QTableWidgetItem(reason))
            shown = QTableWidgetItem(number(count))
            shown.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, 1, shown)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        # NOTE: rows follow the reason column's width (a one-off resizeRowsToContents before the
        # dialog is laid out measures a narrow column and leaves rows many lines tall).
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        return table

    def _list(self, lines: list[str], caption: str = "") -> QWidget:
        shown = QListWidget(self)
        shown.addItems(lines)
        shown.setWordWrap(True)
        shown.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        if not caption:
            return shown
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        explained = QLabel(caption, page)
        explained.setWordWrap(True)
        layout.addWidget(explained)
        layout.addWidget(shown, 1)
        return page

    def _open_current(self) -> None:
        item = self.requests.currentItem()
        if item is not None:
            self.open_request.emit(item.text())


class ImportSummaryDialog(QDialog):
    """The summary of one import run: one tab per imported file when there were several.

    `refused` lists (file name, reason) of files that were not imported; `note` says what else
    the operator should know (an import cancelled part-way). Emits `open_request(number)`.
    """

    open_request = Signal(str)

    def __init__(self, summaries: list[ImportSummary], *, refused: list[tuple[str, str]] = (),
                 note: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("Hasil impor chat WhatsApp"))
        layout = QVBoxLayout(self)
        if note:
            layout.addWidget(self._notice(note, "importNote"))
        if refused:
            lines = [tr("Tidak diimpor:")] + [tr("• {name}: {reason}", name=n, reason=r) for n, r in refused]
            layout.addWidget(self._notice("\n".join(lines), "importRefused"))
        self.views = [SummaryView(s, self) for s in summaries]
        for view in self.views:
            view.open_request.connect(self.open_request)
        if len(self.views) == 1:
            layout.addWidget(self.views[0], 1)
        elif self.views:
            files = QTabWidget(self)
            files.setUsesScrollButtons(True)
            for view in self.views:
                files.addTab(view, _short(view.summary.file_name))
                files.setTabToolTip(files.count() - 1, view.summary.file_name)
            layout.addWidget(files, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Tutup"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # NOTE: fits a 1366x768 screen with the taskbar and title bar; the lists scroll.
        self.resize(820, 540)

    def _notice(self, text: str, name: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setStyleSheet("background: #fef3c7; border: 1px solid #f59e0b; padding: 6px;")
        return label


def _short(name: str, limit: int = 32) -> str:
    return name if len(name) <= limit else name[:limit - 1] + "…"
