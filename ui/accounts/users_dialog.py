"""Pengguna (admin only): every account with its role and whether it may sign in; add one,
reset a password, deactivate someone who left (after a confirmation) or bring them back.

The list and every change run on the database worker; a refusal (the last admin, oneself, a
password too short) is shown in the dialog and changes nothing. After a deactivation the
admin is told how many requests went back to the queue. The forms and the confirmation are
window-modal and opened with `open()`: `form` and `confirmation` hold the one showing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dikjamila.auth import accounts
from dikjamila.auth.roles import ROLE_LABELS, Permission
from dikjamila.changes import ChangeKind, ChangeSet
from dikjamila.desk import UserInfo
from dikjamila.i18n import tr
from ui.accounts.user_forms import AddUserForm, ResetPasswordForm

COLUMNS = ("Nama lengkap", "Nama pengguna", "Peran", "Status")
_GREY = "#6b7280"


class UsersDialog(QDialog):
    """Signal `changed()` after each change made here (the list reloads by itself)."""

    changed = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        if not ctx.can(Permission.MANAGE_USERS):
            raise PermissionError("managing users is for admins")
        self.ctx = ctx
        self.users: list[UserInfo] = []
        self.form: QDialog | None = None
        self.confirmation: QMessageBox | None = None
        self.setWindowTitle(tr("Pengguna"))
        self.setMinimumSize(700, 420)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):  # a handful of rows: sized to their text and header
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add = QPushButton(tr("Tambah pengguna…"), self)
        self.reset = QPushButton(tr("Atur ulang kata sandi…"), self)
        self.toggle = QPushButton(tr("Nonaktifkan…"), self)
        self.close_button = QPushButton(tr("Tutup"), self)
        self.add.clicked.connect(self.open_add)
        self.reset.clicked.connect(self.open_reset)
        self.toggle.clicked.connect(self.ask_toggle)
        self.close_button.clicked.connect(self.accept)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        note = QLabel(tr("Akun tidak pernah dihapus: pengguna yang dinonaktifkan tidak bisa masuk lagi, "
                         "tetapi namanya tetap tercatat pada riwayat permohonan yang pernah ditanganinya."), self)
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {_GREY};")
        row = QHBoxLayout()
        for button in (self.add, self.reset, self.toggle):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addLayout(row)
        ctx.bus.data_changed.connect(self._on_data_changed)
        self._update_buttons()
        self.refresh()

    # -- the list ---------------------------------------------------------------------------
    def refresh(self, select: str = "") -> None:
        db, actor = self.ctx.office.db, self.ctx.actor
        current = self.selected()
        keep = select or (current.username if current else "")
        self.ctx.submit(lambda: accounts.list_users(db, actor), lambda users: self._show(users, keep),
                        self._error, label=tr("Memuat daftar pengguna…"))

    def _show(self, users: list[UserInfo], select: str) -> None:
        self.users = list(users)
        self.table.setRowCount(len(self.users))
        for row, u in enumerate(self.users):
            texts = (u.full_name, u.username, tr(_role_label(u.role)),
                     tr("Aktif") if u.active else tr("Nonaktif"))
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if not u.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, col, item)
        self.select(select)
        self._update_buttons()

    def select(self, username: str) -> None:
        for row, u in enumerate(self.users):
            if u.username == username:
                self.table.selectRow(row)
                return

    def selected(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows and rows[0].row() < len(self.users) else None

    def _update_buttons(self) -> None:
        user = self.selected()
        self.reset.setEnabled(user is not None)
        self.toggle.setEnabled(user is not None and user.id != self.ctx.actor.id)
        self.toggle.setText(tr("Aktifkan lagi…") if user is not None and not user.active else tr("Nonaktifkan…"))
        self.toggle.setToolTip(tr("Anda tidak dapat menonaktifkan akun Anda sendiri.")
                               if user is not None and user.id == self.ctx.actor.id else "")

    def _on_data_changed(self, changes: ChangeSet) -> None:
        if self.isVisible() and changes.touches(ChangeKind.USER):
            self.refresh()

    # -- actions ----------------------------------------------------------------------------
    def open_add(self) -> AddUserForm:
        form = AddUserForm(self.ctx, self)
        form.accepted.connect(lambda: self._after(tr("Pengguna {name} ditambahkan.", name=form.result_value.username),
                                                  form.result_value.username))
        return self._open_form(form)

    def open_reset(self) -> ResetPasswordForm | None:
        user = self.selected()
        if user is None:
            return None
        form = ResetPasswordForm(self.ctx, user, self)
        form.accepted.connect(lambda: self._after(tr(
            "Kata sandi {name} diatur ulang; kata sandi lamanya tidak berlaku lagi.", name=user.username),
            user.username))
        return self._open_form(form)

    def _open_form(self, form):
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form = form
        form.open()
        return form

    def ask_toggle(self) -> QMessageBox | None:
        """Ask before deactivating (or reactivating) the selected user; "Ya" does it."""
        user = self.selected()
        if user is None:
            return None
        if user.active:
            text = tr("Nonaktifkan akun {name} ({username})?\n\nIa tidak bisa masuk lagi sampai diaktifkan "
                      "kembali. Permohonan dan pengaduan yang masih dipegangnya dikembalikan ke antrean. "
                      "Namanya tetap tercatat pada riwayat.", name=user.full_name, username=user.username)
        else:
            text = tr("Aktifkan lagi akun {name} ({username})? Ia dapat masuk dengan kata sandinya.",
                      name=user.full_name, username=user.username)
        box = QMessageBox(QMessageBox.Icon.Question, tr("Pengguna"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText(tr("Nonaktifkan") if user.active else tr("Aktifkan"))
        box.button(QMessageBox.StandardButton.No).setText(tr("Batal"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self._confirmed(box, button, user))
        self.confirmation = box
        box.open()
        return box

    def _confirmed(self, box: QMessageBox, button, user: UserInfo) -> None:
        if box.standardButton(button) == QMessageBox.StandardButton.Yes:
            self._toggle(user)

    def _toggle(self, user: UserInfo) -> None:
        db, actor, username = self.ctx.office.db, self.ctx.actor, user.username
        if user.active:
            self.ctx.submit(lambda: accounts.deactivate(db, actor, username), self._deactivated, self._error,
                            label=tr("Menonaktifkan {name}…", name=username))
        else:
            self.ctx.submit(lambda: accounts.activate(db, actor, username),
                            lambda u: self._after(tr("Akun {name} aktif lagi.", name=u.username), u.username),
                            self._error, label=tr("Mengaktifkan {name}…", name=username))

    def _deactivated(self, done: accounts.Deactivation) -> None:
        text = tr("Akun {name} dinonaktifkan.", name=done.user.username) + " "
        if done.released_requests:
            text += tr("{n} permohonan yang dipegangnya dikembalikan ke antrean: {numbers}.",
                       n=len(done.released_requests), numbers=", ".join(done.released_requests))
        else:
            text += tr("Tidak ada permohonan yang sedang dipegangnya.")
        if done.released_complaints:
            text += " " + tr("{n} pengaduan yang dipegangnya dikembalikan ke antrean.",
                             n=len(done.released_complaints))
        self._after(text, done.user.username)

    def _after(self, text: str, username: str) -> None:
        self.message.setStyleSheet("color: #166534;")
        self.message.setText(text)
        self.ctx.changes.poll_now()  # other views (an open request's holder) follow at once
        self.refresh(username)
        self.changed.emit()

    def _error(self, message: str) -> None:
        self.message.setStyleSheet("color: #b91c1c;")
        self.message.setText(message)


def _role_label(role: str) -> str:
    return next((label for code, label in ROLE_LABELS.items() if code == role), role)
