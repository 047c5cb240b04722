"""Garbage holding Qt objects is collected on the GUI thread, never on a worker thread (ui/runtime.py)."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ui.runtime import GuiThreadCollector


def _collections_on(threads: list[int]):
    """Record the thread of every collection (gc.callbacks) while the block runs."""
    def note(phase, _info):
        if phase == "start":
            threads.append(threading.get_ident())
    return note


def _build_rows_on_a_thread() -> None:
    """What the database worker does all day: build a query's rows (many small containers kept
    until the page is done), enough to cross the collector's thresholds many times over."""
    def work():
        rows = [{"id": i, "cols": [i]} for i in range(100_000)]
        del rows
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


def test_no_collection_runs_on_a_worker_thread(qtbot, gui_thread_collector):
    threads: list[int] = []
    note = _collections_on(threads)
    gc.callbacks.append(note)
    try:
        _build_rows_on_a_thread()  # with automatic collection, ~140 collections there
        assert threads == []
        junk = [[] for _ in range(gc.get_threshold()[0] * 2)]  # due now, from the GUI thread
        qtbot.waitUntil(lambda: bool(threads), timeout=5_000)  # the collector's timer
        del junk
    finally:
        gc.callbacks.remove(note)
    assert set(threads) == {threading.get_ident()}


def test_a_cycle_holding_a_widget_dies_on_the_gui_thread(qtbot, gui_thread_collector):
    """A closed window kept only by a cycle (its lambdas): destroyed by the collector, here."""
    destroyed_on: list[int] = []

    class Panel(QWidget):
        def __init__(self):
            super().__init__()
            self.on_close = lambda: self.close()  # the cycle
            self.destroyed.connect(lambda *_: destroyed_on.append(threading.get_ident()))

    Panel()
    _build_rows_on_a_thread()
    junk = [[] for _ in range(200_000)]  # a long session's worth: every generation comes due
    qtbot.waitUntil(lambda: bool(destroyed_on), timeout=10_000)
    del junk
    assert destroyed_on == [threading.get_ident()]


def test_collection_happens_only_when_python_would_have(qtbot, qapp):
    gc.collect()
    collector = GuiThreadCollector(qapp, interval_ms=10)
    try:
        before = collector.collections
        qtbot.wait(100)  # nothing allocated: nothing due
        assert collector.collections == before
        junk = [[] for _ in range(gc.get_threshold()[0] * 2)]  # enough for a young collection
        qtbot.waitUntil(lambda: collector.collections > before, timeout=2_000)
        del junk
    finally:
        collector.stop()
        gc.disable()  # the session's collector is still installed (tests/ui/conftest.py)


def test_the_collector_is_what_keeps_automatic_collection_off(qapp):
    owner = QObject()
    collector = GuiThreadCollector(owner)
    assert not gc.isenabled()
    collector.stop()
    assert gc.isenabled()
    gc.disable()  # back to the session's state
