"""The workstation window: the inbox tab plus one tab per opened request, and the WhatsApp
menu and status light (`ui.whatsapp.window_parts`); on the PC that runs the WhatsApp link,
the window starts it once shown and the session stops it at close."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
)

from dikjamila.auth.roles import ROLE_LABELS, Permission
from dikjamila.i18n import tr
from ui.accounts.window_parts import AccountParts
from ui.busy_dots import BusyDots
from ui.context import AppContext
from ui.inbox.panel import InboxPanel
from ui.intake.window_parts import IntakeParts
from ui.supervision.window_parts import SupervisionParts
from ui.whatsapp.window_parts import WhatsAppParts


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._show_office_name()
        self.resize(1366, 740)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.inbox = InboxPanel(ctx, self)
        self.tabs.addTab(self.inbox, tr("Kotak Masuk"))
        self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.setCentralWidget(self.tabs)
        self.inbox.open_request.connect(self.open_request)
        self._build_status_bar()
        self.intake = IntakeParts(self)
        self.accounts = AccountParts(self)  # Berkas → Pengguna / Ganti kata sandi, and the idle lock
        self._build_menus()
        ctx.worker.busy_changed.connect(self._on_busy)
        ctx.worker.error.connect(self.show_error)
        ctx.worker.offline_changed.connect(self.offline_label.setVisible)
        ctx.bus.settings_changed.connect(self._show_office_name)
        ctx.changes.start()
        self.whatsapp.start_soon()
        QTimer.singleShot(0, self, self.intake.start)

    def _show_office_name(self) -> None:
        self.setWindowTitle(tr("Dik Jamila — {office}", office=self.ctx.office.settings.office_name))

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.busy = BusyDots(self)
        self.busy_label = QLabel("", self)
        who = self.ctx.actor
        self.user_label = QLabel(tr("{name} ({role})", name=who.full_name,
                                    role=ROLE_LABELS.get(who.role, who.role)), self)
        bar.addWidget(self.busy_label)
        bar.addWidget(self.busy)
        self.offline_label = QLabel(tr("⚠ Basis data tidak terjangkau — mencoba lagi…"), self)
        self.offline_label.setStyleSheet("color: #b91c1c; font-weight: bold;")
        self.offline_label.setToolTip(tr(
            "Jaringan atau server basis data terputus. Isian yang sedang diketik tetap di layar; "
            "simpan lagi setelah tersambung. Pesan WhatsApp menunggu di antrean."))
        self.offline_label.setVisible(False)
        bar.addPermanentWidget(self.offline_label)
        bar.addPermanentWidget(self.user_label)

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(tr("&Berkas"))
        if self.ctx.can(Permission.SETTINGS):
            settings = QAction(tr("Pengaturan…"), self)
            settings.triggered.connect(self.open_settings)
            menu.addAction(settings)
            setup = QAction(tr("Persiapan kantor…"), self)
            setup.triggered.connect(self.open_setup_wizard)
            menu.addAction(setup)
        self.accounts.add_actions(menu)
        menu.addSeparator()
        view_menu = QMenu(tr("&Tampilan"), self)
        self.intake.add_actions(menu, view_menu)
        close_tab = QAction(tr("Tutup tab"), self, shortcut=QKeySequence.StandardKey.Close)
        close_tab.triggered.connect(lambda: self.close_tab(self.tabs.currentIndex()))
        menu.addAction(close_tab)
        quit_action = QAction(tr("Keluar"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        self.whatsapp = WhatsAppParts(self)
        self.supervision = SupervisionParts(self)
        self.menuBar().addMenu(view_menu)
        help_menu = self.menuBar().addMenu(tr("Ban&tuan"))
        from ui.help_viewer import add_help_actions

        add_help_actions(self, help_menu)  # «Panduan» (F1): the operator's and the admin's guide
        about = QAction(tr("Tentang Dik Jamila"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    # -- request tabs -------------------------------------------------------------------
    def open_request(self, request_id: int) -> None:
        for i in range(1, self.tabs.count()):
            if getattr(self.tabs.widget(i), "request_id", None) == request_id:
                self.tabs.setCurrentIndex(i)
                return
        from ui.editor.request_editor import RequestEditor

        editor = RequestEditor(self.ctx, request_id, self.tabs)
        editor.open_number_requested.connect(self.open_number)
        index = self.tabs.addTab(editor, tr("Permohonan…"))
        editor.title_changed.connect(lambda title, e=editor: self._retitle(e, title))
        self.tabs.setCurrentIndex(index)

    def open_number(self, number: str) -> None:
        """Open a request named by its number (a link in another request)."""
        self.ctx.submit(lambda: self.ctx.desk.find_number(number), self.open_request, self.show_error,
                        label=tr("Membuka {number}…", number=number))

    def editor(self, request_id: int):
        for i in range(1, self.tabs.count()):
            if getattr(self.tabs.widget(i), "request_id", None) == request_id:
                return self.tabs.widget(i)
        return None

    def _retitle(self, editor, title: str) -> None:
        index = self.tabs.indexOf(editor)
        if index > 0:
            self.tabs.setTabText(index, title)

    def close_tab(self, index: int) -> bool:
        """Close a request tab; unsaved edits are only thrown away when the operator says so."""
        if index <= 0:
            return False
        widget = self.tabs.widget(index)
        if getattr(widget, "has_unsaved_changes", lambda: False)() and not self.confirm_discard(
                self.tabs.tabText(index)):
            return False
        self.tabs.removeTab(index)
        widget.deleteLater()
        return True

    def confirm_discard(self, title: str) -> bool:
        """Ask before unsaved edits are lost (a small method tests replace)."""
        answer = QMessageBox.question(
            self, tr("Perubahan belum disimpan"),
            tr("{title} punya perubahan yang belum disimpan. Tutup tanpa menyimpan?", title=title),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    # -- feedback -----------------------------------------------------------------------
    def _on_busy(self, on: bool, label: str) -> None:
        if on:
            self.busy.start()
        else:
            self.busy.stop()
        self.busy_label.setText(label if on else "")
        if on:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)
        QMessageBox.warning(self, tr("Dik Jamila"), message)

    def open_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        SettingsDialog(self.ctx, self).exec()

    def open_setup_wizard(self) -> None:
        """The first-run wizard again (admin): office, prefix, WhatsApp, operators, folders."""
        from ui.setup_wizard import open_setup_wizard

        open_setup_wizard(self.ctx, self, connect_whatsapp=self.whatsapp.open_link_dialog)

    def _about(self) -> None:
        """Open the About box; its facts (the schema revision is a query) are read on the worker."""
        from ui.about_dialog import gather_facts

        summary = self.whatsapp.summary
        self.ctx.submit(lambda: gather_facts(self.ctx.office, summary), self._show_about, self.show_error,
                        label=tr("Membaca keterangan program…"))

    def _show_about(self, facts) -> None:
        from ui.about_dialog import AboutDialog

        self.about_dialog = AboutDialog(facts, self)
        self.about_dialog.open()

    def closeEvent(self, event) -> None:
        for index in range(self.tabs.count() - 1, 0, -1):
            if not self.close_tab(index):
                event.ignore()
                return
        self.ctx.close()
        super().closeEvent(event)
