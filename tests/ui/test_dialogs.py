"""First-run, sign-in and settings dialogs."""

from __future__ import annotations

from dikjamila.config import load_settings
from dikjamila.office import Office
from ui.context import AppContext
from ui.login import FirstRunDialog
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog
from ui.worker import DbWorker

TIMEOUT = 15_000


def test_a_new_office_creates_its_admin_on_first_run(qtbot, tmp_path):
    office = Office.open(tmp_path / "baru")
    worker = DbWorker()
    try:
        assert office.needs_first_admin()
        dialog = FirstRunDialog(office, worker)
        qtbot.addWidget(dialog)
        dialog.full_name.setText("Admin Disdukcapil")
        dialog.password.setText("kata-sandi-kuat")
        dialog.repeat.setText("kata-sandi-lain")
        dialog.create()
        assert "tidak sama" in dialog.message.text()
        dialog.password.setText("pendek")
        dialog.repeat.setText("pendek")
        dialog.create()
        qtbot.waitUntil(lambda: "minimal 8" in dialog.message.text(), timeout=TIMEOUT)
        dialog.password.setText("kata-sandi-kuat")
        dialog.repeat.setText("kata-sandi-kuat")
        with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
            dialog.create()
        assert dialog.actor.role == "admin" and dialog.actor.username == "admin"
        assert not office.needs_first_admin()
        assert office.login("admin", "kata-sandi-kuat").full_name == "Admin Disdukcapil"
    finally:
        worker.shutdown()
        office.close()


def test_settings_are_for_admins_and_refuse_bad_values(qtbot, ui_office):
    operator = MainWindow(AppContext(ui_office, ui_office.actor_for("sari"), DbWorker()))
    qtbot.addWidget(operator)
    menu_texts = [a.text() for a in operator.menuBar().actions()[0].menu().actions()]
    assert "Pengaturan…" not in menu_texts
    operator.ctx.worker.shutdown()

    ctx = AppContext(ui_office, ui_office.actor_for("admin"), DbWorker())
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.numbers.setText("0812-5000-1111, 021-555-1234")  # the second is a Jakarta landline
    dialog.save()
    assert "bukan nomor HP" in dialog.message.text()
    dialog.numbers.setText("0812-5000-1111, +62 813 5000 2222")
    dialog.max_mb.setValue(10)
    dialog.db_url.setText("bukan url")
    dialog.save()
    assert "URL basis data tidak sah" in dialog.message.text()
    dialog.db_url.setText("")
    dialog.save()
    saved = load_settings(ui_office.paths)
    assert saved.whatsapp_numbers == ["+6281250001111", "+6281350002222"]
    assert saved.max_attachment_mb == 10
    assert ui_office.store.max_bytes == 10 * 1024 * 1024  # applies at once
    ctx.worker.shutdown()
