"""Benchmark: the longest GUI-thread stall while scrolling and searching a 1,000,000-row inbox.

    python -m tests.bench.bench_gui_stall [--rows 1000000] [--seconds 20]

A 1 ms heartbeat timer on the GUI thread records the gaps between its ticks while a script
scrolls the inbox to the bottom again and again (each time a page is fetched and inserted),
types searches (debounced, run on the worker) and switches status tabs. The longest gap is
the longest time the window could not repaint or react. Target (issue 3): < 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.bench import generate  # noqa: E402

SEARCHES = ["a", "am", "ami", "amin", "aminah", "", "0812", "081234", "631105", "", "rahmat", "siti", ""]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--seconds", type=float, default=20.0)
    args = p.parse_args(argv)
    db_path, _ = generate.ensure(None, args.rows)
    data_dir, url = generate.office_args(db_path)

    from PySide6.QtCore import QElapsedTimer, QTimer

    from tests.bench.workstation import open_window

    app, window = open_window(data_dir, url)
    inbox = window.inbox

    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    doing = ["start"]
    labelled: list[tuple[float, str]] = []

    def beat():
        now = clock.nsecsElapsed()
        gap = (now - last[0]) / 1e6
        gaps.append(gap)
        labelled.append((gap, doing[0]))
        last[0] = now

    heartbeat = QTimer(interval=1)
    heartbeat.timeout.connect(beat)
    heartbeat.start()
    steps = {"scroll": 0, "search": 0, "tab": 0}
    deadline = time.perf_counter() + args.seconds

    def act(i=[0]):  # noqa: B006 - a counter that lives across calls
        if time.perf_counter() > deadline:
            heartbeat.stop()  # closing the window is not part of the measurement
            app.quit()
            return
        i[0] += 1
        if i[0] % 7 == 0:
            text = SEARCHES[(i[0] // 7) % len(SEARCHES)]
            doing[0] = f"search {text!r}"
            inbox.search.setText(text)
            steps["search"] += 1
        elif i[0] % 23 == 0:
            doing[0] = f"tab {(i[0] // 23) % inbox.tabs.count()}"
            inbox.tabs.setCurrentIndex((i[0] // 23) % inbox.tabs.count())
            steps["tab"] += 1
        else:
            doing[0] = "scroll"
            bar = inbox.table.verticalScrollBar()
            bar.setValue(bar.maximum())
            steps["scroll"] += 1
        QTimer.singleShot(60, act)

    QTimer.singleShot(1500, act)
    app.exec()
    heartbeat.stop()
    window.ctx.worker.shutdown()
    gaps = gaps[50:]  # skip start-up
    worst = max(gaps)
    print("longest gaps (ms, last action):",
          ", ".join(f"{g:.0f} {what}" for g, what in sorted(labelled[50:], reverse=True)[:5]))
    print(f"\nGUI-thread stalls over {args.seconds:.0f} s on {args.rows:,} requests "
          f"({steps['scroll']} scrolls, {steps['search']} searches, {steps['tab']} tab switches; "
          f"{inbox.model.rows_fetched:,} rows fetched in total)")
    print(f"heartbeat gaps: median {statistics.median(gaps):.1f} ms, p99 "
          f"{statistics.quantiles(gaps, n=100)[98]:.1f} ms, max {worst:.1f} ms, "
          f"{sum(g > 50 for g in gaps)} gaps over 50 ms")
    print(f"{'PASS' if worst < 50 else 'FAIL'}: longest stall {worst:.1f} ms (target < 50 ms)")
    return 0 if worst < 50 else 1


if __name__ == "__main__":
    sys.exit(main())
