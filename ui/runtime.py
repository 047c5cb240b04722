"""Process-wide tuning for a responsive window that does not crash."""

import gc
import os

import shiboken6
from PySide6.QtCore import QObject, QTimer

#: How often the GUI thread looks whether a collection is due (see `GuiThreadCollector`).
COLLECT_CHECK_MS = 500


def paint_on_the_gui_thread() -> None:
    """Keep Qt's raster fills on the GUI thread (QT_NO_GUI_THREADPOOL), unless already set.
    Call before the QApplication is made.

    NOTE: Qt hands large fills to a thread pool and waits for it. On a 2-core PC with one core
    busy, those threads wait for a CPU and the window waits with them: scrolling the inbox
    (bench_gui_stall --busy-core) had p99 22-25 ms with the pool, 20 ms without.
    """
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")


def settle_heap() -> None:
    """Collect once, then freeze everything alive so far out of the garbage collector's scans.

    NOTE: a full (generation 2) collection walks every object, and after start-up that is
    hundreds of thousands (Qt wrappers, SQLAlchemy, Alembic, phonenumbers); measured 150-170 ms
    on the GUI thread on this 2-core machine, a visible freeze while scrolling. Objects made at
    start-up live for the whole session, so the collector need not look at them again.
    """
    gc.collect()
    gc.freeze()


class GuiThreadCollector(QObject):
    """Python's cyclic garbage collector, run only on the GUI thread, between events.

    NOTE: automatic collection runs in whichever thread happens to allocate when a threshold is
    crossed: mostly the database worker (SQLAlchemy allocates a lot), or the GUI thread in the
    middle of a C++ → Python call (a paint, a destructor). A collected cycle that holds a Qt
    object (a closed dialog, a panel and the lambdas its jobs captured) then destroys that object
    there: a widget destroyed off the GUI thread, or under a view still using it, crashes the
    process. CI saw it once (issue 12: a segmentation fault while garbage-collecting during the
    inbox's page loads). So automatic collection is off, and this timer collects the generation
    Python would have, from the event loop, where no Qt call is in progress.
    """

    def __init__(self, parent: QObject, interval_ms: int = COLLECT_CHECK_MS):
        super().__init__(parent)
        self.collections = 0  # for tests
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.collect_if_due)
        gc.disable()
        self._timer.start()

    def collect_if_due(self) -> None:
        """Collect the generation Python would have reached by now: it runs a young collection
        every `threshold0` new objects, an older one every `threshold1` young ones, and so on.
        Since one tick may stand for many of Python's collections, it escalates accordingly."""
        (young, middle, old), (t0, t1, t2) = gc.get_count(), gc.get_threshold()
        young_runs = young // max(1, t0)
        if not young_runs:
            return
        generation = 0
        if middle + young_runs > t1:
            generation = 1
            if old + (middle + young_runs) // max(1, t1) > t2:
                generation = 2
        gc.collect(generation)
        self.collections += 1

    def stop(self) -> None:
        """Give collection back to Python (tests; an application about to quit)."""
        self._timer.stop()
        gc.enable()


_installed: GuiThreadCollector | None = None


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """Install the collector for the application, once (`app` keeps it)."""
    global _installed
    if _installed is None or not shiboken6.isValid(_installed):
        _installed = GuiThreadCollector(app)
    return _installed
