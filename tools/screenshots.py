"""Take the README screenshots: the demo office's inbox, request editor and intake at 1366×768.

Run under Xvfb (see README): `xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python tools/screenshots.py DATA_DIR docs/`
The demo office is created in DATA_DIR if it is empty.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def main(data_dir: str, out_dir: str, user: str = "sari") -> int:
    from dikjamila.demo.office_demo import build_demo
    from dikjamila.office import Office
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.runtime import collect_on_gui_thread
    from ui.style import apply_style
    from ui.worker import DbWorker

    app = QApplication.instance() or QApplication(sys.argv[:1])
    collect_on_gui_thread(app)  # (ui.runtime: cycles collected on the GUI thread only)
    apply_style(app)
    office = Office.open(data_dir)
    if office.needs_first_admin():
        build_demo(office)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    window = MainWindow(AppContext(office, office.actor_for(user), DbWorker()))
    window.setGeometry(0, 0, 1366, 768)
    window.show()
    window.inbox.start()

    def wait_until(check, then, tries=100):
        if check() or tries == 0:
            then()
        else:
            QTimer.singleShot(100, lambda: wait_until(check, then, tries - 1))

    def shoot_inbox():
        window.inbox.select_first()
        QTimer.singleShot(400, lambda: (window.grab().save(str(out / "inbox.png")), open_editor()))

    def open_editor():
        model = window.inbox.model
        me = window.ctx.actor.full_name
        rows = [model.row_at(r) for r in range(model.rowCount())]
        # One the signed-in operator is working on, so the actions show.
        chosen = next((r for r in rows if r.assignee_name == me and r.status in ("diperiksa", "berkas_kurang")),
                      next((r for r in rows if r.status == "diperiksa"), rows[0]))
        row = rows.index(chosen)
        window.open_request(model.row_at(row).id)
        QTimer.singleShot(2500, lambda: (window.grab().save(str(out / "request-editor.png")), open_intake()))

    def open_intake():
        # A request made from a resident's WhatsApp messages (service still to confirm), with
        # the list of messages that wait docked below.
        model = window.inbox.model
        rows = [model.row_at(r) for r in range(model.rowCount())]
        fresh = next((r for r in rows if not r.service_code), None)
        if fresh is not None:
            window.open_request(fresh.id)
        window.intake.show_unhandled()
        QTimer.singleShot(2500, lambda: (window.grab().save(str(out / "intake.png")), app.quit()))

    wait_until(lambda: window.inbox.model.rowCount() > 0 and "(" in window.inbox.tabs.tabText(0), shoot_inbox)
    app.exec()
    window.ctx.worker.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
