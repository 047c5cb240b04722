"""Berkas → Pengguna… (admin) and Berkas → Ganti kata sandi…, driven as a person would:
real windows, a real office, real argon2 passwords, the sign-in dialog to prove the result."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from dikjamila.desk import NewRequest
from tests.support import PASSWORD
from ui.accounts.password_dialog import ChangePasswordDialog
from ui.login import LoginDialog
from ui.main_window import MainWindow

TIMEOUT = 15_000


def _window(qtbot, make_ctx, office, username):
    window = MainWindow(make_ctx(office, username))
    qtbot.addWidget(window)
    window.show()
    return window


def _berkas(window) -> list[str]:
    return [a.text() for a in window.menuBar().actions()[0].menu().actions()]


def _sign_in(qtbot, office, worker, username, password) -> LoginDialog:
    """The sign-in dialog as the workstation shows it, after pressing Masuk."""
    dialog = LoginDialog(office, worker)
    qtbot.addWidget(dialog)
    dialog.username.setText(username)
    dialog.password.setText(password)
    dialog.try_login()
    qtbot.waitUntil(lambda: dialog.actor is not None or dialog.message.text() != "", timeout=TIMEOUT)
    return dialog


def _users_dialog(qtbot, window):
    window.accounts.users_action.trigger()
    dialog = window.accounts.users_dialog
    qtbot.waitUntil(lambda: len(dialog.users) == 4, timeout=TIMEOUT)
    return dialog


def test_an_admin_resets_a_password_and_only_the_new_one_signs_in(qtbot, ui_office, make_ctx):
    operator = _window(qtbot, make_ctx, ui_office, "sari")
    assert "Pengguna…" not in _berkas(operator) and "Ganti kata sandi…" in _berkas(operator)
    window = _window(qtbot, make_ctx, ui_office, "admin")
    assert "Pengguna…" in _berkas(window)
    dialog = _users_dialog(qtbot, window)
    rows = {dialog.table.item(r, 1).text(): (dialog.table.item(r, 2).text(), dialog.table.item(r, 3).text())
            for r in range(dialog.table.rowCount())}
    assert rows["sari"] == ("Operator", "Aktif") and rows["hasan"] == ("Supervisor", "Aktif")

    dialog.select("sari")
    dialog.reset.click()
    form = dialog.form
    assert form.isVisible() and "Sari Operator" in form.intro.text()
    form.passwords.password.setText("sandi-baru-sari")
    form.passwords.repeat.setText("sandi-lain-sari")
    form.ok_button.click()
    assert form.message.text() == "Kedua kata sandi tidak sama." and form.isVisible()
    form.passwords.repeat.setText("sandi-baru-sari")
    form.ok_button.click()
    qtbot.waitUntil(lambda: "Kata sandi sari diatur ulang" in dialog.message.text(), timeout=TIMEOUT)

    worker = window.ctx.worker
    old = _sign_in(qtbot, ui_office, worker, "sari", PASSWORD)
    assert old.actor is None and old.message.text() == "Nama pengguna atau kata sandi salah."
    new = _sign_in(qtbot, ui_office, worker, "sari", "sandi-baru-sari")
    assert new.actor is not None and new.actor.full_name == "Sari Operator"


def test_a_deactivated_user_is_refused_at_sign_in_and_keeps_their_name_on_history(qtbot, ui_office, make_ctx):
    budi = ui_office.desk(ui_office.actor_for("budi"))
    rid = budi.create_request(NewRequest(service_code="kia", applicant_name="Noor Hayati")).id
    budi.claim(rid)
    budi.add_note(rid, "Akta kelahiran anak menyusul besok.")
    window = _window(qtbot, make_ctx, ui_office, "admin")
    dialog = _users_dialog(qtbot, window)
    dialog.select("admin")
    assert not dialog.toggle.isEnabled()  # not oneself

    dialog.select("budi")
    assert dialog.toggle.text() == "Nonaktifkan…"
    dialog.toggle.click()
    box = dialog.confirmation
    assert box.isVisible() and "Budi Operator" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "Akun budi dinonaktifkan" in dialog.message.text(), timeout=TIMEOUT)
    number = budi.get_request(rid, record_view=False).number
    assert f"1 permohonan yang dipegangnya dikembalikan ke antrean: {number}" in dialog.message.text()
    qtbot.waitUntil(lambda: any(u.username == "budi" and not u.active for u in dialog.users), timeout=TIMEOUT)
    assert dialog.toggle.text() == "Aktifkan lagi…"

    refused = _sign_in(qtbot, ui_office, window.ctx.worker, "budi", PASSWORD)
    assert refused.actor is None and refused.message.text() == "Akun ini sudah dinonaktifkan. Hubungi admin."

    window.open_request(rid)
    qtbot.waitUntil(lambda: window.editor(rid) is not None and window.editor(rid).ready(), timeout=TIMEOUT)
    editor = window.editor(rid)
    history = editor.history
    rows = [(history.item(r, 1).text(), history.item(r, 2).text()) for r in range(history.rowCount())]
    assert ("Budi Operator", "Diambil untuk ditangani") in rows
    assert ("Admin Kantor", "Dikembalikan ke antrean") in rows
    assert "Budi Operator" in editor.notes.browser.toPlainText()
    assert editor.detail.assignee_id is None

    # Brought back: signs in again with the password he had.
    dialog.toggle.click()
    dialog.confirmation.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "Akun budi aktif lagi" in dialog.message.text(), timeout=TIMEOUT)
    assert _sign_in(qtbot, ui_office, window.ctx.worker, "budi", PASSWORD).actor.username == "budi"


def test_an_admin_adds_a_user_who_can_then_sign_in(qtbot, ui_office, make_ctx):
    window = _window(qtbot, make_ctx, ui_office, "admin")
    dialog = _users_dialog(qtbot, window)
    dialog.add.click()
    form = dialog.form
    form.full_name.setText("Rina Wati")
    form.username.setText("rina")
    form.passwords.password.setText("sandi-rina-1")
    form.passwords.repeat.setText("sandi-rina-1")
    form.ok_button.click()
    qtbot.waitUntil(lambda: "Pengguna rina ditambahkan" in dialog.message.text(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: len(dialog.users) == 5, timeout=TIMEOUT)
    assert _sign_in(qtbot, ui_office, window.ctx.worker, "rina", "sandi-rina-1").actor.role == "operator"


def test_a_user_changes_their_own_password_from_the_berkas_menu(qtbot, ui_office, make_ctx):
    window = _window(qtbot, make_ctx, ui_office, "sari")
    window.accounts.password_action.trigger()
    dialog = _open_password_dialog(window)
    dialog.old.setText("bukan-sandi-sari")
    dialog.passwords.password.setText("sandi-baru-sari")
    dialog.passwords.repeat.setText("sandi-baru-sari")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.message.text() == "Kata sandi lama salah.", timeout=TIMEOUT)
    assert dialog.isVisible()
    dialog.old.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        dialog.ok_button.click()
    assert "Kata sandi diganti" in window.statusBar().currentMessage()
    worker = window.ctx.worker
    assert _sign_in(qtbot, ui_office, worker, "sari", "sandi-baru-sari").actor.username == "sari"
    assert _sign_in(qtbot, ui_office, worker, "sari", PASSWORD).actor is None


def _open_password_dialog(window) -> ChangePasswordDialog:
    [dialog] = [w for w in window.findChildren(ChangePasswordDialog) if w.isVisible()]
    return dialog
