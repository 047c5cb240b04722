"""Intake in the main window: "Impor chat WhatsApp…" (menu, Ctrl+I, or a .zip/.txt dropped on
the inbox), and two panels docked below the inbox, each with its count in its title and in
the status bar — "Pesan masuk belum ditangani" and "Berkas belum ditempatkan" (files found
in the watched folders). The watched folders are followed while the window is open."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolButton

from dikjamila.auth.roles import Permission
from dikjamila.i18n import tr
from ui.intake.import_drop import install_export_drop
from ui.intake.import_job import ChatImporter
from ui.intake.tray_panel import TrayPanel
from ui.whatsapp.unhandled_panel import UnhandledPanel

DOCK_HEIGHT = 250
DOCK_AREAS = Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea


class IntakeParts(QObject):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.ctx = ctx = window.ctx
        self.importer = ChatImporter(ctx, window)
        self.importer.open_request.connect(window.open_request)
        if ctx.can(Permission.CREATE_REQUEST):
            install_export_drop(window.inbox, self.importer.start,
                                lambda message: window.statusBar().showMessage(message, 15000))
        self.unhandled_panel = UnhandledPanel(ctx, window)
        self.unhandled_panel.setWindowFlags(Qt.WindowType.Widget)
        self.unhandled_panel.setMinimumSize(0, 0)
        self.unhandled_panel.close_button.hide()
        # Docked below the inbox: compact (the note becomes the dock's tooltip, the reply box 2 lines).
        panel = self.unhandled_panel
        panel.note.hide()
        panel.setToolTip(panel.note.text())
        panel.reply.setFixedHeight(panel.reply.fontMetrics().lineSpacing() * 2 + 14)
        panel.text.setMinimumHeight(36)
        self.unhandled_panel.request_created.connect(window.open_request)
        self._sized = False
        self.unhandled_dock = self._dock("unhandledDock", tr("Pesan masuk belum ditangani"), self.unhandled_panel)
        self.tray_panel = TrayPanel(ctx, window)
        self.tray_dock = self._dock("trayDock", tr("Berkas belum ditempatkan"), self.tray_panel)
        window.tabifyDockWidget(self.unhandled_dock, self.tray_dock)
        self.tray_button = QToolButton(window)
        self.tray_button.setAutoRaise(True)
        self.tray_button.setStyleSheet("color: #1d4ed8;")
        self.tray_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.tray_button.clicked.connect(self.show_tray)
        self.tray_button.hide()
        window.statusBar().addPermanentWidget(self.tray_button)
        self.tray_panel.count_changed.connect(self.set_tray_count)
        self.unhandled_panel.count_changed.connect(self.set_unhandled_count)
        ctx.bus.settings_changed.connect(self._follow_settings)

    def _dock(self, name: str, title: str, widget) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setAllowedAreas(DOCK_AREAS)
        dock.setWidget(widget)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.hide()
        return dock

    def add_actions(self, file_menu, view_menu) -> None:
        if self.ctx.can(Permission.CREATE_REQUEST):
            self.import_action = QAction(tr("Impor chat WhatsApp…"), self.window, shortcut=QKeySequence("Ctrl+I"))
            self.import_action.triggered.connect(self.importer.choose_and_import)
            file_menu.addAction(self.import_action)
        for dock in (self.unhandled_dock, self.tray_dock):
            view_menu.addAction(dock.toggleViewAction())

    def start(self) -> None:
        """Follow the watched folders (after the window has shown)."""
        if self.ctx.watch is not None:
            self.ctx.watch.start()

    def _follow_settings(self) -> None:
        """Other folders chosen in Pengaturan: the watchers follow (joining threads: off the GUI thread)."""
        watch = self.ctx.watch
        if watch is not None:
            self.ctx.executor.start(lambda _state: watch.follow_settings(), label=tr("Memperbarui folder pantauan…"))

    # -- counts ------------------------------------------------------------------------------
    def set_unhandled_count(self, n: int) -> None:
        if shiboken6.isValid(self.unhandled_dock):
            self.unhandled_dock.setWindowTitle(tr("Pesan masuk belum ditangani ({n})", n=n) if n
                                               else tr("Pesan masuk belum ditangani"))

    def set_tray_count(self, n: int) -> None:
        if not shiboken6.isValid(self.tray_dock):
            return
        self.tray_dock.setWindowTitle(tr("Berkas belum ditempatkan ({n})", n=n) if n
                                      else tr("Berkas belum ditempatkan"))
        self.tray_button.setText(tr("{n} berkas belum ditempatkan", n=n))
        self.tray_button.setVisible(n > 0)

    # -- showing -------------------------------------------------------------------------------
    def show_unhandled(self) -> UnhandledPanel:
        self._raise(self.unhandled_dock)
        return self.unhandled_panel

    def show_tray(self) -> TrayPanel:
        self._raise(self.tray_dock)
        return self.tray_panel

    def _raise(self, dock: QDockWidget) -> None:
        first = dock.isHidden() and not self._sized
        dock.show()
        dock.raise_()
        if first:  # a third of a 768-pixel screen: the inbox or the request above stays usable
            self._sized = True
            self.window.resizeDocks([dock], [DOCK_HEIGHT], Qt.Orientation.Vertical)
