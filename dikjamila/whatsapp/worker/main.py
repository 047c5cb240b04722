"""The worker process: `python -m dikjamila.whatsapp.worker --data-dir D [--account N]`.

In this order, each step before the one that needs it:

1. stdin and stdout are taken for the protocol (`stdio.py`): fd 1 is kept for protocol lines
   only and what anything else prints goes to stderr. Before neonize is imported, because Go
   takes its stdout handle when the library loads.
2. The folders are made and the worker log set up (file + stderr, masked).
3. The session lock is taken; another worker on the session means exit code 3 and the
   Indonesian refusal on stderr. On PostgreSQL the office number is also locked on the server
   (an advisory lock): a worker for it on another PC means exit code 3 too, naming that PC,
   and an `error` event with "reason": "held_elsewhere" tells the supervisor (which then leaves
   the shared link row to that PC). While the worker runs, `link_lock_guard` keeps that lock:
   should another PC take the number after a lost connection, the worker disconnects and
   leaves the same way, with exit code 3.
4. The backend is made (neonize loads here); if it cannot be, an `error` event with
   "fatal": true and exit code 4.
5. The protocol loop runs until stop or the end of stdin.

Exit codes: 0 stopped, 1 the backend did not start, 2 bad arguments, 3 the session is in use,
4 the WhatsApp library could not be loaded. A Go panic ends the process with 134 by itself.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from dikjamila import __version__
from dikjamila.errors import UserError
from dikjamila.i18n import tr
from dikjamila.whatsapp.worker import paths
from dikjamila.whatsapp.worker.backend import Backend
from dikjamila.whatsapp.worker.event_writer import EventWriter
from dikjamila.whatsapp.worker.loop import run_loop
from dikjamila.whatsapp.worker.session_lock import SessionInUse, SessionLock
from dikjamila.whatsapp.worker.stdio import take_stdin, take_stdout
from dikjamila.whatsapp.worker.worker_log import setup_worker_log

EXIT_OK, EXIT_BACKEND, EXIT_USAGE, EXIT_SESSION_IN_USE, EXIT_LIBRARY = 0, 1, 2, 3, 4
THREADS_WAIT_S = 3.0  # after the loop: how long threads the library left may take to end

BackendFactory = Callable[[Path, Path, logging.Logger], Backend]


def _neonize_backend(session_path: Path, incoming_dir: Path, log: logging.Logger) -> Backend:
    from dikjamila.whatsapp.worker.neonize_backend import NeonizeBackend

    return NeonizeBackend(session_path, incoming_dir, log=log)


def _leave_when_threads_end(log: logging.Logger, code: int) -> None:
    """Wait a little for threads that would keep the process alive; if they do not end, leave.

    neonize runs the Go connection on a non-daemon thread; should stopping it hang, the
    interpreter would wait for it forever and the worker would outlive its supervisor.
    """
    deadline = time.monotonic() + THREADS_WAIT_S
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon and thread.ident is not None:
            # (a thread the library is only now starting has no ident yet: join() would raise)
            thread.join(max(0.0, deadline - time.monotonic()))
    lingering = [t.name for t in threading.enumerate()
                 if t is not threading.current_thread() and not t.daemon and t.is_alive()]
    if lingering:
        log.warning("threads still running after stop (%s); leaving without them", ", ".join(lingering))
        logging.shutdown()
        sys.stderr.flush()
        os._exit(code)


def worker_main(data_dir: Path, account: str = "", *, backend_factory: BackendFactory | None = None,
                stdin=None, stdout=None, lock_check_s: float | None = None) -> int:
    """Run a worker for the office number `account` ("" = the only one) of the data dir.

    `backend_factory(session_path, incoming_dir, log)` makes the backend (default: neonize).
    `stdin`/`stdout` default to the process's own (stdout then taken as described above).
    `lock_check_s`: how often the number's lock on PostgreSQL is checked (default:
    `link_lock_guard.CHECK_EVERY_S`).
    Returns the exit code.
    """
    data_dir = Path(data_dir)
    try:
        paths.account_digits(account)
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_USAGE
    if stdout is None:
        stdout = take_stdout()
    if stdin is None:
        stdin = take_stdin()
    session_path = paths.session_path(data_dir, account)
    incoming_dir = paths.incoming_dir(data_dir, account)
    session_path.parent.mkdir(parents=True, exist_ok=True)
    incoming_dir.mkdir(parents=True, exist_ok=True)
    log = setup_worker_log(data_dir, account)
    lock = SessionLock(session_path)
    try:
        lock.acquire()
    except SessionInUse as exc:
        print(exc.message, file=sys.stderr)
        log.warning("refused: session %s is held by pid %s", session_path, exc.pid)
        return EXIT_SESSION_IN_USE
    try:
        guard = _office_number_lock(data_dir, account, log, lock_check_s)
    except UserError as exc:  # the number runs on another PC, or the server is away
        lock.release()
        print(exc.message, file=sys.stderr)
        log.warning("refused: %s", exc.message)
        if getattr(exc, "held_elsewhere", False):
            _say_held_elsewhere(stdout, log, exc.message)
            return EXIT_SESSION_IN_USE
        return EXIT_BACKEND
    log.info("Dik Jamila %s: WhatsApp worker started (pid %d, session %s)", __version__, os.getpid(),
             session_path)
    try:
        try:
            backend = (backend_factory or _neonize_backend)(session_path, incoming_dir, log)
        except Exception as exc:
            log.exception("the WhatsApp library could not be loaded")
            EventWriter(stdout, log)({"event": "error", "fatal": True,
                                      "message": f"the WhatsApp library could not be loaded: {exc}"})
            return EXIT_LIBRARY
        if guard is not None:
            guard.start()
        code = run_loop(backend, account=account, stdin=stdin, stdout=stdout, log=log,
                        halt=guard.lost if guard is not None else None)
        if guard is not None and guard.lost.is_set():
            # The backend is stopped: nothing more goes out from here. Said like a refusal.
            print(guard.message, file=sys.stderr)
            _say_held_elsewhere(stdout, log, guard.message)
            code = EXIT_SESSION_IN_USE
        log.info("WhatsApp worker ends (exit code %d)", code)
        _leave_when_threads_end(log, code)
        return code
    finally:
        if guard is not None:
            guard.close()
        lock.release()


def _say_held_elsewhere(stdout, log: logging.Logger, message: str) -> None:
    """The supervisor's cue: this number runs elsewhere, its shared state is not ours to write."""
    EventWriter(stdout, log)({"event": "error", "fatal": True, "reason": "held_elsewhere", "message": message})


