"""Sign-in and first-run dialogs. The password check runs on the worker (argon2 is slow on purpose)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
)

from dikjamila.i18n import tr
from ui.worker import DbWorker


class _Form(QDialog):
    def __init__(self, title: str, intro: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.form = QFormLayout()
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b91c1c;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _busy(self, on: bool) -> None:
        self.buttons.setEnabled(not on)
        self.setCursor(Qt.CursorShape.WaitCursor if on else Qt.CursorShape.ArrowCursor)

    def _fail(self, message: str) -> None:
        self._busy(False)
        self.message.setText(message)


class LoginDialog(_Form):
    """Asks for user name and password; `actor` holds the signed-in user after accept()."""

    def __init__(self, office, worker: DbWorker, *, hint: str = "", parent=None):
        super().__init__(tr("Masuk — Dik Jamila"), tr("Masuk dengan akun petugas Anda.") + (f"\n{hint}" if hint else ""),
                         parent)
        self.office, self.worker, self.actor = office, worker, None
        self.username = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(tr("Nama pengguna"), self.username)
        self.form.addRow(tr("Kata sandi"), self.password)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Masuk"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal"))
        self.buttons.accepted.connect(self.try_login)

    def try_login(self) -> None:
        username, password = self.username.text(), self.password.text()
        if not username or not password:
            self.message.setText(tr("Isi nama pengguna dan kata sandi."))
            return
        self._busy(True)
        self.worker.submit(lambda: self.office.login(username, password), self._signed_in, self._fail,
                           label=tr("Memeriksa kata sandi…"))

    def _signed_in(self, actor) -> None:
        self._busy(False)
        self.actor = actor
        self.accept()


class FirstRunDialog(_Form):
    """A new office has no users: create the admin account (there is no default password)."""

    def __init__(self, office, worker: DbWorker, parent=None):
        super().__init__(tr("Kantor baru — buat akun admin"),
                         tr("Belum ada pengguna di kantor ini. Buat akun admin pertama; admin nanti "
                            "menambahkan akun petugas lain."), parent)
        self.office, self.worker, self.actor = office, worker, None
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
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Buat akun"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal"))
        self.buttons.accepted.connect(self.create)

    def create(self) -> None:
        if self.password.text() != self.repeat.text():
            self.message.setText(tr("Kedua kata sandi tidak sama."))
            return
        values = dict(username=self.username.text(), full_name=self.full_name.text(), role="admin",
                      password=self.password.text())

        def work():
            self.office.add_user(None, **values)
            return self.office.login(values["username"], values["password"])

        self._busy(True)
        self.worker.submit(work, self._created, self._fail, label=tr("Membuat akun…"))

    def _created(self, actor) -> None:
        self._busy(False)
        self.actor = actor
        self.accept()
