"""One background thread for database and file work; results come back on the GUI thread.

Every desk call goes through `DbWorker.submit`, so the GUI thread never waits on SQLite,
the attachment store or pypdf. Jobs run one at a time, in order (SQLite has one writer
anyway, and ordering keeps "save then reload" sequences simple). A job slower than 200 ms
turns the busy indicator on.

The thread runs a little below normal priority (`below_normal_priority`): on a PC whose
cores are busy, the window's repaints then come before the queries, which take what is left.
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from dikjamila.errors import DatabaseOffline, UserError
from dikjamila.i18n import tr

log = logging.getLogger(__name__)
BUSY_AFTER_MS = 200
#: The database worker's nice value on Linux (Windows: THREAD_PRIORITY_BELOW_NORMAL). Not lower:
#: a thread far below the GUI thread can be kept off the CPU while it holds the GIL, and the
#: GUI thread then waits for it (measured with +10: 70 ms waits on a saturated machine).
WORKER_NICE = 5
#: The counts worker's (`AppContext.submit_count`): it runs on what the CPU has left. Its
#: queries spend their time in SQLite or the server, without the GIL, so it cannot hold the
#: window up the way a low thread holding the GIL can. Windows: THREAD_PRIORITY_LOWEST.
COUNTS_NICE = 15
_SKIPPED = object()  # in place of a failure: a skipped job ran nothing and tells nothing


@dataclass
class Job:
    fn: Callable[[], Any]
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[str], None] | None = None
    label: str = ""
    submitted: float = field(default_factory=time.perf_counter)
    cancelled: bool = False
    skip: bool = False

    def cancel(self, *, skip: bool = False) -> None:
        """Drop the result: the job may still run, but its callbacks will not.

        `skip`: a job still waiting in the queue does not run at all. For reads made obsolete
        (a page or counts for a search typed further meanwhile), never for a write.
        """
        self.cancelled = True
        self.skip = skip


def below_normal_priority(nice: int = WORKER_NICE) -> None:
    """Lower the calling thread's scheduling priority a little (best effort, never raises).

    NOTE: measured on 2 cores with one of them kept busy by another process (issue 12,
    tests/bench/README.md): the inbox's longest GUI-thread stall while scrolling went from
    50-59 ms to 33-35 ms, its p99 from 19-31 ms to 14-15 ms.
    """
    try:
        if sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.WinDLL("kernel32")  # its own function objects: argtypes set here only
            kernel32.GetCurrentThread.restype = ctypes.c_void_p
            kernel32.SetThreadPriority.argtypes = (ctypes.c_void_p, ctypes.c_int)
            # THREAD_PRIORITY_BELOW_NORMAL (-1), or THREAD_PRIORITY_LOWEST (-2) for the counts
            kernel32.SetThreadPriority(kernel32.GetCurrentThread(), -1 if nice <= WORKER_NICE else -2)
        elif sys.platform.startswith("linux"):
            # (on Linux the nice value is per thread; PRIO_PROCESS with a thread id sets that thread's)
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except (OSError, AttributeError, ValueError):
        log.debug("thread priority left as it was", exc_info=True)


def user_message(exc: BaseException) -> str:
    """What to tell the operator about a failure, in plain Indonesian."""
    if isinstance(exc, UserError):
        return exc.message
    if isinstance(exc, OSError):
        return tr("Berkas tidak dapat dibaca atau ditulis: {error}", error=exc.strerror or exc)
    return tr("Terjadi kesalahan tak terduga ({kind}). Data yang sudah ada tidak berubah; "
              "coba lagi atau hubungi petugas TI.", kind=type(exc).__name__)


class DbWorker(QObject):
    """A single worker thread with a job queue.

    Signals: `busy_changed(bool, str)` — on when a job has run longer than 200 ms, off when
    the queue is empty; `error(str)` — a job without its own `on_error` failed;
    `offline_changed(bool)` — a job found the database unreachable (True), or one succeeded
    again after that (False). The change watcher's polls keep trying meanwhile.
    """

    busy_changed = Signal(bool, str)
    error = Signal(str)
    offline_changed = Signal(bool)
    _finished = Signal(object, object, object)  # job, result, exception (queued to the GUI thread)

    def __init__(self, parent: QObject | None = None, *, nice: int = WORKER_NICE):
        super().__init__(parent)
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._pending = 0
        self._busy = False
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self._turn_busy_on)
        self._current_label = ""
        self.offline = False
        self._finished.connect(self._deliver)
        self._nice = nice
        self._thread = threading.Thread(target=self._loop, name="dikjamila-db", daemon=True)
        self._thread.start()

    # -- API -------------------------------------------------------------------------------
    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[str], None] | None = None, *, label: str = "") -> Job:
        """Queue `fn`; `on_done(result)` or `on_error(message)` later run on the GUI thread."""
        job = Job(fn, on_done, on_error, label or tr("Memproses…"))
        self._pending += 1
        self._current_label = job.label
        if not self._busy_timer.isActive() and not self._busy:
            self._busy_timer.start()
        self._queue.put(job)
        return job

    @property
    def pending(self) -> int:
        return self._pending

    def shutdown(self, timeout: float = 5.0) -> None:
        self._queue.put(None)
        self._thread.join(timeout)

    # -- internals --------------------------------------------------------------------------
    def _loop(self) -> None:
        below_normal_priority(self._nice)
        while (job := self._queue.get()) is not None:
            if job.skip:
                self._finished.emit(job, None, _SKIPPED)
                del job
                continue
            try:
                result, failure = job.fn(), None
            except BaseException as exc:
                if not isinstance(exc, UserError):
                    log.exception("background job %r failed", job.label)
                result, failure = None, exc
            self._finished.emit(job, result, failure)
            # (the GUI thread must hold the last references to what the job captured: see _deliver)
            del job, result, failure

    def _deliver(self, job: Job, result, failure) -> None:
        try:
            self._deliver_result(job, result, failure)
        finally:
            # NOTE: the job's callables capture Qt objects (panels, models, dialogs). Released
            # here, on the GUI thread: were the worker thread to drop the last reference, a Qt
            # object could be destroyed there, which crashes. A failure's traceback holds the
            # frames of `fn`, and with them the same objects.
            job.fn = job.on_done = job.on_error = None  # type: ignore[assignment]
            if isinstance(failure, BaseException):
                failure.__traceback__ = None

    def _deliver_result(self, job: Job, result, failure) -> None:
        self._pending -= 1
        if self._pending == 0:
            self._busy_timer.stop()
            if self._busy:
                self._busy = False
                self.busy_changed.emit(False, "")
        if failure is _SKIPPED:
            return
        if failure is None or isinstance(failure, DatabaseOffline):  # (a refusal tells nothing)
            self._note_offline(failure is not None)
        if job.cancelled:
            return
        if failure is None:
            if job.on_done:
                job.on_done(result)
            return
        message = user_message(failure)
        if job.on_error:
            job.on_error(message)
        else:
            self.error.emit(message)

    def _note_offline(self, offline: bool) -> None:
        if offline != self.offline:
            self.offline = offline
            self.offline_changed.emit(offline)

    def _turn_busy_on(self) -> None:
        if self._pending and not self._busy:
            self._busy = True
            self.busy_changed.emit(True, self._current_label)
