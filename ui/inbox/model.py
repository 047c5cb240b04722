"""A lazy inbox model: rows arrive a page at a time from the desk, in SQL order.

No proxy model: filtering and sorting are done by the database (keyset paging), and the
view asks for more rows with `fetchMore` as the operator scrolls. Page fetches run on the
database worker; a stale page (the filter changed meanwhile) is dropped by its generation.

Memory (issue 12): the model keeps the id of every row it has shown (8 bytes a row) and the
page structure (the keyset cursor each page was read after), but the rows themselves only for
the pages used last (`MAX_CACHED_ROWS`). A page dropped from that cache is read again, after
its own cursor, when the view shows it again (a blank row for the moment it takes); if the
database's rows differ by then, the model takes the page as it is now and reads the rows
below it again as the operator scrolls (`_replace_tail`). A scroll through a million rows
then holds ~8 MB of ids instead of ~1 GB of rows.

Speed (issue 12): the view's delegate asks for seven roles of each visible cell on every
repaint. `multiData` answers them in one call from a row's display values, computed once when
the row is first shown (`_Line`), instead of seven `data()` calls each formatting dates and
looking up names; a repaint of the viewport calls into Python ~170 times instead of ~1,200.
The time-left text is recomputed when it would change (`row_display.due_expiry`), so it reads as before.
"""

from __future__ import annotations

import time
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from dikjamila.desk import Cursor, InboxFilter, InboxRow
from dikjamila.i18n import tr
from ui.inbox.row_display import COLUMNS, DISPLAY_ROLES, NCOLS, make_line, role_value

PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: Rows kept in memory (whole pages, least recently shown dropped first); ids are always kept.
MAX_CACHED_ROWS = 10_000
#: A re-read after a change reads up to this many rows from the top in one call (the desk's
#: largest page); a model holding more re-reads only the pages on screen.
REREAD_ALL_ROWS = 1000

#: The InboxRow field each sort key pages by (the desk's keyset cursor holds its value).
_SORT_FIELD = {"received": "id", "number": "number", "applicant": "applicant_name", "due": "due_at",
               "status": "status", "service": "service_code"}

_ID = int(ID_ROLE)
_ANSWERED = DISPLAY_ROLES | {_ID}  # the roles this model has values for


class _Page:
    """Rows read in one call: the cursor they were read after, the rows (None: dropped from
    memory) and their display lines (None until shown)."""

    __slots__ = ("after", "lines", "rereading", "rows")

    def __init__(self, after: Cursor | None, rows: list[InboxRow]):
        self.after = after
        self.rows: list[InboxRow] | None = rows
        self.lines: list[tuple | None] | None = [None] * len(rows)
        self.rereading = False


