"""The accounts part of the main window: Berkas → "Pengguna…" (who may manage users) and
"Ganti kata sandi…" (everyone signed in), and the idle lock of the session."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from dikjamila.auth.roles import Permission
from dikjamila.i18n import tr
from ui.accounts.idle_lock import IdleLock

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class AccountParts(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.users_action: QAction | None = None
        self.users_dialog = None
        self.password_action = QAction(tr("Ganti kata sandi…"), window)
        self.password_action.triggered.connect(lambda _checked=False: self.open_change_password())
        if self.ctx.can(Permission.MANAGE_USERS):
            self.users_action = QAction(tr("Pengguna…"), window)
            self.users_action.triggered.connect(lambda _checked=False: self.open_users())
        self.idle_lock = IdleLock(window)

    def add_actions(self, menu: QMenu) -> None:
        if self.users_action is not None:
            menu.addAction(self.users_action)
        menu.addAction(self.password_action)

    def open_users(self):
        """The users dialog: one per window, brought to the front when opened again."""
        from ui.accounts.users_dialog import UsersDialog

        if self.users_dialog is None or not shiboken6.isValid(self.users_dialog):
            self.users_dialog = UsersDialog(self.ctx, self.window)
        else:
            self.users_dialog.refresh()
        self.users_dialog.show()
        self.users_dialog.raise_()
        self.users_dialog.activateWindow()
        return self.users_dialog

    def open_change_password(self):
        from ui.accounts.password_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.ctx, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.window.statusBar().showMessage(
            tr("Kata sandi diganti. Masuk berikutnya memakai kata sandi baru."), 10000))
        dialog.open()
        return dialog
