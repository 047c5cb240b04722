"""The scheduled backup while the workstation is open (issue 12).

Shortly after the window shows, then every 10 minutes, the schedule asks whether a backup is
due (a folder is set, `backup_daily` is on, the folder's newest copy is not from today, office
time). Asking reads the backup folder, which may be a slow share, so the question and the backup
itself run on the executor: the window never waits. Progress and the outcome show quietly in a
status-bar label. A failure (folder gone, disk full) turns the label red and opens one warning
box; later checks that fail the same way only keep the label red, until a backup succeeds.
The time of the last backup is the office's newest manifest in the folder
(`dikjamila.backup_folder.schedule`), so the command line, another PC or a restart all agree on it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from dikjamila.backup_folder import (
    FolderBackupResult,
    backup_office,
    due_for_backup,
    last_backup_of,
    unsupported,
)
from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr

log = logging.getLogger(__name__)

CHECK_EVERY_MS = 10 * 60 * 1000
#: The first check waits a little: the inbox's first page comes before a backup.
FIRST_CHECK_MS = 5000
_GREY = "color: #6b7280;"
_RED = "color: #b91c1c; font-weight: bold;"


@dataclass(frozen=True)
class Outcome:
    """What one check found: the backup made (`result`), or not due and when the last one was."""

    result: FolderBackupResult | None
    last: datetime | None


class BackupSchedule(QObject):
    """Owned by the main window (`start_backup_schedule`); reads the office's settings at each check.

    `finished(object)` after each check that ran: an `Outcome`, or the refusal (a str).
    """

    finished = Signal(object)

    def __init__(self, ctx, window: QMainWindow, *, interval_ms: int = CHECK_EVERY_MS,
                 first_check_ms: int = FIRST_CHECK_MS, clock=None):
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self._clock = clock or (lambda: datetime.now(UTC))
        self._first_check_ms = first_check_ms
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check_now)
        self._task = None
        self.warned = False  # a warning box was shown for the current run of failures
        self.warning_box: QMessageBox | None = None
        self.label = QLabel("", window)
        self.label.setObjectName("backupLabel")
        self.label.hide()
        window.statusBar().addPermanentWidget(self.label)
        ctx.bus.settings_changed.connect(self._settings_changed)

    # -- life -----------------------------------------------------------------------------------
    def start(self) -> None:
        QTimer.singleShot(self._first_check_ms, self, self.check_now)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._task is not None:
            self._task.cancel()  # the run removes its own unfinished files; earlier copies stay
            self._task = None

    def _settings_changed(self) -> None:
        """A folder just chosen (or daily turned on): check now, not in 10 minutes."""
        QTimer.singleShot(0, self, self.check_now)

    @property
    def running(self) -> bool:
        return self._task is not None

    def check_now(self) -> None:
        """Start a check on the executor (one at a time): a backup when one is due."""
        if self._task is not None:
            return
        office = self.ctx.office
        settings = office.settings
        if not settings.backup_dir.strip() or not settings.backup_daily:
            self.label.hide()
            return
        if reason := unsupported(office.db):
            self._show(tr("Cadangan terjadwal: tidak untuk basis data server"), reason, _GREY)
            return
        now = self._clock()

        def job(state) -> Outcome:
            last = last_backup_of(office)  # this office's: another's copy there must not make it look done
            if not due_for_backup(settings, last, now):
                return Outcome(None, last)

            def progress(fraction: float, text: str) -> None:
                state.raise_if_cancelled()
                state.progress(fraction, text)

            return Outcome(backup_office(office, now=now, progress=progress), last)

        self._task = self.ctx.executor.start(job, self._done, self._failed, self._progress,
                                             label=tr("Mencadangkan…"), owner=self.label)

    # -- outcome (GUI thread) ---------------------------------------------------------------------
    def _progress(self, fraction: float, text: str) -> None:
        self._show(tr("Mencadangkan… {pct}%", pct=int(fraction * 100)), text, _GREY)

    def _done(self, outcome: Outcome) -> None:
        self._task = None
        self.warned = False
        result = outcome.result
        if result is None:
            if outcome.last is not None:
                self._show(tr("Cadangan terakhir: {when}", when=_when(outcome.last)),
                           tr("Folder cadangan: {path}", path=self.ctx.office.settings.backup_dir), _GREY)
        else:
            tip = tr("{path}\n{n} lampiran; {copied} berkas baru disalin ({mb:.1f} MB).", path=result.database,
                     n=result.blobs, copied=result.copied_files, mb=result.copied_bytes / 1e6)
            if result.same_disk:
                tip += "\n" + tr("Folder cadangan ada di disk yang sama dengan data kantor; sebaiknya disk lain.")
            self._show(tr("Cadangan terakhir: {when}", when=_when(result.created)), tip, _GREY)
            self.window.statusBar().showMessage(tr("Cadangan selesai: {name}", name=result.database.name), 10000)
        self.finished.emit(outcome)

    def _failed(self, message: str) -> None:
        self._task = None
        log.warning("scheduled backup failed: %s", message)
        self._show(tr("⚠ Cadangan gagal"), message, _RED)
        if not self.warned:
            self.warned = True
            self.show_warning(message)
        self.finished.emit(message)

    def show_warning(self, message: str) -> None:
        """One non-modal box per run of failures (a small method tests may look at)."""
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Cadangan"), tr(
            "Cadangan terjadwal tidak dapat dibuat:\n{message}\n\nData kantor tidak berubah. Dicoba lagi setiap "
            "10 menit selama aplikasi terbuka; tanda merah di bilah status hilang setelah cadangan berhasil.",
            message=message), QMessageBox.StandardButton.Ok, self.window)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.warning_box = box
        box.open()

    def _show(self, text: str, tip: str, style: str) -> None:
        self.label.setText(text)
        self.label.setToolTip(tip)
        self.label.setStyleSheet(style)
        self.label.show()


def _when(moment: datetime) -> str:
    return f"{moment.astimezone(WITA):%d-%m-%Y %H:%M}"


def start_backup_schedule(ctx, window: QMainWindow) -> BackupSchedule:
    """Start the schedule for a signed-in session; it stops when the session ends."""
    schedule = BackupSchedule(ctx, window)
    ctx.on_close(schedule.stop)
    schedule.start()
    return schedule
