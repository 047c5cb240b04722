"""Long, cancellable background jobs (imports, send loops, decoding), off the GUI thread.

The database worker (`ui.worker.DbWorker`) runs short desk calls one at a time, in order;
a long job there would hold up every click behind it. Long jobs run here instead, on a small
thread pool of their own. Each job gets a `TaskState` to report progress and to see that it
was cancelled (the shape of Orange's `Orange/widgets/utils/concurrent.py` TaskState); its
callbacks run on the GUI thread. The app context owns one executor (`ctx.executor`).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal

from dikjamila.errors import UserError
from ui.worker import user_message

log = logging.getLogger(__name__)

#: Threads for long jobs: an import and a send loop can run while a photo decodes.
MAX_THREADS = 3
#: At most one progress delivery per task in this many seconds (the latest value wins).
PROGRESS_INTERVAL = 0.05


class Cancelled(Exception):
    """Raised inside a job by `TaskState.raise_if_cancelled()` once its task was cancelled."""


class TaskState:
    """What a running job sees (its one argument): progress reporting and cancellation.

    Used from the worker thread. A job that loops should call `raise_if_cancelled()` (or
    test `cancelled`) once per item, so `Task.cancel()` and `Executor.shutdown()` stop it.
    """

    def __init__(self, task: Task, hub: _Hub):
        self._task = task
        self._hub = hub

    @property
    def cancelled(self) -> bool:
        """Whether the task was cancelled; the job should return soon after."""
        return self._task.cancelled

    def raise_if_cancelled(self) -> None:
        """Raise `Cancelled` if the task was cancelled (no callback follows it)."""
        if self._task.cancelled:
            raise Cancelled

    def progress(self, fraction: float, text: str = "") -> None:
        """Report `fraction` (0..1) done and what is being done.

        Cheap enough to call per item in a tight loop: only the latest value is kept, at most
        one delivery per task is queued to the GUI thread at a time, and deliveries are at
        least `PROGRESS_INTERVAL` apart. The last value reported arrives before `on_done`.
        """
        task = self._task
        with task._lock:
            task._progress = (fraction, text)
            if task._progress_queued:
                return
            task._progress_queued = True
        self._hub.progress.emit(task)


class Task:
    """A job started by `Executor.start`. `cancel()` it to stop it and drop its callbacks."""

    def __init__(self, label: str, on_done, on_error, on_progress, owner: QObject | None):
        self.label = label
        self._on_done = on_done
        self._on_error = on_error
        self._on_progress = on_progress
        self._owner = owner
        self._cancel = threading.Event()
        self._ended = threading.Event()
        self._lock = threading.Lock()  # guards the two progress fields below
        self._progress: tuple[float, str] | None = None
        self._progress_queued = False
        self._next_progress = 0.0  # GUI thread: no progress delivery before this monotonic time
        self._delivered = False    # GUI thread: on_done / on_error has run (or was dropped)

    def cancel(self) -> None:
        """Ask the job to stop (`TaskState.cancelled` turns true) and drop its callbacks.

        Called on the GUI thread, it guarantees that no `on_done`, `on_error` or `on_progress`
        of this task runs afterwards. A job not started yet never starts.
        """
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def finished(self) -> bool:
        """Whether the job has returned or raised (its callbacks may still be on their way)."""
        return self._ended.is_set()

    def _wanted(self) -> bool:
        """Whether callbacks may still run: not cancelled, and its owner widget still exists."""
        return not self.cancelled and (self._owner is None or shiboken6.isValid(self._owner))


class _Hub(QObject):
    """The one object worker threads emit through; it lives in the GUI thread.

    NOTE: a QObject per job, or the widget that wants the result, could be deleted (with its
    widget) while a worker thread is about to emit on it: a crash inside Qt. The hub is made
    with the executor, on the GUI thread, without a parent, and every job's closure holds a
    reference to it, so it lives as long as the executor and as long as any thread that may
    still emit. Receivers are found through the task, and a deleted owner is skipped.
    """

    done = Signal(object, object, object)  # task, result, exception
    progress = Signal(object)  # task; the latest value is read from it on delivery


class Executor(QObject):
    """A small thread pool for long jobs; results, failures and progress on the GUI thread.

    Signals: `error(str)` — a job without its own `on_error` failed.
    Create it on the GUI thread; call `shutdown()` when the session ends.
    """

    error = Signal(str)

    def __init__(self, max_threads: int = MAX_THREADS, parent: QObject | None = None):
        super().__init__(parent)
        # NOTE: our own pool, not QThreadPool.globalInstance(): shutdown can then wait for our
        # jobs only, and no other code's work competes for these threads.
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(max_threads)
        self._hub = _Hub()
        self._hub.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._hub.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._tasks: set[Task] = set()
        self._closed = False

    # -- API -------------------------------------------------------------------------------
    def start(self, fn: Callable[[TaskState], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[str], None] | None = None,
              on_progress: Callable[[float, str], None] | None = None, *,
              label: str = "", owner: QObject | None = None) -> Task:
        """Run `fn(state)` on a pool thread; return its `Task`.

        Later, on the GUI thread: `on_progress(fraction, text)` (throttled, see
        `TaskState.progress`), then `on_done(result)` or `on_error(message)`, the message in
        plain Indonesian (`ui.worker.user_message`). A failure other than a `UserError` is
        logged with its traceback. A job that raises `Cancelled` gets no callback. With an
        `owner` widget, nothing is called once that widget has been deleted.
        """
        task = Task(label, on_done, on_error, on_progress, owner)
        if self._closed:
            log.warning("executor is shut down; job %r not started", label)
            task.cancel()
            return task
        self._tasks.add(task)
        state, hub = TaskState(task, self._hub), self._hub

        def run() -> None:
            result = failure = None
            try:
                if task.cancelled:
                    raise Cancelled
                result = fn(state)
            except Cancelled as exc:
                failure = exc
            except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI
                if not isinstance(exc, UserError):
                    log.exception("long job %r failed", task.label)
                failure = exc
            finally:
                task._ended.set()
            try:
                hub.done.emit(task, result, failure)
            except RuntimeError:  # NOTE: only at exit, when Python has already deleted the hub
                log.debug("long job %r ended after the program did", task.label)

        self._pool.start(run)
        return task

    @property
    def pending(self) -> int:
        """Tasks started whose callbacks have not been delivered (or dropped) yet."""
        return len(self._tasks)

    def shutdown(self, timeout: float = 5.0) -> bool:
        """Cancel every task (queued ones never start) and wait up to `timeout` seconds for
        running jobs to return. True when all did. Jobs started afterwards never run."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        self._pool.clear()
        return self._pool.waitForDone(max(0, int(timeout * 1000)))

    # -- internals (GUI thread) ------------------------------------------------------------
    def _on_done(self, task: Task, result, failure: BaseException | None) -> None:
        self._tasks.discard(task)
        if not task._wanted():
            return
        self._deliver_progress(task)  # the last value reported arrives before the outcome
        task._delivered = True
        if failure is None:
            if task._on_done is not None:
                task._on_done(result)
        elif not isinstance(failure, Cancelled):
            message = user_message(failure)
            if task._on_error is not None:
                task._on_error(message)
            else:
                self.error.emit(message)

    def _on_progress(self, task: Task) -> None:
        wait = task._next_progress - time.monotonic()
        if wait > 0:
            QTimer.singleShot(math.ceil(wait * 1000), self, lambda: self._deliver_progress(task))
        else:
            self._deliver_progress(task)

    def _deliver_progress(self, task: Task) -> None:
        with task._lock:
            value = task._progress if task._progress_queued else None
            task._progress_queued = False
        if value is None or task._delivered or not task._wanted():
            return
        task._next_progress = time.monotonic() + PROGRESS_INTERVAL
        if task._on_progress is not None:
            task._on_progress(*value)
