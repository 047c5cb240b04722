""""Jadikan pengaduan": one click turns an incoming WhatsApp message into a complaint.

Used by "Pesan masuk belum ditangani" (`ui.whatsapp.unhandled_panel`), which only adds the
button: `ComplaintFromMessage` enables it for who may record complaints, runs
`Desk.complaint_from_message` on the database worker (the core makes one complaint per message
and marks the message handled, so it leaves the list) and says "Pengaduan #N dicatat" in the
panel and in the main window's status bar.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow, QPushButton

from dikjamila.auth.roles import Permission
from dikjamila.desk.complaint_records import ComplaintInfo
from dikjamila.i18n import tr

STATUS_MS = 15000


def make_button(parent) -> QPushButton:
    button = QPushButton(tr("Jadikan pengaduan"), parent)
    button.setObjectName("makeComplaint")
    button.setAutoDefault(False)
    button.setToolTip(tr("Catat pesan ini sebagai pengaduan (saluran WhatsApp); pesannya dianggap sudah ditangani"))
    return button


class ComplaintFromMessage(QObject):
    """Drives the panel's "Jadikan pengaduan" button. `made(ComplaintInfo)` afterwards."""

    made = Signal(object)

    def __init__(self, panel, button: QPushButton):
        super().__init__(panel)
        self.panel = panel
        self.button = button
        self._busy = False
        button.clicked.connect(self.run)
        panel.table.selectionModel().selectionChanged.connect(lambda *_: self.update())
        panel.model.modelReset.connect(self.update)  # a reload may leave nothing selected
        self.update()

    def update(self) -> None:
        may = self.panel.ctx.can(Permission.RECORD_COMPLAINT)
        self.button.setVisible(may)
        self.button.setEnabled(may and not self._busy and self.panel.selected() is not None)

    def run(self) -> None:
        message = self.panel.selected()
        if message is None or self._busy or not self.panel.ctx.can(Permission.RECORD_COMPLAINT):
            return
        ctx = self.panel.ctx
        self._busy = True
        self.update()
        ctx.submit(lambda: ctx.desk.complaint_from_message(message.id), self._guard(self._done),
                   self._guard(self._failed), label=tr("Mencatat pengaduan…"))

    def _done(self, info: ComplaintInfo) -> None:
        self._busy = False
        text = tr("Pengaduan #{id} dicatat.", id=info.id)
        self.panel._say(text)
        window = self.panel.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, STATUS_MS)
        self.panel.refresh()
        self.panel.ctx.changes.poll_now()
        self.update()
        self.made.emit(info)

    def _failed(self, message: str) -> None:
        self._busy = False
        self.panel._say_error(message)
        self.update()

    def _guard(self, callback):
        def run(*args):
            if shiboken6.isValid(self) and shiboken6.isValid(self.panel):
                callback(*args)
        return run
