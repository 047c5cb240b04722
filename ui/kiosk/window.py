"""`KioskWindow`: the full-screen kiosk — start screen, wizard, status check, survey.

Leaving needs the admin PIN: closing the window (Alt+F4, the window manager, `close()`) and
Escape only open the PIN pad. After the idle time without a touch or a key, everything
entered is wiped (the draft's files are deleted by the station) and the start screen
returns. A line at the bottom says when the office was last reached and how many
submissions wait to be delivered; delivery runs in the background on the executor.

NOTE: Ctrl+Alt+Del, the Windows key and Alt+Tab cannot be blocked from Qt; a kiosk PC should
run under Windows Assigned Access (README, "Mode kios").
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from dikjamila.i18n import tr
from ui.executor import Task
from ui.kiosk.context import KioskContext
from ui.kiosk.idle import IdleWatcher
from ui.kiosk.pin_screen import PinScreen
from ui.kiosk.start_screen import StartScreen
from ui.kiosk.status_screen import StatusScreen
from ui.kiosk.survey_screen import SurveyScreen
from ui.kiosk.theme import scale_for, set_scale, style_sheet
from ui.kiosk.wizard.wizard import Wizard

log = logging.getLogger(__name__)

FOOTER_REFRESH_MS = 30_000
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def when_words(moment: datetime | None, now: datetime | None = None) -> str:
    """"hari ini 14.05", "kemarin 09.30", "3 Des 2026 14.05", or "belum pernah" (local time)."""
    if moment is None:
        return tr("belum pernah")
    local = moment.astimezone() if moment.tzinfo else moment
    now = now or datetime.now(local.tzinfo)
    clock = f"{local.hour:02d}.{local.minute:02d}"
    days = (now.date() - local.date()).days
    if days == 0:
        return tr("hari ini pukul {clock}", clock=clock)
    if days == 1:
        return tr("kemarin pukul {clock}", clock=clock)
    return f"{local.day} {tr(_MONTHS[local.month - 1])} {local.year} " + tr("pukul {clock}", clock=clock)


class KioskWindow(QWidget):
    """The kiosk. Show it with `show_kiosk()` (full screen); in tests a plain `show()` will do.

    Signals: `reset_done()` after an idle reset (tests wait for it).
    """

    reset_done = Signal()

    def __init__(self, ctx: KioskContext, parent: QWidget | None = None, *, scale: float | None = None):
        super().__init__(parent)
        # Sizes follow the screen (theme.scale_for); set before any kiosk widget is made.
        shown_on = self.screen() or QGuiApplication.primaryScreen()
        set_scale(scale if scale is not None else scale_for(shown_on.size().height()))
        self.ctx = ctx
        self._may_close = False
        self._delivery: Task | None = None
        self.setObjectName("kioskRoot")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowTitle(tr("Dik Jamila — Kios Layanan"))
        self.setStyleSheet(style_sheet())

        self.stack = QStackedWidget(self)
        self.start = StartScreen(self.stack)
        self.wizard = Wizard(ctx, self.stack)
        self.status = StatusScreen(ctx, self.stack)
        self.survey = SurveyScreen(ctx, self.stack)
        self.pin = PinScreen(ctx, self.stack)
        for page in (self.start, self.wizard, self.status, self.survey, self.pin):
            self.stack.addWidget(page)
        self.start.chosen.connect(self.open_screen)
        self.wizard.left.connect(self.show_start)
        self.status.left.connect(self.show_start)
        self.survey.left.connect(self.show_start)
        self.pin.accepted.connect(self._leave_kiosk)
        self.pin.cancelled.connect(self._back_from_pin)
        self._before_pin: QWidget | None = self.start

        self.footer = self.start.footer
        self.start.staff.clicked.connect(self.ask_pin)
        column = QVBoxLayout(self)
        column.setContentsMargins(36, 20, 36, 16)
        column.addWidget(self.stack, 1)

        self.idle = IdleWatcher(ctx.options.idle_seconds, self)
        self.idle.timed_out.connect(self.reset)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.ask_pin)
        self._footer_timer = QTimer(self, interval=FOOTER_REFRESH_MS)
        self._footer_timer.timeout.connect(self.refresh_footer)
        self._footer_timer.start()
        self._deliver_timer = QTimer(self)
        self._deliver_timer.timeout.connect(self.deliver)
        if ctx.deliver is not None and ctx.options.deliver_every_seconds > 0:
            self._deliver_timer.start(int(ctx.options.deliver_every_seconds * 1000))
        self.refresh_footer()

    # -- showing ---------------------------------------------------------------------------
    def show_kiosk(self) -> None:
        """Full screen, no frame, no menus."""
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        # NOTE: without a window manager (a bare X server, some kiosk shells) the full-screen
        # request is not honoured and the window keeps its default size: cover the screen anyway.
        if (screen := self.screen()) is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()

    def open_screen(self, which: str) -> None:
        if which == "apply":
            self.stack.setCurrentWidget(self.wizard)
            self.wizard.start()
        elif which == "status":
            self.stack.setCurrentWidget(self.status)
            self.status.open()
        elif which == "survey":
            self.stack.setCurrentWidget(self.survey)
            self.survey.open()

    def show_start(self) -> None:
        self.stack.setCurrentWidget(self.start)
        self.refresh_footer()


    def reset(self) -> None:
        """The idle reset: wipe everything entered on every screen, back to the start."""
        log.info("kiosk idle reset")
        self.wizard.wipe()
        self.status.wipe()
        self.survey.wipe()
        self.pin.open()
        self.show_start()
        self.reset_done.emit()

    # -- the footer and delivery -----------------------------------------------------------
    def refresh_footer(self) -> None:
        station = self.ctx.station
        self.ctx.call(lambda: (station.last_reached(), station.pending_count()), self._show_footer,
                      lambda message: log.warning("kiosk footer: %s", message))

    def _show_footer(self, found: tuple[datetime | None, int]) -> None:
        reached, pending = found
        text = tr("Terakhir terhubung ke kantor: {when}", when=when_words(reached))
        if pending:
            text += "   ·   " + tr("{n} permohonan menunggu dikirim", n=pending)
        self.footer.setText(text)

    def deliver(self) -> None:
        """Deliver pending submissions to the office, in the background (one run at a time)."""
        if self.ctx.deliver is None or (self._delivery is not None and not self._delivery.finished):
            return
        deliver = self.ctx.deliver
        self._delivery = self.ctx.executor.start(lambda _state: deliver(), lambda _r: self.refresh_footer(),
                                                 self._delivery_failed, owner=self, label=tr("Mengirim ke kantor…"))

    def _delivery_failed(self, message: str) -> None:
        log.info("kiosk delivery did not finish: %s", message)
        self.refresh_footer()

    # -- leaving ---------------------------------------------------------------------------
    def ask_pin(self) -> None:
        if self.stack.currentWidget() is not self.pin:
            self._before_pin = self.stack.currentWidget()
        self.stack.setCurrentWidget(self.pin)
        self.pin.open()

    def _back_from_pin(self) -> None:
        self.stack.setCurrentWidget(self._before_pin or self.start)

    def _leave_kiosk(self) -> None:
        self.shut_down()

    def shut_down(self) -> None:
        """Close without asking for the PIN: only for code (the right PIN, a test's or a tool's
        end), never reachable from the screen."""
        self._may_close = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close:
            event.ignore()
            self.ask_pin()
            return
        self.idle.stop()
        self._footer_timer.stop()
        self._deliver_timer.stop()
        if self._delivery is not None:
            self._delivery.cancel()
        self.wizard.wipe()
        self.wizard.camera.wipe()
        event.accept()
