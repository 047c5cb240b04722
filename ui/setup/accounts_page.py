"""The wizard's "Petugas" page: accounts for the operators, added one by one to a list.

Each account is checked when it is added (name, full name, password twice); nothing is made
until the wizard's final save (`ui.setup.save`), which makes them with `Office.add_user`.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

from dikjamila.auth.passwords import MIN_LENGTH
from dikjamila.auth.roles import ROLE_LABELS, Role
from dikjamila.i18n import tr
from ui.setup.pages import SetupPage, note
from ui.setup.save import NewAccount

ROLES = (Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)


def username_problem(name: str) -> str:
    """Why `name` cannot be a user name ("" when it can): the rule `Office.add_user` applies."""
    if not name or not name.replace(".", "").replace("_", "").replace("-", "").isalnum() or not name.isascii():
        return tr("Nama pengguna hanya huruf, angka, titik, garis bawah, atau tanda minus (tanpa spasi).")
    return ""


class AccountsPage(SetupPage):
    def __init__(self, admin_username: str, parent=None):
        super().__init__(tr("Akun petugas"), tr("Tambahkan akun untuk setiap petugas yang memakai aplikasi ini. "
                                                "Setiap orang masuk dengan akunnya sendiri."), parent)
        self.admin_username = admin_username
        self.accounts: list[NewAccount] = []
        self.username = QLineEdit(self)
        self.username.setPlaceholderText(tr("mis. sari"))
        self.full_name = QLineEdit(self)
        self.role = QComboBox(self)
        for role in ROLES:
            self.role.addItem(tr(ROLE_LABELS[role]), role.value)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_button = QPushButton(tr("Tambah akun"), self)
        self.add_button.clicked.connect(self.add_account)
        self.remove_button = QPushButton(tr("Hapus dari daftar"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.form.addRow(tr("Nama pengguna"), self.username)
        self.form.addRow(tr("Nama lengkap"), self.full_name)
        self.form.addRow(tr("Peran"), self.role)
        self.form.addRow(tr("Kata sandi (min. {n})", n=MIN_LENGTH), self.password)
        self.form.addRow(tr("Ulangi kata sandi"), self.repeat)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        self.box.addLayout(buttons)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([tr("Nama pengguna"), tr("Nama lengkap"), tr("Peran")])
        header = self.table.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(90)
        self.box.addWidget(self.table, 1)
        self.box.addWidget(note(tr("Boleh dilewati: akun dapat ditambahkan nanti oleh admin."), self))
        self.box.addWidget(self.message)

    def add_account(self) -> bool:
        """Check the fields and put the account on the list; True when added."""
        username = self.username.text().strip().lower()
        full_name = " ".join(self.full_name.text().split())
        if problem := username_problem(username):
            return self.refuse(problem)
        if username == self.admin_username or any(a.username == username for a in self.accounts):
            return self.refuse(tr("Nama pengguna {name} sudah dipakai.", name=username))
        if not full_name:
            return self.refuse(tr("Nama lengkap wajib diisi."))
        if len(self.password.text()) < MIN_LENGTH:
            return self.refuse(tr("Kata sandi minimal {n} karakter.", n=MIN_LENGTH))
        if self.password.text() != self.repeat.text():
            return self.refuse(tr("Kedua kata sandi tidak sama."))
        account = NewAccount(username, full_name, self.role.currentData(), self.password.text())
        self.accounts.append(account)
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate((username, full_name, self.role.currentText())):
            self.table.setItem(row, column, QTableWidgetItem(text))
        for field in (self.username, self.full_name, self.password, self.repeat):
            field.clear()
        self.role.setCurrentIndex(0)
        self.username.setFocus()
        return self.passed()

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
            del self.accounts[row]

    def validatePage(self) -> bool:
        if any(f.text() for f in (self.username, self.full_name, self.password, self.repeat)):
            return self.refuse(tr("Akun yang sedang diisi belum ditambahkan: tekan \"Tambah akun\" atau kosongkan "
                                  "isiannya."))
        return self.passed()
