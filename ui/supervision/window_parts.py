"""The "Supervisi" menu of the main window: what each role may use of it.

"Dasbor layanan…" for who may see reports, "Pengaduan…" for who may record complaints
(operators too: they take complaints at the desk), "Periksa jejak audit…" for who may check
the audit. The menu is made only when at least one entry is allowed. The dashboard and the
complaints window are one window each per session: opening again brings it to the front.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QWidget

from dikjamila.auth.roles import Permission
from dikjamila.i18n import tr


class SupervisionParts(QObject):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.ctx = ctx = window.ctx
        self.menu = None
        self.dashboard = None
        self.complaints = None
        entries = [(Permission.REPORTS, "dashboard_action", tr("Dasbor layanan…"), self.open_dashboard),
                   (Permission.RECORD_COMPLAINT, "complaints_action", tr("Pengaduan…"), self.open_complaints),
                   (Permission.AUDIT, "audit_action", tr("Periksa jejak audit…"), self.open_audit_check)]
        allowed = [entry for entry in entries if ctx.can(entry[0])]
        if not allowed:
            return
        self.menu = window.menuBar().addMenu(tr("&Supervisi"))
        for _permission, name, text, slot in allowed:
            action = QAction(text, window)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            setattr(self, name, action)
            self.menu.addAction(action)

    def open_dashboard(self):
        from ui.supervision.dashboard import ServiceDashboard

        self.dashboard = self._raise_or_make(self.dashboard, lambda: ServiceDashboard(self.ctx, self.window))
        return self.dashboard

    def open_complaints(self):
        from ui.supervision.complaints_panel import ComplaintsPanel

        self.complaints = self._raise_or_make(self.complaints, lambda: ComplaintsPanel(self.ctx, self.window))
        return self.complaints

    def _raise_or_make(self, existing: QWidget | None, make) -> QWidget:
        if existing is None or not shiboken6.isValid(existing):
            existing = make()
            existing.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        existing.show()
        existing.raise_()
        existing.activateWindow()
        return existing

    def open_audit_check(self):
        from ui.supervision.audit_check import AuditCheckDialog

        dialog = AuditCheckDialog(self.ctx, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
