"""The idle lock: a workstation left alone locks, keeps what was typed, and opens again only
with the signed-in user's password.

Time comes from a clock the test moves (the lock's `clock`); the input that resets the count
is real Qt input (key presses, clicks, wheel) going through the application's event filter.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from dikjamila.auth import accounts
from dikjamila.desk import NewRequest
from tests.support import PASSWORD
from ui.accounts.lock_dialog import Curtain, LockDialog
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog

TIMEOUT = 15_000
MINUTE = 60.0


class Clock:
    def __init__(self):
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def wait(self, minutes: float) -> None:
        self.now += minutes * MINUTE


@pytest.fixture
def workstation(qtbot, ui_office, make_ctx):
    """Sari's window with one request open and a name typed but not saved; (window, editor, clock)."""
    rid = ui_office.desk(ui_office.actor_for("sari")).create_request(
        NewRequest(service_code="kia", applicant_name="Noor Hayati")).id
    window = MainWindow(make_ctx(ui_office, "sari"))
    qtbot.addWidget(window)
    window.show()
    window.open_request(rid)
    qtbot.waitUntil(lambda: window.editor(rid) is not None and window.editor(rid).ready(), timeout=TIMEOUT)
    editor = window.editor(rid)
    field = editor.fields.edits["applicant_name"]
    field.setFocus()
    qtbot.keyClicks(field, " Rahmah")
    assert field.text() == "Noor Hayati Rahmah" and editor.has_unsaved_changes()
    clock = Clock()
    window.accounts.idle_lock.set_clock(clock)
    # pytest-qt closes the window before fixtures end: the question about the unsaved name must
    # not be left waiting for an answer (a test that needs "Batal" sets its own).
    window.confirm_discard = lambda title: True
    return window, editor, clock


def _unlock(qtbot, lock, password: str) -> None:
    """Type the password on the lock (real key presses) and press "Buka kunci"; wait for the answer."""
    dialog = lock.dialog
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, password)
    assert dialog.password.text() == password  # the lock itself takes input
    dialog.unlock.click()
    qtbot.waitUntil(lambda: not lock.locked or dialog.unlock.isEnabled(), timeout=TIMEOUT)


def _lock_showing() -> bool:
    return any(isinstance(w, LockDialog) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_idle_locks_hides_everything_and_the_right_password_brings_it_back_as_it_was(qtbot, workstation):
    window, editor, clock = workstation
    lock = window.accounts.idle_lock
    field = editor.fields.edits["applicant_name"]
    clock.wait(14.9)
    assert not lock.check()

    clock.wait(0.2)  # 15 minutes (the default) without input
    assert lock.check()

    dialog = lock.dialog
    assert _lock_showing() and dialog.isModal()
    assert "Sari Operator" in dialog.who.text() and "15 menit" in dialog.reason.text()
    curtains = [c for c in window.findChildren(Curtain) if c.isVisible()]
    assert len(curtains) == 1 and curtains[0].geometry() == window.rect()  # menus and tabs hidden too
    # Nothing behind takes input: typing, a click on the inbox tab, Esc on the lock.
    qtbot.keyClicks(field, "XYZ")
    tab_bar = window.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(0).center())
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.close()
    assert field.text() == "Noor Hayati Rahmah" and window.tabs.currentWidget() is editor
    assert lock.locked and dialog.isVisible()
    polls = window.ctx.changes.polls
    qtbot.waitUntil(lambda: window.ctx.changes.polls > polls, timeout=TIMEOUT)  # background work goes on

    _unlock(qtbot, lock, "bukan-sandinya")
    assert lock.locked and dialog.message.text() == "Kata sandi salah."
    assert dialog.password.text() == ""

    _unlock(qtbot, lock, PASSWORD)
    assert not lock.locked and not _lock_showing()
    assert not [c for c in window.findChildren(Curtain) if c.isVisible()]
    assert window.tabs.count() == 2 and window.tabs.currentWidget() is editor
    assert field.text() == "Noor Hayati Rahmah" and editor.has_unsaved_changes()
    qtbot.keyClicks(field, "!")  # and input reaches it again
    assert field.text() == "Noor Hayati Rahmah!"


def test_any_input_starts_the_count_again_and_the_setting_applies_at_once(qtbot, workstation, ui_office,
                                                                         make_ctx):
    window, editor, clock = workstation
    lock = window.accounts.idle_lock
    field = editor.fields.edits["applicant_name"]
    for touch in (lambda: qtbot.keyClick(field, Qt.Key.Key_End),
                  lambda: qtbot.mouseClick(field, Qt.MouseButton.LeftButton),
                  lambda: QApplication.sendEvent(field, _wheel(field))):
        clock.wait(14)
        touch()
        clock.wait(14)  # 28 minutes since the start, 14 since the input
        assert not lock.check()
    clock.wait(1.5)
    assert lock.check()
    _unlock(qtbot, lock, PASSWORD)
    assert not lock.locked

    # An admin sets "never" (0) in Pengaturan: this workstation follows at once.
    settings = SettingsDialog(make_ctx(ui_office, "admin"))
    qtbot.addWidget(settings)
    assert settings.idle_lock.value() == 15
    settings.idle_lock.setValue(0)
    assert settings.idle_lock.text() == "Tidak pernah"
    with qtbot.waitSignal(settings.accepted, timeout=TIMEOUT):
        settings.save()
    assert ui_office.settings.idle_lock_minutes == 0
    clock.wait(8 * 60)
    assert not lock.check()


def test_keluar_closes_through_the_normal_path_and_a_refusal_keeps_the_lock(qtbot, workstation):
    window, _editor, clock = workstation
    lock = window.accounts.idle_lock
    clock.wait(16)
    assert lock.check()
    asked = []
    window.confirm_discard = lambda title: asked.append(title) or False
    lock.dialog.leave.click()
    assert asked and window.isVisible() and lock.locked  # "Batal" on the question: still locked
    window.confirm_discard = lambda title: True
    lock.dialog.leave.click()
    assert not window.isVisible() and not lock.locked


def test_an_account_deactivated_meanwhile_locks_and_its_password_opens_nothing(qtbot, workstation, ui_office):
    window, _editor, _clock = workstation
    lock = window.accounts.idle_lock
    accounts.deactivate(ui_office.db, ui_office.actor_for("admin"), "sari")
    qtbot.waitUntil(lambda: lock.locked, timeout=TIMEOUT)  # told by the change watcher
    assert "dinonaktifkan" in lock.dialog.reason.text()
    _unlock(qtbot, lock, PASSWORD)
    assert lock.locked and lock.dialog.message.text() == "Akun ini sudah dinonaktifkan. Hubungi admin."


def _wheel(widget) -> QWheelEvent:
    at = QPointF(widget.rect().center())
    return QWheelEvent(at, QPointF(widget.mapToGlobal(at)), QPoint(), QPoint(0, -120), Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
