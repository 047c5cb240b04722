"""Importing WhatsApp chat exports from the workstation, off the GUI thread.

`ChatImporter` runs each file's `Desk.import_chat` on the session's executor (`ctx.executor`:
long jobs never queue behind the database worker), one file after another, behind a small
progress dialog with "Batal". On the GUI thread, between runs, it asks the day/month question
when a file needs it and runs that file again with the answer; at the end it shows the summary
(`ui.intake.import_summary`), or why nothing was imported.

NOTE: "Batal" sets an event of our own that the import's `should_cancel` reads, rather than
`Task.cancel()`: that would drop the job's callbacks, and the dialog must stay up until the
import has removed what it added (it raises `ImportCancelled` once done) before it may say
"nothing was saved". `should_cancel` also reads the task's own state, so the session's
executor shutting down (the window closing) stops an import as well.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dikjamila.errors import UserError
from dikjamila.i18n import tr
from dikjamila.intake.importing import DayOrderNeeded, ImportCancelled, ImportSummary
from ui.executor import TaskState
from ui.intake.import_drop import choose_export_file
from ui.intake.import_summary import ImportSummaryDialog

#: `Desk.import_chat`, or a stand-in with its signature.
RunImport = Callable[..., ImportSummary]
TITLE = "Impor chat WhatsApp"
_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
           "Oktober", "November", "Desember")


@dataclass
class Outcome:
    """How one run of one file ended (returned by the job, read on the GUI thread)."""

    summary: ImportSummary | None = None
    day_example: str | None = None  # the order of day and month must be asked; a date as written
    refused: str = ""  # why the file was refused (Indonesian)
    cancelled: bool = False  # stopped by "Batal"; what it added has been removed


def import_job(run_import: RunImport, path: Path, day_first: bool | None,
               stop: threading.Event) -> Callable[[TaskState], Outcome]:
    """The executor job importing `path`: its refusals become an `Outcome`, not an error."""

    def job(state: TaskState) -> Outcome:
        try:
            summary = run_import(path, day_first=day_first, progress=state.progress,
                                 should_cancel=lambda: stop.is_set() or state.cancelled)
        except DayOrderNeeded as exc:  # before InvalidInput: it is one
            return Outcome(day_example=exc.example)
        except ImportCancelled:
            state.raise_if_cancelled()  # the session is ending: nobody left to tell
            return Outcome(cancelled=True)
        except UserError as exc:
            return Outcome(refused=exc.message)
        return Outcome(summary=summary)

    return job


class ImportProgressDialog(QDialog):
    """File n of m, a progress bar, what is being done, and "Batal" (`cancel_requested`).

    Esc and the window's close button ask to cancel too; the dialog only closes by `finish()`,
    once the import has really stopped.
    """

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr(TITLE))
        self.step_label = QLabel(self)
        self.file_label = QLabel(self)
        self.file_label.setWordWrap(True)
        bold = self.file_label.font()
        bold.setBold(True)
        self.file_label.setFont(bold)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.setFormat("%p%")
        self.detail = QLabel(tr("Menyiapkan…"), self)
        self.detail.setWordWrap(True)
        self.detail.setMinimumHeight(2 * self.detail.fontMetrics().lineSpacing())
        self.detail.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.cancel_button = QPushButton(tr("Batal"), self)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.file_label)
        layout.addWidget(self.bar)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)

    def show_file(self, number: int, total: int, name: str) -> None:
        self.step_label.setText(tr("Mengimpor chat WhatsApp") if total == 1 else tr(
            "Mengimpor berkas {number} dari {total}", number=number, total=total))
        self.file_label.setText(name)

    def set_progress(self, fraction: float, text: str) -> None:
        self.bar.setValue(round(1000 * min(1.0, max(0.0, fraction))))
        if text and self.cancel_button.isEnabled():
            self.detail.setText(text)

    def set_waiting(self, text: str) -> None:
        self.detail.setText(text)

    def set_cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.detail.setText(tr("Membatalkan… yang sudah ditambahkan dari berkas ini sedang dihapus."))

    def reject(self) -> None:
        """Batal, Esc or the close button: ask to stop (the dialog stays until it has)."""
        if self.cancel_button.isEnabled():
            self.set_cancelling()
            self.cancel_requested.emit()

    def finish(self) -> None:
        super().done(QDialog.DialogCode.Accepted)
        self.deleteLater()


def date_readings(example: str) -> tuple[str, str] | None:
    """The example date read day-first and month-first ("3 April 2025", "4 Maret 2025")."""
    found = re.search(r"(\d{1,2})\D(\d{1,2})\D(\d{2,4})", example)
    if found is None:
        return None
    a, b, year = (int(g) for g in found.groups())
    if not (1 <= a <= 12 and 1 <= b <= 12):
        return None
    year = year + 2000 if year < 100 else year
    return f"{a} {_MONTHS[b - 1]} {year}", f"{b} {_MONTHS[a - 1]} {year}"


def day_order_box(parent: QWidget | None, file_name: str, example: str) -> QMessageBox:
    """The day/month question; its buttons are `day_first_button`, `month_first_button` and
    `cancel_button` (attributes of the box)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr(TITLE))
    box.setText(tr("Urutan tanggal dan bulan di {name} tidak dapat ditentukan dari berkasnya.",
                   name=file_name))
    more = tr("Tanggal pertama di berkas tertulis: {example}", example=example)
    readings = date_readings(example)
    if readings is not None:
        more += "\n" + tr("• dibaca Tanggal/Bulan: {date}", date=readings[0])
        more += "\n" + tr("• dibaca Bulan/Tanggal: {date}", date=readings[1])
    more += "\n\n" + tr("Ponsel di Indonesia umumnya memakai Tanggal/Bulan. Pilih urutan yang dipakai "
                        "ponsel warga saat mengekspor chat.")
    box.setInformativeText(more)
    # NOTE: buttons made here (not by `addButton(text, role)`) keep one Python wrapper each,
    # so the clicked button can be told apart by identity.
    box.day_first_button = QPushButton(tr("Tanggal/Bulan (31/12)"), box)
    box.month_first_button = QPushButton(tr("Bulan/Tanggal (12/31)"), box)
    box.cancel_button = QPushButton(tr("Batal"), box)
    box.addButton(box.day_first_button, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(box.month_first_button, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(box.cancel_button, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(box.day_first_button)
    box.setEscapeButton(box.cancel_button)
    return box


class ChatImporter(QObject):
    """Imports chat exports one after another; more files given while it runs join the queue.

    `open_request(request_id)`: the operator opened a request from the summary.
    `finished(list[ImportSummary])`: a run ended (its summary or message is on screen).
    The dialogs it opens are kept as attributes (`progress_dialog`, `day_order_box`,
    `message_box`, `summary_dialog`) and are window-modal or modeless: no nested event loop.
    """

    open_request = Signal(int)
    finished = Signal(list)

    def __init__(self, ctx, parent: QWidget, *, run_import: RunImport | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self._window = parent
        self._run_import = run_import
        self._queue: list[Path] = []
        self._stop = threading.Event()
        self.progress_dialog: ImportProgressDialog | None = None
        self.day_order_box: QMessageBox | None = None
        self.message_box: QMessageBox | None = None
        self.summary_dialog: ImportSummaryDialog | None = None

    @property
    def running(self) -> bool:
        return self.progress_dialog is not None

    # -- API --------------------------------------------------------------------------------
    def choose_and_import(self) -> None:
        """The menu action: pick exports in a file dialog, then import them."""
        paths = choose_export_file(self._window)
        if paths:
            self.start(paths)

    def start(self, paths: Iterable[Path]) -> None:
        """Import `paths` (after the files of a run already going)."""
        paths = [Path(p) for p in paths]
        if not paths:
            return
        self._queue.extend(paths)
        if self.running:
            self._total += len(paths)
            self._show_current()
            return
        self._total, self._done = len(self._queue), 0
        self._summaries: list[ImportSummary] = []
        self._refused: list[tuple[str, str]] = []
        self._cancelled_file = ""
        self._stop.clear()
        self.progress_dialog = ImportProgressDialog(self._window)
        self.progress_dialog.cancel_requested.connect(self.cancel)
        self.progress_dialog.show()
        self._run(None)

    def cancel(self) -> None:
        """Stop after the file being imported has removed what it added; skip the rest."""
        self._stop.set()
        if self.progress_dialog is not None:
            self.progress_dialog.set_cancelling()

    # -- one file ---------------------------------------------------------------------------
    def _run(self, day_first: bool | None) -> None:
        if self._stop.is_set() or not self._queue:
            self._end()
            return
        self._day_first = day_first
        self._show_current()
        self.progress_dialog.set_progress(self._done / self._total, "")
        # NOTE: a desk of its own: it runs on an executor thread (the engine's pool is
        # thread-safe, the desk keeps no session) and its changes carry their own origin, so
        # open request tabs reload what the import changed as they do for another workstation.
        run = self._run_import or self._ctx.office.desk(self._ctx.actor).import_chat
        self._ctx.executor.start(
            import_job(run, self._queue[0], day_first, self._stop), self._on_outcome,
            self._on_failure, self._on_progress, label=tr(TITLE), owner=self)

    def _show_current(self) -> None:
        if self._queue:
            self.progress_dialog.show_file(self._done + 1, self._total, self._queue[0].name)

    def _on_progress(self, fraction: float, text: str) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.set_progress((self._done + min(1.0, max(0.0, fraction))) / self._total, text)

    def _on_outcome(self, outcome: Outcome) -> None:
        name = self._queue[0].name
        if outcome.day_example is not None and self._day_first is None:
            self._ask_day_order(name, outcome.day_example)
            return
        if outcome.day_example is not None:  # asked already: the import should not ask again
            outcome = Outcome(refused=tr("Urutan tanggal dan bulan tetap tidak dapat ditentukan."))
        self._next_file()
        if outcome.summary is not None:
            self._summaries.append(outcome.summary)
            self._ctx.changes.poll_now()  # the inbox shows the new requests at once
        elif outcome.cancelled:
            self._cancelled_file = name
        else:
            self._refused.append((name, outcome.refused))
        self._run(None)

    def _on_failure(self, message: str) -> None:
        """Something unexpected (logged by the executor): tell, then go on with the next file."""
        self._refused.append((self._queue[0].name, message))
        self._next_file()
        self._run(None)

    def _next_file(self) -> None:
        self._queue.pop(0)
        self._done += 1

    # -- the day/month question ----------------------------------------------------------------
    def _ask_day_order(self, name: str, example: str) -> None:
        self.progress_dialog.set_waiting(tr("Menunggu jawaban: urutan tanggal dan bulan."))
        box = day_order_box(self.progress_dialog, name, example)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self._on_day_order(box, button))
        self.day_order_box = box
        box.open()

    def _on_day_order(self, box: QMessageBox, button) -> None:
        self.day_order_box = None
        if button is box.day_first_button or button is box.month_first_button:
            self._run(button is box.day_first_button)
            return
        # Batal: nothing of this file was stored (the order is settled before anything is).
        self._stop.set()
        self._cancelled_file = self._queue[0].name
        self._next_file()
        self._run(None)

    # -- the end of a run -----------------------------------------------------------------------
    def _end(self) -> None:
        not_started = [p.name for p in self._queue]
        self._queue = []
        self.progress_dialog.finish()
        self.progress_dialog = None
        summaries = self._summaries
        note = self._cancel_note(not_started)
        if summaries:
            self.show_summary(summaries, self._refused, note)
        elif self._cancelled_file and not self._refused:
            self.show_message(QMessageBox.Icon.Information, tr("Impor dibatalkan; tidak ada yang disimpan."))
        else:
            self.show_message(QMessageBox.Icon.Warning, self._refusal_text(note))
        self.finished.emit(summaries)

    def _cancel_note(self, not_started: list[str]) -> str:
        """What "Batal" left out: the file it stopped (rolled back) and the files never started.
        (Batal pressed as a file was finishing leaves that file imported: it is in the summary.)"""
        parts = []
        if self._cancelled_file:
            parts.append(tr("Impor {name} dibatalkan; dari berkas itu tidak ada yang disimpan.",
                            name=self._cancelled_file))
        if not_started:
            parts.append(tr("Tidak diimpor karena dibatalkan: {names}.", names=", ".join(not_started)))
        return " ".join(parts)

    def _refusal_text(self, note: str) -> str:
        if len(self._refused) == 1 and not note:
            name, reason = self._refused[0]
            return tr("Berkas {name} tidak dapat diimpor.\n\n{reason}", name=name, reason=reason)
        lines = [tr("Tidak ada yang diimpor.")] + [
            tr("• {name}: {reason}", name=n, reason=r) for n, r in self._refused]
        return "\n".join(lines + ([note] if note else []))

    # -- what the operator sees (small methods tests may replace) -----------------------------
    def show_summary(self, summaries: list[ImportSummary], refused: list[tuple[str, str]], note: str) -> None:
        dialog = ImportSummaryDialog(summaries, refused=refused, note=note, parent=self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_request.connect(self._open_number)
        self.summary_dialog = dialog
        dialog.show()

    def show_message(self, icon: QMessageBox.Icon, text: str) -> None:
        box = QMessageBox(icon, tr(TITLE), text, QMessageBox.StandardButton.Ok, self._window)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        box.open()

    def _open_number(self, number: str) -> None:
        desk = self._ctx.desk
        self._ctx.submit(lambda: desk.find_number(number), self.open_request.emit,
                         lambda message: self.show_message(QMessageBox.Icon.Warning, message),
                         label=tr("Membuka {number}…", number=number))
