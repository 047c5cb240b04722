"""Bantuan → Tentang: version, data dir, log file, database and WhatsApp state, for the IT person."""

from __future__ import annotations

from dikjamila import __version__
from dikjamila.db import migrate
from dikjamila.logs import log_path


def test_the_about_box_says_version_data_dir_log_database_and_whatsapp(qtbot, ui_office, make_ctx):
    from ui.main_window import MainWindow

    window = MainWindow(make_ctx(ui_office))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.whatsapp.summary is not None, timeout=10000)
    window._about()
    qtbot.waitUntil(lambda: getattr(window, "about_dialog", None) is not None
                    and window.about_dialog.isVisible(), timeout=10000)
    text = window.about_dialog.details_text()
    data_dir = ui_office.paths.data_dir
    assert f"Versi: {__version__}" in text
    assert f"Folder data: {data_dir}" in text
    assert f"Berkas log: {log_path(data_dir)}" in text
    assert f"Basis data: SQLite — {ui_office.paths.database_file}" in text
    assert f"Skema basis data: {migrate.head_revision()} (terbaru)" in text
    state = window.whatsapp.summary.text.removeprefix("WhatsApp: ")
    assert f"\nWhatsApp: {state}" in text and "WhatsApp: WhatsApp" not in text
    from PySide6.QtWidgets import QLabel

    shown = [label.text() for label in window.about_dialog.findChildren(QLabel) if label.isVisible()]
    assert str(data_dir) in shown and str(ui_office.paths.database_file) in " ".join(shown)
    grab = window.about_dialog.grab()
    assert grab.width() >= 560
    grab.save(str(ui_office.paths.data_dir / "about.png"))
    window.about_dialog.close()