def _office_number_lock(data_dir: Path, account: str, log: logging.Logger, check_s: float | None):
    """On PostgreSQL, the office number's lock across PCs (see `hold_link_lock`) and the guard
    that keeps it; else None.

    The lock file above guards one PC; several PCs sharing one server are guarded here.
    """
    from dikjamila.config import Paths, load_settings

    url = load_settings(Paths(data_dir)).database_url
    if not url.startswith("postgresql"):
        return None
    from dikjamila.db.dialects.postgresql import hold_link_lock
    from dikjamila.whatsapp.worker.link_lock_guard import CHECK_EVERY_S, LinkLockGuard

    return LinkLockGuard(hold_link_lock(url, account), lambda: hold_link_lock(url, account), log=log,
                         every_s=check_s or CHECK_EVERY_S)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="dikjamila whatsapp worker",
        description=tr("Penghubung WhatsApp (perangkat tertaut) untuk satu nomor kantor; "
                       "bicara dengan workstation lewat baris JSON di stdin/stdout."))
    parser.add_argument("--data-dir", required=True, type=Path, help=tr("folder data kantor"))
    parser.add_argument("--account", default="", help=tr("nomor WhatsApp kantor (kosong: satu-satunya)"))
    args = parser.parse_args(argv)
    return worker_main(args.data_dir, args.account)
