"""Pengaturan → Cadangan: the scheduled backup's folder, daily switch and copies kept."""

from __future__ import annotations

from dikjamila.config import load_settings
from dikjamila.office import Office
from ui.settings_dialog import SettingsDialog

TIMEOUT = 15000


def test_a_backup_folder_is_checked_before_it_is_saved(qtbot, ui_office, make_ctx, tmp_path):
    ctx = make_ctx(ui_office, "admin")
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentWidget(dialog.backup)
    # Inside the data dir: a disk failure would take the office and its backup together.
    inside = ui_office.paths.data_dir / "cadangan"
    inside.mkdir()
    dialog.backup.folder.setText(str(inside))
    dialog.save()
    qtbot.waitUntil(lambda: "di dalam folder data" in dialog.message.text(), timeout=TIMEOUT)
    assert load_settings(ui_office.paths).backup_dir == ""  # nothing saved

    elsewhere = tmp_path / "disk-lain"
    elsewhere.mkdir()
    dialog.backup.folder.setText(str(elsewhere))
    dialog.backup.daily.setChecked(False)
    dialog.backup.keep.setValue(30)
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        dialog.save()
    fresh = Office.open(ui_office.paths.data_dir)
    try:
        assert (fresh.settings.backup_dir, fresh.settings.backup_daily, fresh.settings.backup_keep) == (
            str(elsewhere), False, 30)
    finally:
        fresh.close()
