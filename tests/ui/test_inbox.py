"""The inbox model and panel in a real Qt view: lazy pages, SQL filters, counts, changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from dikjamila.desk import NewRequest
from ui.inbox.model import ID_ROLE
from ui.inbox.panel import InboxPanel

TIMEOUT = 10_000


def _fill(office, n, **overrides):
    desk = office.desk(office.actor_for("hasan"))
    start = datetime(2026, 11, 1, tzinfo=UTC)
    ids = []
    for i in range(n):
        values = dict(service_code="kia" if i % 3 else "akta_kelahiran", applicant_name=f"Warga Nomor {i}",
                      channel="whatsapp" if i % 2 else "walk_in", applicant_phone="0812-3456-7890",
                      kecamatan_code="63.11.06", received_at=start + timedelta(minutes=i))
        values.update(overrides)
        ids.append(desk.create_request(NewRequest(**values)).id)
    return ids


@pytest.fixture
def panel(qtbot, ui_office, make_ctx):
    ids = _fill(ui_office, 45)
    ctx = make_ctx(ui_office)
    widget = InboxPanel(ctx)
    widget.model.page_size = 20
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    widget.start()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 20, timeout=TIMEOUT)
    return widget, ids


def test_model_passes_qtmodeltester(qtmodeltester, panel):
    widget, _ = panel
    qtmodeltester.check(widget.model, force_py=True)


def test_first_page_is_newest_first_and_scrolling_fetches_more(qtbot, panel):
    widget, ids = panel
    assert widget.model.index(0, 0).data(ID_ROLE) == ids[-1]
    assert widget.model.rows_fetched == 20
    widget.table.scrollToBottom()
    qtbot.waitUntil(lambda: widget.model.rowCount() >= 40, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not widget.model._fetching, timeout=TIMEOUT)
    assert widget.model.rowCount() == 40 and widget.model.rows_fetched == 40  # one more page, no more
    while widget.model.canFetchMore():
        widget.model.fetchMore()
        qtbot.waitUntil(lambda: not widget.model._fetching, timeout=TIMEOUT)
    assert widget.model.rowCount() == 45
    shown = [widget.model.index(r, 0).data(ID_ROLE) for r in range(45)]
    assert shown == sorted(ids, reverse=True)


def test_status_tabs_show_counts(qtbot, panel):
    widget, _ = panel
    qtbot.waitUntil(lambda: widget.tabs.tabText(1) == "Baru (45)", timeout=TIMEOUT)
    assert widget.tabs.tabText(0) == "Semua (45)"
    assert widget.tabs.tabText(2) == "Diperiksa (0)"


def test_search_is_debounced_and_filters_in_sql(qtbot, panel):
    widget, ids = panel
    reloads = widget.model.reloads
    for typed in ("N", "No", "Nom", "Nomo", "Nomor", "Nomor ", "Nomor 4"):  # typed quickly
        widget.search.setText(typed)
    assert widget.model.reloads == reloads  # nothing asked of the database while typing
    assert widget._debounce.isActive()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 6, timeout=TIMEOUT)  # matches 4 and 40..44
    assert widget.model.reloads == reloads + 1  # one query for the whole word
    names = {widget.model.index(r, 2).data() for r in range(6)}
    assert names == {f"Warga Nomor {i}" for i in (4, 40, 41, 42, 43, 44)}
    widget.search.setText("")
    qtbot.waitUntil(lambda: widget.model.rowCount() == 20, timeout=TIMEOUT)


def test_filter_bar_combines_with_status_tab(qtbot, panel):
    widget, ids = panel
    widget.channel.setCurrentIndex(widget.channel.findData("walk_in"))
    qtbot.waitUntil(lambda: widget.model.rowCount() == 20 and
                    all(widget.model.row_at(r).channel == "walk_in" for r in range(20)), timeout=TIMEOUT)
    widget.service.setCurrentIndex(widget.service.findData("akta_kelahiran"))
    # akta_kelahiran is every 3rd request, walk-in every 2nd: every 6th, 8 of 45.
    qtbot.waitUntil(lambda: widget.model.rowCount() == 8, timeout=TIMEOUT)
    widget.tabs.setCurrentIndex(2)  # Diperiksa: none yet
    qtbot.waitUntil(lambda: widget.model.rowCount() == 0, timeout=TIMEOUT)


def test_sorting_by_header_reloads_in_sql_order(qtbot, panel):
    widget, _ = panel
    widget.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # applicant name
    qtbot.waitUntil(lambda: widget.model.rowCount() == 20 and
                    widget.model.index(0, 2).data() == "Warga Nomor 0", timeout=TIMEOUT)
    names = [widget.model.index(r, 2).data() for r in range(20)]
    assert names == sorted(names)


def test_enter_opens_the_selected_request(qtbot, panel):
    widget, ids = panel
    widget.table.setFocus()
    widget.select_first()
    with qtbot.waitSignal(widget.open_request, timeout=TIMEOUT) as opened:
        qtbot.keyClick(widget.table, Qt.Key.Key_Return)
    assert opened.args == [ids[-1]]


def test_changes_made_elsewhere_appear_within_3_s_by_the_watchers_own_timer(qtbot, panel, ui_office):
    widget, ids = panel
    widget.ctx.changes.start()
    qtbot.waitUntil(lambda: widget.ctx.changes.polls >= 1, timeout=TIMEOUT)
    other = ui_office.desk(ui_office.actor_for("budi"))  # another workstation, same database
    other.claim(ids[-1])
    other.advance(ids[-1], "diperiksa")
    qtbot.waitUntil(lambda: widget.model.index(0, 5).data() == "Diperiksa", timeout=3000)
    assert widget.model.index(0, 6).data() == "Budi Operator"
    qtbot.waitUntil(lambda: widget.tabs.tabText(2) == "Diperiksa (1)", timeout=3000)


def test_opening_a_request_elsewhere_refreshes_nothing(qtbot, panel, ui_office):
    widget, ids = panel
    widget.ctx.changes.start()
    qtbot.waitUntil(lambda: widget.ctx.changes.polls >= 1, timeout=TIMEOUT)
    refreshes, polls = widget.model.refreshes, widget.ctx.changes.polls
    other = ui_office.desk(ui_office.actor_for("budi"))
    other.get_request(ids[-1])  # opened: audited, but not a change
    other.check(ids[-1])
    qtbot.waitUntil(lambda: widget.ctx.changes.polls >= polls + 3, timeout=TIMEOUT)
    assert widget.model.refreshes == refreshes
    other.add_note(ids[-1], "Sudah ditelepon.")  # a change: the same watcher does refresh
    qtbot.waitUntil(lambda: widget.model.refreshes == refreshes + 1, timeout=3000)


def test_a_searchs_rows_do_not_wait_for_slow_counts(qtbot, panel):
    """On a big office the counts of a one-letter search take seconds: the rows come first."""
    import threading

    widget, _ = panel
    qtbot.waitUntil(lambda: widget.tabs.tabText(0) == "Semua (45)", timeout=TIMEOUT)
    counting = threading.Event()
    widget.ctx.submit_count(counting.wait)  # stands for a count that is still running
    try:
        widget.search.setText("Nomor 4")
        widget.apply_filter()
        qtbot.waitUntil(lambda: widget.model.rowCount() == 6, timeout=TIMEOUT)
        assert widget.tabs.tabText(0) == "Semua (45)"  # its counts wait for the running one
    finally:
        counting.set()
    qtbot.waitUntil(lambda: widget.tabs.tabText(0) == "Semua (6)", timeout=TIMEOUT)


def test_a_one_or_two_letter_search_is_not_counted(qtbot, panel):
    """It matches most of a big office (counting it took 12 s on a million requests): the tabs
    show their names only, and count again once the search is longer."""
    widget, _ = panel
    qtbot.waitUntil(lambda: widget.tabs.tabText(0) == "Semua (45)", timeout=TIMEOUT)
    widget.search.setText("Wa")
    widget.apply_filter()
    qtbot.waitUntil(lambda: widget.tabs.tabText(0) == "Semua", timeout=TIMEOUT)
    assert widget.tabs.tabText(1) == "Baru"
    qtbot.waitUntil(lambda: widget.model.rowCount() == 20, timeout=TIMEOUT)  # rows as usual
    widget.search.setText("Warga Nomor 1")
    widget.apply_filter()
    qtbot.waitUntil(lambda: widget.tabs.tabText(0) == "Semua (11)", timeout=TIMEOUT)  # 1 and 10..19
