"""Ganti kata sandi: the signed-in user changes their own password (the old one, the new twice).

Checked on the database worker (argon2 is slow on purpose); a wrong old password or a new one
the office's rules refuse is shown here and changes nothing.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from dikjamila.auth import accounts
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from ui.accounts.password_fields import PasswordPair, password_edit
from ui.worker_form import WorkerForm


class ChangePasswordDialog(WorkerForm):
    def __init__(self, ctx, parent: QWidget | None = None):
        who = ctx.actor
        super().__init__(ctx.submit, tr("Ganti kata sandi"),
                         tr("Kata sandi untuk {name} ({username}). Setelah diganti, masuk berikutnya memakai "
                            "kata sandi baru.", name=who.full_name, username=who.username),
                         tr("Ganti"), parent)
        self.ctx = ctx
        self.old = password_edit(self)
        self.form.addRow(tr("Kata sandi sekarang"), self.old)
        self.passwords = PasswordPair(self.form, self)

    def call(self):
        if not self.old.text():
            raise InvalidInput(tr("Isi kata sandi sekarang."))
        old, new = self.old.text(), self.passwords.value()
        db, actor = self.ctx.office.db, self.ctx.actor
        return lambda: accounts.change_own_password(db, actor, old, new)
