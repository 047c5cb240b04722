"""The "Supervisi" menu of the main window (shown to those who may see reports or the audit)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from dikjamila.auth.roles import Permission
from dikjamila.i18n import tr


class SupervisionParts(QObject):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.ctx = ctx = window.ctx
        self.menu = None
        if not (ctx.can(Permission.AUDIT) or ctx.can(Permission.REPORTS)):
            return
        self.menu = window.menuBar().addMenu(tr("&Supervisi"))
        if ctx.can(Permission.AUDIT):
            self.audit_action = QAction(tr("Periksa jejak audit…"), window)
            self.audit_action.triggered.connect(self.open_audit_check)
            self.menu.addAction(self.audit_action)

    def open_audit_check(self):
        from ui.supervision.audit_check import AuditCheckDialog

        dialog = AuditCheckDialog(self.ctx, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