class InboxModel(QAbstractTableModel):
    """Rows of the inbox. `fetch_page(filter, sort, descending, after, limit)` runs on the worker."""

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
        self._ids = array("q")  # every row's request id, in order
        self._pages: list[_Page] = []
        self._starts = array("q")  # the first row of each page
        self._cached: OrderedDict[int, None] = OrderedDict()  # pages holding rows, last used last
        self._last_page = (0, 0, -1)  # (first row, end row, page number) of the page looked up last
        self._cursor: Cursor | None = None
        self._exhausted = False
        self._fetching = False
        self._generation = 0  # a new filter, sort or set of rows: answers for an older one are dropped
        self._jobs: dict[int, object] = {}  # reads on the worker not answered yet (id → job)
        self.filter = InboxFilter()
        self.sort_key = "received"
        self.descending = True
        self.rows_fetched = 0  # every row received from the desk, for tests and benchmarks
        self.refreshes = 0  # re-reads after a change, for tests
        self.reloads = 0  # new filters or sorts applied, for tests
        self.rereads = 0  # pages read again after leaving memory or a change, for tests and benchmarks

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
        for job in self._jobs.values():  # reads for the old filter: not run if still waiting
            job.cancel(skip=True)
        self._jobs.clear()
        self.beginResetModel()
        self._clear()
        self.endResetModel()
        self._request_page()

    def _clear(self) -> None:
        self._ids, self._starts = array("q"), array("q")
        self._pages, self._cached = [], OrderedDict()
        self._last_page = (0, 0, -1)
        self._cursor, self._exhausted, self._fetching = None, False, False

    def refresh(self, visible: tuple[int, int] | None = None) -> None:
        """Re-read the rows already shown (someone changed data); keeps the scroll position.

        Up to `REREAD_ALL_ROWS` rows: all of them, from the top, in one call. More: only the
        pages holding the rows `visible` (first, last on screen; default the first); the other
        pages leave memory, and are read again when shown.
        """
        self.refreshes += 1
        generation = self._generation
        flt, sort, desc = self.filter, self.sort_key, self.descending
        if len(self._ids) <= REREAD_ALL_ROWS:
            wanted = max(self.page_size, len(self._ids))
            self._read(lambda: self._fetch_page(flt, sort, desc, None, wanted),
                       lambda page: self._on_refreshed(generation, page))
            return
        first, last = visible or (0, 0)
        last_row = len(self._ids) - 1
        shown = range(self._page_number(min(max(0, first), last_row)),
                      self._page_number(min(max(0, last, first), last_row)) + 1)
        for number in list(self._cached):
            if number not in shown:
                self._drop(number)
        for number in shown:
            self._reread(number)

    def _read(self, fn: Callable, on_done: Callable, on_error: Callable | None = None) -> None:
        """Submit a read of rows to the worker, remembered until answered (see `reload`)."""
        key = None

        def done(result) -> None:
            self._jobs.pop(key, None)
            on_done(result)

        def failed(message: str) -> None:
            self._jobs.pop(key, None)
            (on_error or self._on_failed)(message)

        job = self._submit(fn, done, failed, label=tr("Memuat kotak masuk…"))
        if hasattr(job, "cancel"):
            key = id(job)
            self._jobs[key] = job

    def _request_page(self) -> None:
        if self._fetching or self._exhausted:
            return
        self._fetching = True
        self.loading_changed.emit(True)
        generation, after = self._generation, self._cursor
        flt, sort, desc, size = self.filter, self.sort_key, self.descending, self.page_size
        self._read(lambda: self._fetch_page(flt, sort, desc, after, size),
                   lambda page: self._on_page(generation, page))

    def _on_page(self, generation: int, page) -> None:
        if generation != self._generation:
            return  # a page for a filter (or an end of the list) no longer shown
        self._fetching = False
        self.rows_fetched += len(page.rows)
        after = self._cursor
        self._cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        if page.rows:
            self._append(after, list(page.rows))
        self.loading_changed.emit(False)
        self.page_loaded.emit(len(page.rows))

    def _append(self, after: Cursor | None, rows: list[InboxRow]) -> None:
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._add_pages(after, rows)
        self.endInsertRows()

    def _add_pages(self, after: Cursor | None, rows: list[InboxRow]) -> None:
        """Rows read after `after` as pages at the end (several when a re-read brought more than
        a page: each then starts after the row before it)."""
        size, field = max(1, self.page_size), _SORT_FIELD.get(self.sort_key, "id")
        for start in range(0, len(rows), size):
            if start:
                last = rows[start - 1]
                after = Cursor(value=getattr(last, field), id=last.id)
            chunk = rows[start:start + size]
            self._starts.append(len(self._ids))
            self._ids.extend(r.id for r in chunk)
            self._pages.append(_Page(after, chunk))
            self._touch(len(self._pages) - 1)

    def _on_refreshed(self, generation: int, page) -> None:
        if generation != self._generation or self._fetching:
            return
        self.rows_fetched += len(page.rows)
        rows = list(page.rows)
        if len(rows) == len(self._ids) and all(r.id == i for r, i in zip(rows, self._ids, strict=True)):
            for number, start in enumerate(self._starts):
                self._refill(number, rows[start:start + len(self._page_ids(number))])
            return
        self.beginResetModel()
        self._clear()
        self._cursor, self._exhausted = page.next_cursor, page.next_cursor is None
        self._add_pages(None, rows)
        self.endResetModel()

    def _page_ids(self, number: int) -> array:
        start = self._starts[number]
        end = self._starts[number + 1] if number + 1 < len(self._starts) else len(self._ids)
        return self._ids[start:end]

    def _refill(self, number: int, rows: list[InboxRow]) -> None:
        """Page `number` read again with the same ids: take the rows, repaint those that differ."""
        page = self._pages[number]
        old = page.rows
        page.rows = rows
        if old is None:
            page.lines = [None] * len(rows)
            changed = list(range(len(rows)))
        else:
            changed = [i for i, (a, b) in enumerate(zip(old, rows, strict=True)) if a != b]
            for i in changed:
                page.lines[i] = None
        self._touch(number)
        # Repaint only rows that differ: a full-page dataChanged costs a repaint of every row on
        # the GUI thread, and refreshes come every second while messages go out.
        base = self._starts[number]
        for first, end in _runs(changed):  # each run of adjacent rows once, not the span between
            self.dataChanged.emit(self.index(base + first, 0), self.index(base + end, NCOLS - 1))

    # -- the page cache -------------------------------------------------------------------
    def _page_number(self, row: int) -> int:
        first, end, number = self._last_page
        if first <= row < end:
            return number
        number = bisect_right(self._starts, row) - 1
        end = self._starts[number + 1] if number + 1 < len(self._starts) else len(self._ids)
        self._last_page = (self._starts[number], end, number)
        return number

    def _touch(self, number: int) -> None:
        cached = self._cached
        if number in cached:
            cached.move_to_end(number)
            return
        cached[number] = None
        limit = max(2, MAX_CACHED_ROWS // max(1, self.page_size))
        while len(cached) > limit:
            self._drop(next(iter(cached)))

    def _drop(self, number: int) -> None:
        self._cached.pop(number, None)
        page = self._pages[number]
        page.rows = page.lines = None

    def _reread(self, number: int) -> None:
        """Read page `number` again after its own cursor (it left memory, or data changed)."""
        page = self._pages[number]
        if page.rereading:
            return
        page.rereading = True
        generation, count = self._generation, len(self._page_ids(number))
        flt, sort, desc, after = self.filter, self.sort_key, self.descending, page.after
        self._read(lambda: self._fetch_page(flt, sort, desc, after, count),
                   lambda result: self._on_reread(generation, number, page, result),
                   lambda message: self._on_reread_failed(page, message))

    def _on_reread_failed(self, page: _Page, message: str) -> None:
        page.rereading = False
        self.failed.emit(message)

    def _on_reread(self, generation: int, number: int, page: _Page, result) -> None:
        page.rereading = False
        if generation != self._generation or number >= len(self._pages) or self._pages[number] is not page:
            return  # the rows changed under it meanwhile
        self.rereads += 1
        self.rows_fetched += len(result.rows)
        rows = list(result.rows)
        expected = self._page_ids(number)
        if len(rows) == len(expected) and all(r.id == i for r, i in zip(rows, expected, strict=True)):
            self._refill(number, rows)
        else:
            self._replace_tail(number, rows, result.next_cursor)

    def _replace_tail(self, number: int, rows: list[InboxRow], next_cursor: Cursor | None) -> None:
        """The database's rows at page `number` are not those held (a request arrived, left the
        filter or moved in the sort): take them as they are now and forget the pages below, to
        be read again as the operator scrolls (their cursors may no longer be right)."""
        after = self._pages[number].after
        start, end = self._starts[number], len(self._ids)
        self._generation += 1  # answers for the pages forgotten, and for the end, are dropped
        self._fetching = False
        self.beginRemoveRows(QModelIndex(), start, end - 1)
        del self._ids[start:], self._starts[number:], self._pages[number:]
        for gone in [n for n in self._cached if n >= number]:
            del self._cached[gone]
        self._last_page = (0, 0, -1)
        self.endRemoveRows()
        self._cursor, self._exhausted = next_cursor, next_cursor is None
        if rows:
            self._append(after, rows)
        self.loading_changed.emit(False)

    def _on_failed(self, message: str) -> None:
        self._fetching = False
        self.loading_changed.emit(False)
        self.failed.emit(message)

    # -- rows and their display -----------------------------------------------------------
    def _page_of(self, row: int) -> tuple[_Page | None, int]:
        """(the page holding `row`, or None while it is read again; the row's place in it)."""
        number = self._page_number(row)
        page = self._pages[number]
        if page.rows is None:
            self._reread(number)
            return None, 0
        cached = self._cached
        if number in cached:
            cached.move_to_end(number)
        return page, row - self._last_page[0]

    def _line(self, row: int) -> tuple | None:
        """(texts by column, number foreground, status background, due foreground, tooltip of
        the number, valid until) for a row in memory; None while its page is read again."""
        page, i = self._page_of(row)
        if page is None:
            return None
        line = page.lines[i]
        if line is None or line[5] <= time.time():
            line = page.lines[i] = make_line(page.rows[i], self._services, self._kecamatan)
        return line

    # -- Qt model API ---------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else NCOLS

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
        """The row's data, or None when out of range or not in memory (it is then read again)."""
        if not 0 <= row < len(self._ids):
            return None
        page, i = self._page_of(row)
        return page.rows[i] if page is not None else None

    def row_of(self, request_id: int) -> int:
        try:
            return self._ids.index(request_id)
        except ValueError:
            return -1

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._ids) or not 0 <= column < NCOLS:
            return None
        role = int(role)
        if role == _ID:
            return self._ids[row]
        if role not in DISPLAY_ROLES:
            return None
        line = self._line(row)
        return role_value(line, column, role) if line is not None else None

    def multiData(self, index: QModelIndex, roles) -> None:
        """Every role the delegate asks for, in one call (see the module docstring).

        NOTE: a role this model answers gets its value, or is cleared when the cell has none.
        Qt hands the same role data to cell after cell, so a role left alone keeps the previous
        cell's value (once: the status colour behind every cell and the overdue red on every
        text). Roles it never answers stay empty and are skipped: this runs for every cell of
        every repaint.
        """
        row, column = index.row(), index.column()
        valid = 0 <= row < len(self._ids) and 0 <= column < NCOLS
        line = self._line(row) if valid else None  # (None also while its page is read again)
        for data in roles:
            role = data.role()
            if role not in _ANSWERED:
                continue
            if role == _ID:
                value = self._ids[row] if valid else None
            else:
                value = role_value(line, column, role) if line is not None else None
            if value is None:
                data.clearData()
            else:
                data.setData(value)


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    """[2, 3, 4, 9] → [(2, 4), (9, 9)]: runs of adjacent row numbers, in order."""
    runs: list[tuple[int, int]] = []
    for i in indexes:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs
