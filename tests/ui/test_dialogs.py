"""First-run, sign-in and settings dialogs."""

from __future__ import annotations

import pytest

from dikjamila.config import load_settings
from dikjamila.desk import NewRequest
from dikjamila.errors import InvalidInput
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


def test_settings_are_for_admins_and_refuse_bad_values(qtbot, ui_office, make_ctx):
    operator = MainWindow(make_ctx(ui_office, "sari"))
    qtbot.addWidget(operator)
    menu_texts = [a.text() for a in operator.menuBar().actions()[0].menu().actions()]
    assert "Pengaturan…" not in menu_texts

    ctx = make_ctx(ui_office, "admin")
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
    dialog.office_name.setText("   ")
    dialog.save()
    assert "Nama kantor wajib diisi" in dialog.message.text()
    dialog.office_name.setText("Disdukcapil Balangan")
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        dialog.save()  # saved on the database worker
    saved = load_settings(ui_office.paths)
    assert saved.whatsapp_numbers == ["+6281250001111", "+6281350002222"]
    assert saved.max_attachment_mb == 10 and saved.office_name == "Disdukcapil Balangan"


def _noise_jpeg(min_bytes: int) -> bytes:
    import io
    import os

    from PIL import Image

    side = 512
    while True:
        out = io.BytesIO()
        Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "JPEG", quality=95)
        if out.tell() >= min_bytes:
            return out.getvalue()
        side *= 2


def test_a_settings_change_takes_effect_in_the_open_workstation(qtbot, ui_office, make_ctx):
    ctx = make_ctx(ui_office, "admin")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    rid = ctx.desk.create_request(NewRequest(service_code="kia", applicant_name="Siti Aminah")).id
    photo = _noise_jpeg(1_500_000)
    ctx.desk.attach_file(rid, photo, "akta-anak.jpg")  # 25 MB limit: accepted
    dialog = SettingsDialog(ctx, window)
    qtbot.addWidget(dialog)
    dialog.max_mb.setValue(1)
    dialog.office_name.setText("Disdukcapil Balangan — Paringin")
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        dialog.save()
    # The session's desk (made at sign-in) now applies the new limit...
    with pytest.raises(InvalidInput, match="1 MB"):
        ctx.desk.attach_file(rid, photo, "akta-anak-lagi.jpg")
    # ...and the window shows the new office name.
    assert window.windowTitle() == "Dik Jamila — Disdukcapil Balangan — Paringin"


def test_a_refused_save_is_shown_and_changes_nothing(qtbot, ui_office, make_ctx):
    ctx = make_ctx(ui_office, "admin")
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    before = ui_office.paths.settings_file.read_bytes() if ui_office.paths.settings_file.exists() else b""
    # The settings file cannot be written: its temporary file's name is taken by a folder.
    ui_office.paths.settings_file.with_suffix(".toml.tmp").mkdir(parents=True)
    dialog.max_mb.setValue(2)
    dialog.save()
    qtbot.waitUntil(lambda: "tidak dapat dibaca atau ditulis" in dialog.message.text(), timeout=TIMEOUT)
    assert dialog.isVisible() is False or dialog.result() != dialog.DialogCode.Accepted
    assert dialog.buttons.isEnabled()
    assert ui_office.settings.max_attachment_mb == 25 and ctx.desk.store.max_bytes == 25 * 1024 * 1024
    after = ui_office.paths.settings_file.read_bytes() if ui_office.paths.settings_file.exists() else b""
    assert after == before


def test_the_intake_page_checks_hours_and_folders_then_saves(qtbot, ui_office, tmp_path):
    ctx = AppContext(ui_office, ui_office.actor_for("admin"), DbWorker(), link_service_factory=None)
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    page = dialog.intake
    page.hours.setText("senin-kamis 08:00-14:00; jumatan 08:00")
    dialog.save()
    assert "Jam layanan 'jumatan 08:00' tidak bisa dibaca" in dialog.message.text()
    page.hours.setText("senin-kamis 07:30-15:00; jumat 07:30-11:00")
    page.siak.setText(str(tmp_path / "tidak-ada"))
    dialog.save()
    assert "Folder PDF terbit SIAK" in dialog.message.text() and "tidak ada" in dialog.message.text()
    (tmp_path / "siak").mkdir()
    page.siak.setText(str(tmp_path / "siak"))
    page.auto_create.setChecked(False)
    page.window.setValue(45)
    page.chat_names.setText("Dukcapil Balangan, Layanan Adminduk")
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        dialog.save()
    saved = load_settings(ui_office.paths)
    assert saved.office_hours == ["senin-kamis 07:30-15:00", "jumat 07:30-11:00"]
    assert (saved.watch_siak_dir, saved.intake_auto_create, saved.intake_window_minutes) == (
        str(tmp_path / "siak"), False, 45)
    assert saved.office_chat_names == ["Dukcapil Balangan", "Layanan Adminduk"]
