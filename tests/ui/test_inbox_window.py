"""The inbox model's bounded memory and its one-call-per-cell painting (issue 12).

Rows are kept for the pages used last only; a page that left memory is read again after its
own cursor when shown, and taken as the database has it now when its rows changed meanwhile.
"""

from __future__ import annotations

import random
import threading
from collections import namedtuple
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from dikjamila.desk import NewRequest
from ui.inbox import model as inbox_model
from ui.inbox.model import ID_ROLE
from ui.inbox.panel import InboxPanel
from ui.inbox.row_display import due_expiry as _due_expiry
from ui.inbox.row_display import time_left_text

TIMEOUT = 10_000


def _fill(office, n, start=datetime(2026, 11, 1, tzinfo=UTC)):
    desk = office.desk(office.actor_for("hasan"))
    return [desk.create_request(NewRequest(
        service_code="kia", applicant_name=f"Warga Nomor {i}", applicant_phone="0812-3456-7890",
        kecamatan_code="63.11.06", received_at=start + timedelta(minutes=i))).id for i in range(n)]


@pytest.fixture
def small_cache(monkeypatch):
    monkeypatch.setattr(inbox_model, "MAX_CACHED_ROWS", 40)  # two pages of 20


def _panel(qtbot, ctx, page_size=20):
    """A panel not shown: its table paints nothing, so only the test decides what is shown."""
    widget = InboxPanel(ctx)
    widget.model.page_size = page_size
    qtbot.addWidget(widget)
    widget.start()
    qtbot.waitUntil(lambda: widget.model.rowCount() > 0, timeout=TIMEOUT)
    return widget


def _load_all(qtbot, widget):
    while widget.model.canFetchMore():
        widget.model.fetchMore()
        qtbot.waitUntil(lambda: not widget.model._fetching, timeout=TIMEOUT)


def test_a_page_that_left_memory_is_read_again_when_shown(qtbot, ui_office, make_ctx, small_cache):
    ids = _fill(ui_office, 45)
    widget = _panel(qtbot, make_ctx(ui_office))
    model = widget.model
    _load_all(qtbot, widget)
    assert model.rowCount() == 45
    assert model.row_at(0) is None  # the first page left memory when the third came
    assert model.index(0, 0).data(ID_ROLE) == ids[-1]  # ids stay
    qtbot.waitUntil(lambda: model.rereads == 1, timeout=TIMEOUT)
    assert model.index(0, 2).data() == "Warga Nomor 44"
    assert [model.index(r, 0).data(ID_ROLE) for r in range(45)] == sorted(ids, reverse=True)
    assert model.rowCount() == 45


def test_a_page_read_again_after_a_change_is_taken_as_it_is_now(qtbot, ui_office, make_ctx, small_cache):
    ids = _fill(ui_office, 45)
    widget = _panel(qtbot, make_ctx(ui_office))
    model = widget.model
    _load_all(qtbot, widget)
    [newest] = _fill(ui_office, 1, start=datetime(2026, 11, 30, tzinfo=UTC))  # arrives meanwhile
    model.index(0, 2).data()  # shown again: read again, and it differs
    qtbot.waitUntil(lambda: model.rereads == 1, timeout=TIMEOUT)
    assert model.rowCount() == 20 and model.canFetchMore()  # the rows below are read again on scrolling
    assert model.index(0, 0).data(ID_ROLE) == newest
    _load_all(qtbot, widget)
    assert [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())] == sorted([*ids, newest], reverse=True)


def test_a_long_list_refreshes_the_rows_on_screen_in_place(qtbot, ui_office, make_ctx, monkeypatch):
    monkeypatch.setattr(inbox_model, "REREAD_ALL_ROWS", 30)
    ids = _fill(ui_office, 45)
    ctx = make_ctx(ui_office)
    widget = _panel(qtbot, ctx)
    model = widget.model
    _load_all(qtbot, widget)
    other = ui_office.desk(ui_office.actor_for("budi"))
    other.claim(ids[-1])
    widget.refresh()  # (as the change watcher makes it do)
    qtbot.waitUntil(lambda: model.index(0, 6).data() == "Budi Operator", timeout=TIMEOUT)
    assert model.rowCount() == 45 and model.rereads >= 1


