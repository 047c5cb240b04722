""""Hubungkan WhatsApp": link the office phone (QR code or pairing code), see the link, unlink.

The dialog never talks to the WhatsApp worker: it shows the link rows the PC running the
link writes (state, QR, pairing code) and leaves requests on them ("pair:+62…", "logout")
that that PC carries out — so it works the same on every workstation. Admins and supervisors
may link; unlinking needs the settings permission (the desk checks again); operators may look.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from dikjamila.auth.roles import Permission, Role
from dikjamila.desk.link import LinkInfo
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone
from dikjamila.whatsapp.link_state import LinkState
from dikjamila.whatsapp.link_state import label as link_label
from ui.whatsapp.phone import phone_display
from ui.whatsapp.qr import MIN_SIDE, qr_pixmap
from ui.whatsapp.status import (
    OTHER_TRANSPORTS,
    WaSnapshot,
    WhatsAppStatus,
    account_name,
)

QR_SIDE = 300
STEPS_QR = ("<ol style='margin-left:-20px'>"
            "<li>Di HP kantor, buka <b>WhatsApp</b>.</li>"
            "<li>Ketuk <b>⋮</b> (Android) atau <b>Pengaturan</b> (iPhone), lalu <b>Perangkat tertaut</b>.</li>"
            "<li>Ketuk <b>Tautkan perangkat</b>.</li>"
            "<li>Arahkan kamera HP ke kode di samping ini.</li></ol>"
            "<p style='color:#6b7280'>Kode berganti sendiri setiap ±20 detik; pindai yang sedang tampil.</p>")
STEPS_CODE = ("Di HP kantor: WhatsApp → <b>Perangkat tertaut</b> → <b>Tautkan perangkat</b> → "
              "<b>Tautkan dengan nomor telepon saja</b>, lalu ketik kode ini.")


def pair_code_text(code: str) -> str:
    """"ABCD1234" as WhatsApp shows it: "ABCD-1234"."""
    code = code.strip().upper()
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


class LinkDialog(QDialog):
    """Non-modal; follows the link rows through `status` (the session's, or its own)."""

    def __init__(self, ctx, status: WhatsAppStatus | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Hubungkan WhatsApp"))
        self.status = status or WhatsAppStatus(ctx, self)
        self.can_link = ctx.actor.role in (Role.ADMIN, Role.SUPERVISOR)
        self.can_unlink = ctx.can(Permission.SETTINGS)
        self.snapshot: WaSnapshot | None = None
        self.shown_qr = ""
        self._build()
        self.status.changed.connect(self._on_snapshot)
        if self.status.snapshot is not None:
            self._on_snapshot(self.status.snapshot)
        self.status.refresh()

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.account = QComboBox(self)
        self.account.currentIndexChanged.connect(lambda _i: self._show())
        self.state_label = QLabel(self)
        self.state_label.setTextFormat(Qt.TextFormat.RichText)
        self.state_label.setWordWrap(True)
        top = QHBoxLayout()
        self.account_label = QLabel(tr("Nomor:"), self)
        top.addWidget(self.account_label)
        top.addWidget(self.account)
        top.addWidget(self.state_label, 1)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._link_page())
        self.pages.addWidget(self._connected_page())
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("font-size: 11pt; color: #374151; padding: 24px;")
        self.pages.addWidget(self.message)

        self.host_label = QLabel(self)
        self.host_label.setStyleSheet("color: #6b7280;")
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #b91c1c;")
        self.error_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Tutup"))
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.host_label, 1)
        bottom.addWidget(buttons)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        lay.addWidget(rule)
        lay.addWidget(self.pages, 1)
        lay.addWidget(self.error_label)
        lay.addLayout(bottom)
        self.resize(760, 520)

    def _link_page(self) -> QWidget:
        page = QWidget(self)
        self.qr_label = QLabel(page)
        self.qr_label.setFixedSize(QR_SIDE + 16, QR_SIDE + 16)
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_label.setStyleSheet("background: white; border: 1px solid #d1d5db;")
        steps = QLabel(tr(STEPS_QR), page)
        steps.setWordWrap(True)
        steps.setTextFormat(Qt.TextFormat.RichText)
        steps.setStyleSheet("font-size: 11pt;")
        steps.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.use_code = QPushButton(tr("Pakai kode sambung"), page)
        self.use_code.setCheckable(True)
        self.use_code.setAutoDefault(False)
        self.use_code.setToolTip(tr("Bila kamera HP tidak bisa memindai: tautkan dengan kode 8 huruf"))
        self.use_code.toggled.connect(lambda _on: self._show())
        self.use_code.setEnabled(self.can_link)

        self.pair_box = QFrame(page)
        self.pair_box.setObjectName("pairBox")
        self.pair_box.setStyleSheet("QFrame#pairBox { border: 1px solid #d1d5db; border-radius: 6px; }")
        self.phone = QLineEdit(self.pair_box)
        self.phone.setPlaceholderText(tr("mis. 0811-5000-1234"))
        self.phone.returnPressed.connect(self.request_pair_code)
        self.ask_code = QPushButton(tr("Minta kode"), self.pair_box)
        self.ask_code.setAutoDefault(False)
        self.ask_code.clicked.connect(self.request_pair_code)
        self.phone_error = QLabel(self.pair_box)
        self.phone_error.setStyleSheet("color: #b91c1c;")
        self.phone_error.setWordWrap(True)
        self.pair_code = QLabel(self.pair_box)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(26)
        font.setBold(True)
        self.pair_code.setFont(font)
        self.pair_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pair_hint = QLabel(self.pair_box)
        self.pair_hint.setWordWrap(True)
        self.pair_hint.setTextFormat(Qt.TextFormat.RichText)
        self.phone.setMinimumWidth(190)
        phone_label = QLabel(tr("Nomor WhatsApp HP kantor:"), self.pair_box)
        phone_label.setBuddy(self.phone)
        grid = QGridLayout(self.pair_box)
        grid.addWidget(phone_label, 0, 0, 1, 2)
        grid.addWidget(self.phone, 1, 0)
        grid.addWidget(self.ask_code, 1, 1)
        grid.addWidget(self.phone_error, 2, 0, 1, 2)
        grid.addWidget(self.pair_code, 3, 0, 1, 2, Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(self.pair_hint, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)

        right = QVBoxLayout()
        right.addWidget(steps)
        right.addWidget(self.use_code, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(self.pair_box)
        right.addStretch(1)
        lay = QHBoxLayout(page)
        lay.addWidget(self.qr_label, 0, Qt.AlignmentFlag.AlignTop)
        lay.addSpacing(12)
        lay.addLayout(right, 1)
        return page

    def _connected_page(self) -> QWidget:
        page = QWidget(self)
        self.connected_label = QLabel(page)
        self.connected_label.setStyleSheet("font-size: 15pt; font-weight: bold; color: #166534;")
        self.connected_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(tr("Pesan dan dokumen dikirim dari nomor ini. HP kantor tidak perlu tetap menyala, "
                         "tetapi buka WhatsApp di HP itu paling tidak sekali dua minggu agar tautan tidak putus."), page)
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setStyleSheet("color: #374151;")
        self.unlink = QPushButton(tr("Lepaskan…"), page)
        self.unlink.setAutoDefault(False)
        self.unlink.setStyleSheet("color: #b91c1c;")
        self.unlink.clicked.connect(self.request_unlink)
        self.unlink.setEnabled(self.can_unlink)
        self.unlink.setToolTip(tr("Putuskan tautan HP kantor dari Dik Jamila") if self.can_unlink
                               else tr("Hanya admin yang dapat melepaskan tautan WhatsApp."))
        lay = QVBoxLayout(page)
        lay.addStretch(1)
        lay.addWidget(self.connected_label)
        lay.addWidget(hint)
        lay.addSpacing(12)
        lay.addWidget(self.unlink, 0, Qt.AlignmentFlag.AlignCenter)
        lay.addStretch(2)
        return page

    # -- showing the state ---------------------------------------------------------------------
    def current_account(self) -> str:
        return self.account.currentData() or ""

    def current_link(self) -> LinkInfo | None:
        return self.snapshot.link(self.current_account()) if self.snapshot else None

    def _on_snapshot(self, snapshot: WaSnapshot) -> None:
        if not shiboken6.isValid(self):
            return
        self.snapshot = snapshot
        accounts = list(snapshot.accounts)
        if [self.account.itemData(i) for i in range(self.account.count())] != accounts:
            keep = self.current_account()
            self.account.blockSignals(True)
            self.account.clear()
            for account in accounts:
                self.account.addItem(account_name(account), account)
            self.account.setCurrentIndex(max(0, accounts.index(keep)) if keep in accounts else 0)
            self.account.blockSignals(False)
        several = len(accounts) > 1
        self.account.setVisible(several)
        self.account_label.setVisible(several)
        self._show()

    def _show(self) -> None:
        snap = self.snapshot
        if snap is None:
            self._message(tr("Memeriksa WhatsApp…"))
            return
        if snap.transport != "linked":
            how = tr(OTHER_TRANSPORTS.get(snap.transport, snap.transport))
            self.state_label.setText(tr("Cara kirim: <b>{how}</b>", how=how))
            self._message(tr("Kantor ini mengirim WhatsApp {how}, jadi tidak ada HP yang perlu ditautkan. "
                             "Untuk memakai HP kantor, admin memilih \"Perangkat tertaut\" di Pengaturan.", how=how))
            self.host_label.setText("")
            return
        info = self.current_link()
        state = info.state if info else LinkState.STOPPED
        detail = f" — {info.detail}" if info and info.detail else ""
        colour = {"connected": "#166534", "banned": "#b91c1c", "stopped": "#b91c1c"}.get(state, "#92400e")
        self.state_label.setText(tr("Status: <b style='color:{colour}'>{label}</b>{detail}", colour=colour,
                                    label=link_label(state), detail=detail))
        self.host_label.setText(tr("Penghubung berjalan di PC {host}", host=info.host) if info and info.host else "")
        if state == LinkState.CONNECTED:
            phone = info.phone if info else ""
            self.connected_label.setText(tr("✓ Terhubung sebagai {phone}", phone=phone_display(phone)))
            self.pages.setCurrentIndex(1)
        elif state in (LinkState.NEED_LINK, LinkState.LOGGED_OUT):
            self._show_link(info)
        elif state == LinkState.BANNED:
            self._message(tr("WhatsApp memblokir nomor ini untuk sementara{detail}. Pengiriman berhenti sendiri; "
                             "jangan tautkan ulang atau kirim dari HP itu dulu. Coba lagi setelah masa blokir "
                             "selesai.", detail=detail))
        elif state in (LinkState.STARTING, LinkState.RECONNECTING):
            self._message(tr("Menyambung ke WhatsApp… ({label}). Tunggu sebentar; kode QR muncul di sini bila "
                             "HP kantor perlu ditautkan.", label=link_label(state)))
        else:
            self._message(tr("Penghubung WhatsApp tidak berjalan. Ia berjalan di PC WhatsApp kantor: buka Dik "
                             "Jamila di PC itu (atau jalankan `dikjamila whatsapp run`)."))

    def _show_link(self, info: LinkInfo | None) -> None:
        self.pages.setCurrentIndex(0)
        qr = info.qr if info else ""
        if qr and qr != self.shown_qr:
            self.qr_label.setPixmap(qr_pixmap(qr, max(MIN_SIDE, QR_SIDE)))
        elif not qr:
            self.qr_label.setText(tr("Menunggu kode QR…"))  # also drops the old pixmap
        self.shown_qr = qr
        code = info.pair_code if info else ""
        pending = bool(info and info.pending_command.startswith("pair:"))
        self.pair_box.setVisible(self.use_code.isChecked() or bool(code))
        self.pair_code.setText(pair_code_text(code) if code else "")
        self.pair_code.setVisible(bool(code))
        if code:
            self.pair_hint.setText(tr(STEPS_CODE))
        elif pending:
            self.pair_hint.setText(tr("Meminta kode sambung dari WhatsApp…"))
        else:
            self.pair_hint.setText(tr("Tulis nomor WhatsApp HP kantor, lalu tekan Minta kode."))
        for widget in (self.phone, self.ask_code):
            widget.setEnabled(self.can_link)

    def _message(self, text: str) -> None:
        self.message.setText(text)
        self.pages.setCurrentIndex(2)

    def qr_shown(self) -> bool:
        pixmap = self.qr_label.pixmap()
        return self.pages.currentIndex() == 0 and pixmap is not None and not pixmap.isNull()

    # -- requests ---------------------------------------------------------------------------------
    def request_pair_code(self) -> None:
        """Check the office number, then ask the link's PC for a pairing code."""
        if not self.can_link:
            return
        try:
            number = normalize_phone(self.phone.text())
        except InvalidInput as exc:
            self.phone_error.setText(exc.message)
            return
        self.phone_error.setText("")
        self.phone.setText(number.display)
        desk, account = self.ctx.desk, self.current_account()
        self.ask_code.setEnabled(False)
        self.pair_hint.setText(tr("Meminta kode sambung dari WhatsApp…"))
        self.ctx.submit(lambda: desk.request_link_command(account, "pair:" + number.e164),
                        self._guard(self._requested), self._guard(self._request_failed),
                        label=tr("Meminta kode sambung…"))

    def request_unlink(self) -> None:
        """Ask first; then leave "logout" for the PC running the link."""
        if not self.can_unlink:
            return
        info = self.current_link()
        phone = phone_display(info.phone) if info and info.phone else account_name(self.current_account())
        if not self.confirm_unlink(phone):
            return
        desk, account = self.ctx.desk, self.current_account()
        self.unlink.setEnabled(False)
        self.ctx.submit(lambda: desk.request_link_command(account, "logout"), self._guard(self._requested),
                        self._guard(self._request_failed), label=tr("Melepaskan WhatsApp…"))

    def confirm_unlink(self, phone: str) -> bool:
        """The question before unlinking (default No)."""
        answer = QMessageBox.question(
            self, tr("Lepaskan WhatsApp"),
            tr("Lepaskan WhatsApp {phone} dari Dik Jamila?\n\nPesan dan dokumen tidak akan terkirim sampai HP "
               "kantor ditautkan lagi dengan memindai kode QR.", phone=phone),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _requested(self, _result) -> None:
        self.error_label.setText("")
        self.ask_code.setEnabled(self.can_link)
        self.unlink.setEnabled(self.can_unlink)
        self.ctx.changes.poll_now()

    def _request_failed(self, message: str) -> None:
        self._requested(None)
        self.error_label.setText(message)

    def _guard(self, callback):
        def run(*args):
            if shiboken6.isValid(self):
                callback(*args)
        return run
