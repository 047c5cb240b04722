"""The script the workstation benchmarks drive the inbox with: scroll, search, switch tabs.

Shared by `bench_gui_stall` (GUI-thread stalls) and `bench_memory` (resident memory), so both
measure the same use. Every `interval_ms` one action, in a fixed order: every 7th types the
next search of `SEARCHES` into the search box (debounced by the panel, then run on the
database worker), every 23rd switches the status tab, the others drag the scroll bar to the
end (the view then asks the model for the next page, fetched on the worker and inserted).
"""

from __future__ import annotations

import time
from collections.abc import Callable

SEARCHES = ["a", "am", "ami", "amin", "aminah", "", "0812", "081234", "631105", "", "rahmat", "siti", ""]


class InboxDriver:
    """Drives `window.inbox` for `seconds`, then calls `on_end()` (if given) and quits the app.

    `doing` is the action under way (for labelling stalls); `steps` counts actions by kind;
    `pages` counts pages the model inserted (a run whose worker was held up inserts few);
    `most_rows` is the most rows the model held. `scroll_only`: no searches or tab switches, so
    the rows pile up (what a long scroll costs in memory).
    """

    def __init__(self, app, window, seconds: float, *, interval_ms: int = 60,
                 on_end: Callable[[], None] | None = None, scroll_only: bool = False):
        self.app, self.inbox = app, window.inbox
        self.seconds = seconds
        self.interval_ms = interval_ms
        self.on_end = on_end
        self.doing = "start"
        self.steps = {"scroll": 0, "search": 0, "tab": 0}
        self.pages = 0
        self.most_rows = 0
        self.scroll_only = scroll_only
        self.started_at: float | None = None
        self.ended_at: float | None = None
        self._i = 0
        self._deadline = 0.0
        self.inbox.model.page_loaded.connect(self._count_page)

    def _count_page(self, n: int) -> None:
        if self.started_at is not None and n:
            self.pages += 1
        self.most_rows = max(self.most_rows, self.inbox.model.rowCount())

    def start(self, after_ms: int = 1500) -> None:
        """Begin `after_ms` from now (the window settles first: first page, counts, timers)."""
        from PySide6.QtCore import QTimer

        QTimer.singleShot(after_ms, self._begin)

    def run(self, after_ms: int = 1500) -> None:
        """`start`, then the app's event loop until the end."""
        self.start(after_ms)
        self.app.exec()

    def _begin(self) -> None:
        self.started_at = time.perf_counter()
        self._deadline = self.started_at + self.seconds
        self._act()

    def _act(self) -> None:
        from PySide6.QtCore import QTimer

        if time.perf_counter() > self._deadline:
            self.ended_at = time.perf_counter()
            self.doing = "end"
            if self.on_end is not None:
                self.on_end()
            self.app.quit()
            return
        inbox = self.inbox
        self._i += 1
        i = self._i
        if i % 7 == 0 and not self.scroll_only:
            text = SEARCHES[(i // 7) % len(SEARCHES)]
            self.doing = f"search {text!r}"
            inbox.search.setText(text)
            self.steps["search"] += 1
        elif i % 23 == 0 and not self.scroll_only:
            tab = (i // 23) % inbox.tabs.count()
            self.doing = f"tab {tab}"
            inbox.tabs.setCurrentIndex(tab)
            self.steps["tab"] += 1
        else:
            self.doing = "scroll"
            bar = inbox.table.verticalScrollBar()
            bar.setValue(bar.maximum())
            self.steps["scroll"] += 1
        QTimer.singleShot(self.interval_ms, self._act)

    def summary(self) -> str:
        s = self.steps
        return (f"{s['scroll']} scrolls, {s['search']} searches, {s['tab']} tab switches; "
                f"{self.pages} pages inserted, {self.inbox.model.rows_fetched:,} rows fetched in total, "
                f"at most {self.most_rows:,} rows in the model")
