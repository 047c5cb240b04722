"""The inbox panel: status tabs with counts, a filter bar, a debounced search, the table."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QTabBar, QTableView, QVBoxLayout, QWidget,
)

from dikjamila.changes import ChangeKind, ChangeSet
from dikjamila.desk import CHANNEL_LABELS, InboxFilter
from dikjamila.i18n import tr
from dikjamila.lifecycle import Status, label as status_label
from ui.context import AppContext
from ui.inbox.model import COLUMNS, ID_ROLE, InboxModel

SEARCH_DEBOUNCE_MS = 300


class InboxPanel(QWidget):
    """Emits `open_request(id)` on Enter or double-click."""

    open_request = Signal(int)

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._statuses: list[tuple[str, ...]] = [()] + [(s.value,) for s in Status]
        self.model = InboxModel(ctx.submit, self._fetch_page, service_names=ctx.service_names,
                                kecamatan_names=ctx.kecamatan_names, parent=self)
        self._build()
        self.model.failed.connect(self._show_error)
        self.model.page_loaded.connect(self._update_footer)
        self.model.modelReset.connect(self._update_footer)
        ctx.bus.data_changed.connect(self._on_data_changed)
        ctx.bus.settings_changed.connect(self._on_settings_changed)

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.tabs = QTabBar(self)
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        for statuses in self._statuses:
            self.tabs.addTab(self._tab_text(statuses, None))
        self.tabs.currentChanged.connect(lambda _i: self.apply_filter())

        self.service = QComboBox(self)
        self.service.addItem(tr("Semua layanan"), None)
        for code, name in sorted(self.ctx.service_names.items(), key=lambda kv: kv[1]):
            self.service.addItem(name, code)
        self.channel = QComboBox(self)
        self.channel.addItem(tr("Semua saluran"), None)
        for code, name in CHANNEL_LABELS.items():
            self.channel.addItem(tr(name), code)
        self.kecamatan = QComboBox(self)
        self.kecamatan.addItem(tr("Semua kecamatan"), None)
        for code, name in self.ctx.kecamatan_names.items():
            self.kecamatan.addItem(name, code)
        self.mine = QCheckBox(tr("Milik saya"), self)
        self.mine.setVisible(self.ctx.actor.id is not None)
        for combo in (self.service, self.channel, self.kecamatan):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.mine.toggled.connect(lambda _on: self.apply_filter())

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(tr("Cari nama, NIK, nomor HP, atau nomor permohonan"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.apply_filter)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        reload_button = QPushButton(tr("Muat ulang"), self)
        reload_button.setToolTip(tr("Muat ulang daftar (F5)"))
        reload_button.clicked.connect(self.reload)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, activated=self.reload)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for w in (self.service, self.channel, self.kecamatan, self.mine, reload_button):
            filters.addWidget(w)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        widths = {"number": 148, "received": 132, "applicant": 190, "service": 220, "kecamatan": 120,
                  "status": 110, "assignee": 130, "due": 96}
        for i, (key, _h, _s) in enumerate(COLUMNS):
            header.resizeSection(i, widths[key])
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, activated=self._open_current,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Enter), self.table, activated=self._open_current,
                  context=Qt.ShortcutContext.WidgetShortcut)

        self.footer = QLabel(self)
        self.footer.setObjectName("inboxFooter")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.tabs)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.footer)

    # -- behaviour ------------------------------------------------------------------------
    def current_filter(self) -> InboxFilter:
        statuses = self._statuses[max(0, self.tabs.currentIndex())]
        return InboxFilter(
            statuses=statuses, service=self.service.currentData(), channel=self.channel.currentData(),
            kecamatan=self.kecamatan.currentData(),
            assignee_id=self.ctx.actor.id if self.mine.isChecked() else None,
            text=self.search.text().strip())

    def start(self) -> None:
        """First load: rows, then counts."""
        self.apply_filter()

    def apply_filter(self) -> None:
        self._debounce.stop()
        flt = self.current_filter()
        self.model.reload(flt)
        self._refresh_counts(flt)

    def reload(self) -> None:
        self.apply_filter()

    def refresh(self) -> None:
        self.model.refresh()
        self._refresh_counts(self.current_filter())

    def _fetch_page(self, flt, sort, descending, after, limit):
        return self.ctx.desk.inbox(flt, sort=sort, descending=descending, after=after, limit=limit)

    def _refresh_counts(self, flt: InboxFilter) -> None:
        self.ctx.submit(lambda: self.ctx.desk.status_counts(flt), self._show_counts,
                        lambda _m: None, label=tr("Menghitung…"))

    def _show_counts(self, counts: dict[str, int]) -> None:
        if not shiboken6.isValid(self.tabs):  # the window closed while the counts were computed
            return
        total = sum(counts.values())
        for i, statuses in enumerate(self._statuses):
            n = total if not statuses else counts.get(statuses[0], 0)
            text = self._tab_text(statuses, n)
            if self.tabs.tabText(i) != text:  # an unchanged tab bar is not laid out again
                self.tabs.setTabText(i, text)

    @staticmethod
    def _tab_text(statuses: tuple[str, ...], n: int | None) -> str:
        name = tr("Semua") if not statuses else status_label(statuses[0])
        return name if n is None else f"{name} ({n:,})".replace(",", ".")

    def _on_data_changed(self, changes: ChangeSet) -> None:
        """Requests changed (here or on another workstation): refresh rows and counts."""
        if changes.touches(ChangeKind.REQUEST):
            self.refresh()

    def _on_settings_changed(self) -> None:
        """The SOP folder may name services differently now."""
        self.model.set_service_names(self.ctx.service_names)
        self.refresh()

    def _open_current(self) -> None:
        self._open(self.table.currentIndex().row())

    def _open(self, row: int) -> None:
        request_id = self.model.index(row, 0).data(ID_ROLE) if row >= 0 else None
        if request_id is not None:
            self.open_request.emit(request_id)

    def select_first(self) -> None:
        if self.model.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    def _update_footer(self, *_args) -> None:
        shown = self.model.rowCount()
        more = tr(" — gulir ke bawah untuk memuat lebih banyak") if self.model.canFetchMore() else ""
        self.footer.setText(tr("{n} permohonan ditampilkan{more}", n=shown, more=more))

    def _show_error(self, message: str) -> None:
        self.footer.setText(tr("Gagal memuat: {message}", message=message))