def test_the_delegate_reads_what_data_says_in_one_call(qtbot, ui_office, make_ctx):
    ids = _fill(ui_office, 3)
    ui_office.desk(ui_office.actor_for("budi")).claim(ids[0])
    widget = _panel(qtbot, make_ctx(ui_office))
    qtbot.waitUntil(lambda: widget.model.rowCount() == 3, timeout=TIMEOUT)
    delegate = QStyledItemDelegate()
    for row in range(3):
        for column in range(widget.model.columnCount()):
            index = widget.model.index(row, column)
            option = QStyleOptionViewItem()
            delegate.initStyleOption(option, index)  # → model.multiData
            assert option.text == index.data()
            # A role the cell has no value for stays empty: not the colour of the cell drawn before
            # (the status colour behind every cell, the overdue red on every text, once seen).
            background = index.data(Qt.ItemDataRole.BackgroundRole)
            if background is None:
                assert option.backgroundBrush.style() == Qt.BrushStyle.NoBrush, (row, column)
            else:
                assert option.backgroundBrush.color() == background.color()
            foreground = index.data(Qt.ItemDataRole.ForegroundRole)
            text_colour = option.palette.color(QPalette.ColorRole.Text)
            if foreground is None:
                assert text_colour == QStyleOptionViewItem().palette.color(QPalette.ColorRole.Text), (row, column)
            else:
                assert text_colour == foreground.color()
    status = widget.model.index(0, 5)
    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, status)
    assert option.backgroundBrush.color() == status.data(8).color()


def test_reads_for_a_search_typed_further_meanwhile_are_skipped(qtbot, ui_office, make_ctx):
    _fill(ui_office, 5)
    ctx = make_ctx(ui_office)
    widget = _panel(qtbot, ctx)
    model = widget.model
    asked, counted = [], []
    fetch, counts = model._fetch_page, ctx.desk.status_counts
    model._fetch_page = lambda flt, *rest: (asked.append(flt.text), fetch(flt, *rest))[1]
    ctx.desk.status_counts = lambda flt: (counted.append(flt.text), counts(flt))[1]
    gate = threading.Event()
    ctx.submit(gate.wait)  # the database worker is busy while the operator types
    ctx.submit_count(gate.wait)  # and so is the one for counts
    for typed in ("W", "Wa", "War", "Warga"):
        widget.search.setText(typed)
        widget.apply_filter()  # as if each pause were longer than the debounce
    gate.set()
    qtbot.waitUntil(lambda: ctx.worker.pending == 0 and widget.tabs.tabText(0) == "Semua (5)", timeout=TIMEOUT)
    assert asked == ["Warga"] and counted == ["Warga"]
    assert model.rowCount() == 5


def test_the_time_left_text_is_recomputed_exactly_when_it_changes():
    row_type = namedtuple("row_type", "status due_at")
    rng = random.Random(12)
    start = datetime(2026, 12, 1, 12, tzinfo=UTC)
    for n in range(3000):
        due = start + (timedelta(hours=rng.randint(-60, 60)) if n % 10 == 0
                       else timedelta(seconds=rng.uniform(-10 * 86400, 10 * 86400)))
        row = row_type(rng.choice(["baru", "diproses"]), due)
        now = start + timedelta(seconds=rng.uniform(0, 3600))
        until = _due_expiry(row, now)
        text = time_left_text(row, now)
        just_before = datetime.fromtimestamp(until - 0.002, UTC)
        if just_before > now:
            assert time_left_text(row, just_before) == text
        assert time_left_text(row, datetime.fromtimestamp(until + 0.001, UTC)) != text
    assert _due_expiry(row_type("selesai", start), start) == float("inf")
