"""The forms of the users dialog: a new user, and a password reset (typed twice)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from dikjamila.auth import accounts
from dikjamila.auth.passwords import MIN_LENGTH
from dikjamila.auth.roles import ROLE_LABELS, Role
from dikjamila.desk import UserInfo
from dikjamila.i18n import tr
from ui.accounts.password_fields import PasswordPair
from ui.worker_form import WorkerForm


class AddUserForm(WorkerForm):
    """`result_value` is the new user's UserInfo once accepted."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(ctx.submit, tr("Tambah pengguna"),
                         tr("Akun baru untuk petugas kantor. Sampaikan kata sandinya secara langsung; ia dapat "
                            "menggantinya sendiri setelah masuk (Berkas → Ganti kata sandi…)."),
                         tr("Tambah"), parent)
        self.ctx = ctx
        self.full_name = QLineEdit(self)
        self.full_name.setMaxLength(200)
        self.username = QLineEdit(self)
        self.username.setMaxLength(64)
        self.username.setPlaceholderText(tr("mis. sari atau budi.s"))
        self.role = QComboBox(self)
        for role in (Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN, Role.KIOSK):
            self.role.addItem(tr(ROLE_LABELS[role]), role.value)
        self.form.addRow(tr("Nama lengkap"), self.full_name)
        self.form.addRow(tr("Nama pengguna"), self.username)
        self.form.addRow(tr("Peran"), self.role)
        self.passwords = PasswordPair(self.form, self, label=tr("Kata sandi (min. {n})", n=MIN_LENGTH))

    def call(self):
        password = self.passwords.value()
        office, actor = self.ctx.office, self.ctx.actor
        values = {"username": self.username.text(), "full_name": self.full_name.text(),
                  "role": self.role.currentData(), "password": password}
        return lambda: office.add_user(actor, **values)


class ResetPasswordForm(WorkerForm):
    """A new password for `user`, chosen by the admin; the old one stops working."""

    def __init__(self, ctx, user: UserInfo, parent: QWidget | None = None):
        super().__init__(ctx.submit, tr("Atur ulang kata sandi"),
                         tr("Kata sandi baru untuk {name} ({username}). Kata sandi lamanya tidak berlaku lagi. "
                            "Sampaikan secara langsung dan minta ia menggantinya setelah masuk.",
                            name=user.full_name, username=user.username),
                         tr("Atur ulang"), parent)
        self.ctx = ctx
        self.user = user
        self.passwords = PasswordPair(self.form, self)

    def call(self):
        password = self.passwords.value()
        db, actor, username = self.ctx.office.db, self.ctx.actor, self.user.username
        return lambda: accounts.reset_password(db, actor, username, password)
