"""The top of the request editor: the header line and the inline message bar."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from dikjamila.desk import RequestDetail
from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from dikjamila.lifecycle import label as status_label
from ui.inbox.row_display import STATUS_COLOURS, time_left_text

MESSAGE_COLOURS = {"error": ("#991b1b", "#fee2e2", "#fca5a5"), "warning": ("#92400e", "#fffbeb", "#fcd34d"),
                   "info": ("#166534", "#f0fdf4", "#86efac")}
INFO_HIDE_MS = 8000


class MessageBar(QFrame):
    """Inline message above the form: errors stay until closed, confirmations fade out."""

    action_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton(self)
        self.action.clicked.connect(lambda: self.action_clicked.emit())
        close = QPushButton("×", self)
        close.setFlat(True)
        close.setFixedWidth(26)
        close.setToolTip(tr("Tutup pesan"))
        close.clicked.connect(self.hide)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 4, 4, 4)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.action)
        lay.addWidget(close)
        self._timer = QTimer(self, singleShot=True, interval=INFO_HIDE_MS)
        self._timer.timeout.connect(self.hide)
        self.level = ""
        self.hide()

    def show_message(self, text: str, level: str = "error", action: str = "") -> None:
        fg, bg, border = MESSAGE_COLOURS[level]
        self.level = level
        self.setStyleSheet(f"QFrame#messageBar {{ background: {bg}; border: 1px solid {border}; border-radius: 4px; }}"
                           f"QFrame#messageBar QLabel {{ color: {fg}; }}")
        self.label.setText(text)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.show()
        if level == "info":
            self._timer.start()
        else:
            self._timer.stop()

    def text(self) -> str:
        """The message shown, "" when the bar is hidden."""
        return "" if self.isHidden() else self.label.text()


class HeaderBar(QWidget):
    """Number, coloured status, applicant, service, assignee, due time."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.number = QLabel(self)
        self.number.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.due = QLabel(self)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(10)
        lay.addWidget(self.number)
        lay.addWidget(self.status)
        lay.addWidget(self.details, 1)
        lay.addWidget(self.due)

    def set_detail(self, d: RequestDetail, service_name: str) -> None:
        self.number.setText(d.number)
        self.status.setText(status_label(d.status))
        self.status.setStyleSheet(f"background: {STATUS_COLOURS.get(d.status, '#e5e7eb')}; color: #111827;"
                                  "border: 1px solid #9ca3af; border-radius: 9px; padding: 1px 10px;"
                                  "font-weight: bold;")
        who = d.assignee_name or tr("belum diambil")
        self.details.setText(tr("{applicant} · {service} · Petugas: {who}", applicant=d.applicant_name,
                                service=service_name, who=who))
        left, overdue = time_left_text(d, datetime.now(UTC))
        due = d.due_at.astimezone(WITA).strftime("%d-%m-%Y %H:%M")
        self.due.setText(tr("Tenggat {due} ({left})", due=due, left=left) if left != "—" else tr("Tenggat {due}", due=due))
        self.due.setStyleSheet("color: #b91c1c; font-weight: bold;" if overdue else "color: #374151;")
        self.due.setToolTip(tr("Diterima {at}", at=d.received_at.astimezone(WITA).strftime("%d-%m-%Y %H:%M")))
