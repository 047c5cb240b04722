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

    from tests.bench.workstation import open_window

    app, window = open_window(data_dir, db_url)
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
