"""Child process for the start-up benchmark: open the workstation, say when inbox rows show.

Prints `FIRST_ROWS <n>` once the first page is in the model and painted, then exits.
Signs in as an existing user without a password (benchmark only: the real start asks).
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(data_dir: str, db_url: str) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from dikjamila.office import Office
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.style import apply_style
    from ui.worker import DbWorker

    app = QApplication(sys.argv[:1])
    apply_style(app)
    office = Office.open(data_dir, db_url or None)
    username = office.db.engine.connect().exec_driver_sql("SELECT username FROM users LIMIT 1").scalar()
    window = MainWindow(AppContext(office, office.actor_for(username), DbWorker()))
    window.show()
    window.inbox.start()
    model = window.inbox.model

    def shown(n: int) -> None:
        if n == 0:
            return
        window.inbox.table.viewport().repaint()  # the rows are on screen, not only in the model
        print(f"FIRST_ROWS {model.rowCount()} fetched={model.rows_fetched}", flush=True)
        QTimer.singleShot(0, app.quit)

    def empty_office(loading: bool) -> None:
        if not loading and model.rowCount() == 0:
            print("FIRST_ROWS 0 fetched=0", flush=True)
            QTimer.singleShot(0, app.quit)

    model.page_loaded.connect(shown)
    model.loading_changed.connect(empty_office)
    app.exec()
    window.ctx.worker.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""))
