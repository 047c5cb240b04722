"""A lazy inbox model: rows arrive a page at a time from the desk, in SQL order.

No proxy model: filtering and sorting are done by the database (keyset paging), and the
view asks for more rows with `fetchMore` as the operator scrolls. Page fetches run on the
database worker; a stale page (the filter changed meanwhile) is dropped by its generation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from dikjamila.desk import Cursor, InboxFilter, InboxRow
from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from dikjamila.lifecycle import CLOSED, label as status_label

PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole + 1

# (key, header, sort key or None when the column is not sortable in SQL)
COLUMNS = [
    ("number", "Nomor", "number"),
    ("received", "Diterima", "received"),
    ("applicant", "Pemohon", "applicant"),
    ("service", "Layanan", "service"),
    ("kecamatan", "Kecamatan", None),
    ("status", "Status", "status"),
    ("assignee", "Petugas", None),
    ("due", "Sisa waktu", "due"),
]
STATUS_COLOURS = {
    "baru": "#dbeafe", "diperiksa": "#fef3c7", "berkas_kurang": "#fde2e1", "diproses": "#e0e7ff",
    "terbit": "#d1fae5", "terkirim": "#ccfbf1", "selesai": "#e5e7eb", "ditolak": "#f3f4f6",
}
OVERDUE = QColor("#b91c1c")
MARKED = QColor("#b45309")
ATTENTION_TEXT = {
    "several_open": "Warga ini punya beberapa permohonan terbuka; pesan barunya masuk ke permohonan ini.",
    "after_close": "Pesan setelah selesai: warga menulis lagi sesudah permohonan ditutup.",
}


def row_marks(row: InboxRow) -> list[str]:
    """Why a row is marked for the operator (empty: not marked)."""
    marks = [tr(ATTENTION_TEXT[row.attention])] if row.attention in ATTENTION_TEXT else []
    if row.duplicate:
        marks.append(tr("Mungkin ganda: ada permohonan terbuka lain untuk layanan yang sama dengan NIK, "
                        "nomor WhatsApp atau nomor KK yang sama."))
    return marks


def time_left_text(row: InboxRow, now: datetime) -> tuple[str, bool]:
    """("sisa 5 jam" | "lewat 2 hari" | "—", overdue?) for the time-left column."""
    if row.status in CLOSED:
        return "—", False
    seconds = (row.due_at - now).total_seconds()
    hours = abs(seconds) / 3600
    amount = tr("{n} hari", n=int(hours // 24)) if hours >= 48 else tr("{n} jam", n=max(1, int(hours)))
    if seconds >= 0:
        return tr("sisa {amount}", amount=amount), False
    return tr("lewat {amount}", amount=amount), True


class InboxModel(QAbstractTableModel):
    """Rows of the inbox. `fetch_page(filter, sort, descending, after)` runs on the worker."""

    loading_changed = Signal(bool)
    page_loaded = Signal(int)  # rows in the page just added
    failed = Signal(str)

    def __init__(self, submit: Callable, fetch_page: Callable, *, service_names: dict[str, str],
                 kecamatan_names: dict[str, str], page_size: int = PAGE_SIZE, parent=None):
        super().__init__(parent)
        self._submit = submit
        self._fetch_page = fetch_page
        self._services = service_names
        self._kecamatan = kecamatan_names
        self.page_size = page_size
        self._rows: list[InboxRow] = []
        self._cursor: Cursor | None = None
        self._exhausted = False
        self._fetching = False
        self._generation = 0
        self.filter = InboxFilter()
        self.sort_key = "received"
        self.descending = True
        self.rows_fetched = 0  # every row received from the desk, for tests and benchmarks
        self.refreshes = 0  # re-reads after a change, for tests
        self.reloads = 0  # new filters or sorts applied, for tests

    def set_service_names(self, names: dict[str, str]) -> None:
        """New service names (an admin changed the SOP folder); shown at the next refresh."""
        self._services = names

    # -- loading --------------------------------------------------------------------------
    def reload(self, flt: InboxFilter | None = None) -> None:
        """Start again from the first page (new filter or sort)."""
        if flt is not None:
            self.filter = flt
        self.reloads += 1
        self._generation += 1
        self.beginResetModel()
        self._rows, self._cursor, self._exhausted, self._fetching = [], None, False, False
        self.endResetModel()
        self._request_page()

    def refresh(self) -> None:
        """Re-read the rows already shown (someone changed data); keeps the scroll position."""
        self.refreshes += 1
        generation = self._generation
        wanted = max(self.page_size, len(self._rows))
        flt, sort, desc = self.filter, self.sort_key, self.descending
        self._submit(lambda: self._fetch_page(flt, sort, desc, None, wanted),
                     lambda page: self._on_refreshed(generation, page), self._on_failed,
                     label=tr("Memuat kotak masuk…"))

    def _request_page(self) -> None:
        if self._fetching or self._exhausted:
            return
        self._fetching = True
        self.loading_changed.emit(True)
        generation, after = self._generation, self._cursor
        flt, sort, desc, size = self.filter, self.sort_key, self.descending, self.page_size
        self._submit(lambda: self._fetch_page(flt, sort, desc, after, size),
                     lambda page: self._on_page(generation, page), self._on_failed,
                     label=tr("Memuat kotak masuk…"))

    def _on_page(self, generation: int, page) -> None:
        if generation != self._generation:
            return  # a page for a filter no longer shown
        self._fetching = False
        self.rows_fetched += len(page.rows)
        self._cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()
        self.loading_changed.emit(False)
        self.page_loaded.emit(len(page.rows))

    def _on_refreshed(self, generation: int, page) -> None:
        if generation != self._generation or self._fetching:
            return
        self.rows_fetched += len(page.rows)
        if [r.id for r in page.rows] == [r.id for r in self._rows]:
            old, self._rows = self._rows, list(page.rows)
            # Repaint only rows that differ: a full-page dataChanged costs ~1,200 data() calls
            # on the GUI thread, and refreshes come every second while messages go out.
            changed = [i for i, (a, b) in enumerate(zip(old, self._rows, strict=True)) if a != b]
            last = len(COLUMNS) - 1
            for first, end in _runs(changed):  # each run of adjacent rows once, not the span between
                self.dataChanged.emit(self.index(first, 0), self.index(end, last))
            return
        self.beginResetModel()
        self._rows = list(page.rows)
        self._cursor, self._exhausted = page.next_cursor, page.next_cursor is None
        self.endResetModel()

    def _on_failed(self, message: str) -> None:
        self._fetching = False
        self.loading_changed.emit(False)
        self.failed.emit(message)

    # -- Qt model API ---------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted and not self._fetching

    def fetchMore(self, parent=QModelIndex()) -> None:
        if not parent.isValid():
            self._request_page()

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return tr(COLUMNS[section][1])
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column][2] is None:
            return
        key, desc = COLUMNS[column][2], order == Qt.SortOrder.DescendingOrder
        if (key, desc) != (self.sort_key, self.descending):
            self.sort_key, self.descending = key, desc
            self.reload()

    def row_at(self, row: int) -> InboxRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, request_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == request_id), -1)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(COLUMNS):
            return None
        row, key = self._rows[index.row()], COLUMNS[index.column()][0]
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, key)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("applicant", "service"):
            return self._text(row, key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "number" and (marks := row_marks(row)):
            return "\n".join(marks)
        if role == Qt.ItemDataRole.ForegroundRole and key == "number" and row_marks(row):
            return QBrush(MARKED)
        if role == Qt.ItemDataRole.BackgroundRole and key == "status":
            return QBrush(QColor(STATUS_COLOURS.get(row.status, "#ffffff")))
        if role == Qt.ItemDataRole.ForegroundRole and key == "due":
            return QBrush(OVERDUE) if time_left_text(row, datetime.now(UTC))[1] else None
        return None

    def _text(self, row: InboxRow, key: str) -> str:
        if key == "number":
            return f"⚠ {row.number}" if row_marks(row) else row.number
        if key == "received":
            return row.received_at.astimezone(WITA).strftime("%d-%m-%Y %H:%M")
        if key == "applicant":
            return row.applicant_name
        if key == "service":
            if not row.service_code:
                suggested = self._services.get(row.suggested_service, "")
                return tr("Belum dipilih (saran: {name})", name=suggested) if suggested else tr("Belum dipilih")
            return self._services.get(row.service_code, row.service_code)
        if key == "kecamatan":
            return self._kecamatan.get(row.kecamatan_code, row.kecamatan_code)
        if key == "status":
            return status_label(row.status)
        if key == "assignee":
            return row.assignee_name
        return time_left_text(row, datetime.now(UTC))[0]


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    """[2, 3, 4, 9] → [(2, 4), (9, 9)]: runs of adjacent row numbers, in order."""
    runs: list[tuple[int, int]] = []
    for i in indexes:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs
