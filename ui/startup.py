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


#: The demo kiosk's village and staff PIN (`dikjamila --kiosk --demo`; the README says them).
DEMO_KIOSK_DESA = "Batu Piring"
DEMO_KIOSK_PIN = "1234"


def ensure_demo_kiosk(paths) -> bool:
    """The demo office (made on first use, as `--demo` does) set up as a one-PC kiosk: its
    village and staff PIN are filled in when empty. False when the office cannot be made."""
    from dataclasses import replace

    from dikjamila.config import load_settings, save_settings
    from dikjamila.errors import UserError
    from dikjamila.kiosk.pin import hash_pin
    from dikjamila.office import Office
    from ui.worker import DbWorker

    try:
        office = Office.open(paths.data_dir)
    except UserError as exc:
        QMessageBox.critical(None, tr("Dik Jamila"), exc.message)
        return False
    worker = DbWorker()
    try:
        if not ensure_demo_office(office, worker):
            return False
    finally:
        worker.shutdown()
        office.close()
    settings = load_settings(paths)
    changes = {}
    if not settings.kiosk_desa:
        changes["kiosk_desa"] = DEMO_KIOSK_DESA
    if not settings.kiosk_admin_pin_hash:
        changes["kiosk_admin_pin_hash"] = hash_pin(DEMO_KIOSK_PIN)
    if changes:
        save_settings(paths, replace(settings, **changes))
    return True
