"""The supervisor's "Periksa jejak audit": a head typed from a report proves the trail, or not."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.core.test_audit_anchor import _busy, _ids, _rewrite_history


def _dialog(qtbot, make_ctx, office, username="hasan"):
    from ui.main_window import MainWindow

    ctx = make_ctx(office, username)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.supervision.menu is not None
    dialog = window.supervision.open_audit_check()
    qtbot.waitUntil(lambda: dialog.copy_button.isEnabled(), timeout=10000)
    return window, dialog


def _check(qtbot, dialog, typed: str) -> str:
    dialog.head_input.setText(typed)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.check_button.isEnabled() and dialog.verdict.text() != "Memeriksa…",
                    timeout=15000)
    return dialog.verdict.text()


def test_a_head_from_an_earlier_report_passes_then_catches_a_rewrite(qtbot, make_ctx, ui_office):
    _busy(ui_office, ui_office.actor_for("sari"))
    earlier = ui_office.desk(ui_office.actor_for("hasan")).audit_head()
    _window, dialog = _dialog(qtbot, make_ctx, ui_office)
    assert str(earlier.count) in dialog.current.text()

    assert _check(qtbot, dialog, earlier.short).startswith("Utuh sampai kepala")

    _busy(ui_office, ui_office.actor_for("budi"), n=1)
    _rewrite_history(ui_office.paths.database_file, edit_id=_ids(ui_office)[2])
    verdict = _check(qtbot, dialog, earlier.short)
    assert verdict.startswith("RUSAK") and "diubah" in dialog.details.toPlainText()


def test_a_typo_is_answered_in_indonesian(qtbot, make_ctx, ui_office):
    _window, dialog = _dialog(qtbot, make_ctx, ui_office)
    assert "JUMLAH:HASH" in _check(qtbot, dialog, "12-abc")


def test_operators_cannot_reach_the_audit_check(qtbot, make_ctx, ui_office):
    from ui.main_window import MainWindow

    window = MainWindow(make_ctx(ui_office, "sari"))
    qtbot.addWidget(window)
    assert [a.text() for a in window.supervision.menu.actions()] == ["Pengaduan…"]  # they record complaints
