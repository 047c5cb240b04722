"""Open the workstation window on a data dir, signed in without a password (benchmarks only)."""

from __future__ import annotations

import sys


def open_window(data_dir, db_url: str | None):
    """(QApplication, MainWindow) with the inbox started, as `ui.app` leaves them after sign-in."""
    from PySide6.QtWidgets import QApplication

    from dikjamila.office import Office
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.runtime import collect_on_gui_thread, paint_on_the_gui_thread, settle_heap
    from ui.style import apply_style
    from ui.worker import DbWorker

    paint_on_the_gui_thread()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    collect_on_gui_thread(app)  # (ui.runtime: cycles collected on the GUI thread only)
    apply_style(app)
    office = Office.open(data_dir, db_url or None)
    with office.db.engine.connect() as conn:
        username = conn.exec_driver_sql("SELECT username FROM users ORDER BY id LIMIT 1").scalar()
    window = MainWindow(AppContext(office, office.actor_for(username), DbWorker()))
    window.resize(1366, 740)
    window.show()
    window.inbox.start()
    settle_heap()
    return app, window
