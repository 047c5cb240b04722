"""The main window's WhatsApp parts: the menu, the status light and the other status-bar items.

The light says how the office number is linked ("WhatsApp: terhubung", or the worst of several
numbers, all of them in its tooltip) or how messages go out ("WhatsApp: lewat folder"); a
click opens the link dialog. Beside it: "Pengiriman dijeda" while sending is paused, and the
number of unhandled incoming messages (a click opens their list).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QToolButton, QWidget

from dikjamila.auth.roles import Permission
from dikjamila.i18n import tr
from ui.whatsapp.status import Summary, WaSnapshot, WhatsAppStatus, summarize

LIGHT_COLOURS = {"ok": "#16a34a", "info": "#2563eb", "warning": "#d97706", "error": "#dc2626"}


class WhatsAppParts(QObject):
    """Owned by the main window: builds the "WhatsApp" menu and the status-bar items."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.ctx = ctx = window.ctx  # type: ignore[attr-defined]
        self.status = WhatsAppStatus(ctx, self)
        self.summary: Summary | None = None
        self._windows: dict[str, QWidget] = {}
        self._build_status_bar()
        self._build_menu()
        self.status.changed.connect(self._on_snapshot)
        ctx.bus.settings_changed.connect(self._on_settings_changed)

    def _build_status_bar(self) -> None:
        bar = self.window.statusBar()
        self.light = QToolButton(self.window)
        self.light.setAutoRaise(True)
        self.light.setObjectName("whatsappLight")
        self.light.setText(tr("WhatsApp: …"))
        self.light.setCursor(Qt.CursorShape.PointingHandCursor)
        self.light.clicked.connect(self.open_link_dialog)
        self.paused = QLabel(tr("Pengiriman dijeda"), self.window)
        self.paused.setStyleSheet("color: #92400e; background: #fef3c7; border-radius: 3px; padding: 1px 6px;")
        self.paused.setToolTip(tr("Tidak ada pesan WhatsApp yang dikirim sampai jeda dimatikan di Antrean kirim."))
        self.paused.hide()
        self.unhandled = QToolButton(self.window)
        self.unhandled.setAutoRaise(True)
        self.unhandled.setStyleSheet("color: #1d4ed8;")
        self.unhandled.setCursor(Qt.CursorShape.PointingHandCursor)
        self.unhandled.clicked.connect(self.open_unhandled)
        self.unhandled.hide()
        bar.addPermanentWidget(self.unhandled)
        bar.addPermanentWidget(self.paused)
        bar.addPermanentWidget(self.light)

    def _build_menu(self) -> None:
        menu = self.window.menuBar().addMenu(tr("&WhatsApp"))
        self.menu = menu
        self.link_action = QAction(tr("Hubungkan WhatsApp…"), self.window)
        self.link_action.triggered.connect(self.open_link_dialog)
        self.outbox_action = QAction(tr("Antrean kirim"), self.window)
        self.outbox_action.triggered.connect(self.open_outbox)
        self.unhandled_action = QAction(tr("Pesan masuk belum ditangani"), self.window)
        self.unhandled_action.triggered.connect(self.open_unhandled)
        for action in (self.link_action, self.outbox_action, self.unhandled_action):
            menu.addAction(action)
        self.unhandled_action.setEnabled(self.ctx.can(Permission.VIEW_INBOX))

    # -- life -----------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the link service when this PC runs it (a failure is said, not raised), then read."""
        message = self.ctx.start_link_service()
        if message:
            self.window.statusBar().showMessage(message, 30000)
        self.status.refresh()

    def _on_settings_changed(self) -> None:
        """Another transport, other numbers or another WhatsApp PC: the link here follows."""
        self.ctx.link.follow_settings(lambda message: self.window.statusBar().showMessage(message, 30000))

    def start_soon(self) -> None:
        """Start after the window has shown (never before the first paint)."""
        QTimer.singleShot(0, self, self.start)

    def _on_snapshot(self, snap: WaSnapshot) -> None:
        if not shiboken6.isValid(self.light):
            return
        self.summary = summary = summarize(snap.transport, snap.accounts, snap.links)
        colour = LIGHT_COLOURS.get(summary.level, "#6b7280")
        self.light.setText(f"● {summary.text}")
        self.light.setStyleSheet(f"QToolButton#whatsappLight {{ color: {colour}; font-weight: 600; }}")
        self.light.setToolTip(summary.tooltip)
        self.paused.setVisible(snap.paused)
        count = snap.unhandled or 0
        self.unhandled.setText(tr("{n} pesan belum ditangani", n=count))
        self.unhandled.setVisible(count > 0)
        self.unhandled_action.setText(tr("Pesan masuk belum ditangani ({n})", n=count) if count
                                      else tr("Pesan masuk belum ditangani"))

    def light_text(self) -> str:
        """The status light's words (without the dot)."""
        return self.summary.text if self.summary else ""

    # -- windows -----------------------------------------------------------------------------------
    def open_link_dialog(self):
        from ui.whatsapp.link_dialog import LinkDialog

        return self._open("link", lambda: LinkDialog(self.ctx, self.status, self.window))

    def open_outbox(self):
        from ui.whatsapp.outbox_panel import OutboxPanel

        return self._open("outbox", lambda: OutboxPanel(self.ctx, self.window))

    def open_unhandled(self):
        from ui.whatsapp.unhandled_panel import UnhandledPanel

        intake = getattr(self.window, "intake", None)
        if intake is not None:  # the main window docks the list below the inbox
            return intake.show_unhandled()

        def make():
            panel = UnhandledPanel(self.ctx, self.window)
            panel.request_created.connect(self.window.open_request)
            return panel

        return self._open("unhandled", make)

    def _open(self, name: str, make):
        """Show the one window of `name` (made on first use), in front."""
        widget = self._windows.get(name)
        if widget is None or not shiboken6.isValid(widget):
            widget = make()
            widget.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._windows[name] = widget
        widget.show()
        widget.raise_()
        widget.activateWindow()
        return widget
