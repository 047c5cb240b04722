"""Start-up helpers: creating the demo office with a progress dialog."""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from dikjamila.i18n import tr


def ensure_demo_office(office, worker) -> bool:
    """Create the demo office on first use (on the worker, with a progress dialog)."""
    if not office.needs_first_admin():
        return True
    from dikjamila.demo.office_demo import build_demo

    progress = QProgressDialog(tr("Menyiapkan kantor contoh (±300 permohonan)…"), "", 0, 0)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    progress.show()
    loop = QEventLoop()
    outcome: dict[str, object] = {}

    def done(summary):
        outcome["ok"] = summary
        loop.quit()

    def failed(message):
        outcome["error"] = message
        loop.quit()

    worker.submit(lambda: build_demo(office), done, failed, label=tr("Menyiapkan kantor contoh…"))
    loop.exec()
    progress.close()
    if "error" in outcome:
        QMessageBox.critical(None, tr("Dik Jamila"), str(outcome["error"]))
        return False
    return True
