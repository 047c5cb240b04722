"""The inbox panel: status tabs with counts, a filter bar, a debounced search, the table."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dikjamila.changes import ChangeKind, ChangeSet
from dikjamila.desk import CHANNEL_LABELS, InboxFilter
from dikjamila.i18n import tr
from dikjamila.lifecycle import Status
from dikjamila.lifecycle import label as status_label
from ui.context import AppContext
from ui.inbox.model import ID_ROLE, InboxModel
from ui.inbox.row_display import COLUMNS

SEARCH_DEBOUNCE_MS = 300
FOOTER_MS = 150


class InboxTable(QTableView):
    """The inbox's table view.

    NOTE: Qt lays a table out again, and repaints all of it, whenever its row count changes
    (a delayed `doItemsLayout`, which ends with `viewport().update()`). A page of rows that
    arrives at the end while the operator scrolls lands below what is on screen: only the
    scroll bar and the headers need to know. So that layout only updates the geometries (all
    `doItemsLayout` does besides the repaint); rows that land on screen, as in a short list,
    and every other change get Qt's own layout.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._only_below: bool | None = None  # rows inserted since the last layout all off screen? (None: none)
        self.layouts_without_repaint = 0  # for tests and benchmarks

    def setModel(self, model) -> None:  # Qt's name
        super().setModel(model)
        model.rowsAboutToBeInserted.connect(self._rows_coming)
        for signal in (model.modelAboutToBeReset, model.rowsAboutToBeRemoved, model.layoutAboutToBeChanged,
                       model.columnsAboutToBeInserted, model.columnsAboutToBeRemoved):
            signal.connect(self._other_change)

    def _rows_coming(self, parent, first: int, _last: int) -> None:
        # After the last row, while the viewport's last pixel row already shows a row.
        below = (not parent.isValid() and first == self.model().rowCount()
                 and self.rowAt(self.viewport().height() - 1) >= 0)
        self._only_below = below if self._only_below is None else self._only_below and below

    def _other_change(self, *_args) -> None:
        self._only_below = False

    def doItemsLayout(self) -> None:  # Qt's name
        only_below, self._only_below = self._only_below, None
        if only_below:
            self.layouts_without_repaint += 1
            self.updateGeometries()
            return
        super().doItemsLayout()


class InboxPanel(QWidget):
    """Emits `open_request(id)` on Enter or double-click."""

    open_request = Signal(int)

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._statuses: list[tuple[str, ...]] = [()] + [(s.value,) for s in Status]
        self.model = InboxModel(ctx.submit, self._fetch_page, service_names=ctx.service_names,
                                kecamatan_names=ctx.kecamatan_names, parent=self)
        self._counts_job = None  # the last status counts asked for (skipped when superseded)
        self._build()
        # NOTE: a new footer text changes the label's size hint, which lays out the whole panel
        # again and repaints the tab bar and the scroll bar with it: once per page while the
        # operator scrolls. The footer follows at most FOOTER_MS later instead.
        self._footer_timer = QTimer(self, singleShot=True, interval=FOOTER_MS)
        self._footer_timer.timeout.connect(self._update_footer)
        self.model.failed.connect(self._show_error)
        self.model.page_loaded.connect(self._footer_soon)
        self.model.modelReset.connect(self._footer_soon)
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

        self.table = InboxTable(self)
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
        self.model.refresh(self._visible_rows())
        self._refresh_counts(self.current_filter())

    def _visible_rows(self) -> tuple[int, int] | None:
        """(first, last) row on screen, None when no row is."""
        top = self.table.rowAt(0)
        if top < 0:
            return None
        bottom = self.table.rowAt(self.table.viewport().height() - 1)
        return top, bottom if bottom >= 0 else self.model.rowCount() - 1

    def _fetch_page(self, flt, sort, descending, after, limit):
        return self.ctx.desk.inbox(flt, sort=sort, descending=descending, after=after, limit=limit)

    def _refresh_counts(self, flt: InboxFilter) -> None:
        if self._counts_job is not None:  # counts for an older filter: not run if still waiting
            self._counts_job.cancel(skip=True)
            self._counts_job = None
        if not flt.worth_counting:
            self._show_counts(None)  # the tabs' names only, until the search is longer
            return
        self._counts_job = self.ctx.submit_count(lambda: self.ctx.desk.status_counts(flt), self._show_counts,
                                                 lambda _m: None, label=tr("Menghitung…"))

    def _show_counts(self, counts: dict[str, int] | None) -> None:
        """Each tab's count (None: names only)."""
        if not shiboken6.isValid(self.tabs):  # the window closed while the counts were computed
            return
        total = sum(counts.values()) if counts is not None else None
        for i, statuses in enumerate(self._statuses):
            n = total if not statuses or counts is None else counts.get(statuses[0], 0)
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

    def _footer_soon(self, *_args) -> None:
        if not self._footer_timer.isActive():  # (not restarted: it follows a long scroll too)
            self._footer_timer.start()

    def _update_footer(self) -> None:
        self._footer_timer.stop()
        shown = self.model.rowCount()
        more = tr(" — gulir ke bawah untuk memuat lebih banyak") if self.model.canFetchMore() else ""
        self.footer.setText(tr("{n} permohonan ditampilkan{more}", n=shown, more=more))

    def _show_error(self, message: str) -> None:
        self._footer_timer.stop()
        self.footer.setText(tr("Gagal memuat: {message}", message=message))
