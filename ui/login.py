"""Sign-in and first-run dialogs. The password check runs on the worker (argon2 is slow on purpose)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from ui.worker import DbWorker
from ui.worker_form import WorkerForm


class _SignInForm(WorkerForm):
    """A form whose work signs a user in: `actor` holds the signed-in user after accept()."""

    def __init__(self, office, worker: DbWorker, title: str, intro: str, ok_text: str, busy_label: str,
                 parent=None):
        super().__init__(worker.submit, title, intro, ok_text, parent, busy_label=busy_label)
        self.office, self.worker = office, worker

    @property
    def actor(self):
        return self.result_value

    @actor.setter
    def actor(self, actor) -> None:
        self.result_value = actor


class LoginDialog(_SignInForm):
    """Asks for user name and password; `actor` holds the signed-in user after accept()."""

    def __init__(self, office, worker: DbWorker, *, hint: str = "", parent=None):
        super().__init__(office, worker, tr("Masuk — Dik Jamila"),
                         tr("Masuk dengan akun petugas Anda.") + (f"\n{hint}" if hint else ""),
                         tr("Masuk"), tr("Memeriksa kata sandi…"), parent)
        self.username = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(tr("Nama pengguna"), self.username)
        self.form.addRow(tr("Kata sandi"), self.password)

    def try_login(self) -> None:
        """What pressing Masuk does."""
        self.submit()

    def call(self):
        username, password = self.username.text(), self.password.text()
        if not username or not password:
            raise InvalidInput(tr("Isi nama pengguna dan kata sandi."))
        office = self.office
        return lambda: office.login(username, password)


class FirstRunDialog(_SignInForm):
    """A new office has no users: create the admin account (there is no default password)."""

    def __init__(self, office, worker: DbWorker, parent=None):
        super().__init__(office, worker, tr("Kantor baru — buat akun admin"),
                         tr("Belum ada pengguna di kantor ini. Buat akun admin pertama; admin nanti "
                            "menambahkan akun petugas lain."),
                         tr("Buat akun"), tr("Membuat akun…"), parent)
        self.full_name = QLineEdit(self)
        self.username = QLineEdit("admin", self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(tr("Nama lengkap"), self.full_name)
        self.form.addRow(tr("Nama pengguna"), self.username)
        self.form.addRow(tr("Kata sandi (min. 8)"), self.password)
        self.form.addRow(tr("Ulangi kata sandi"), self.repeat)

    def create(self) -> None:
        """What pressing Buat akun does."""
        self.submit()

    def call(self):
        if self.password.text() != self.repeat.text():
            raise InvalidInput(tr("Kedua kata sandi tidak sama."))
        office = self.office
        values = {"username": self.username.text(), "full_name": self.full_name.text(), "role": "admin",
                  "password": self.password.text()}

        def work():
            office.add_user(None, **values)
            return office.login(values["username"], values["password"])

        return work
