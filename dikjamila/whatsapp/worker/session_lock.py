"""One worker per WhatsApp session: a lock file beside the session, held for the worker's life.

Two processes on one session would both answer WhatsApp as the same device and corrupt its
keys. The lock is an operating-system lock (fcntl.flock on Linux and macOS, msvcrt.locking on
Windows) on `<session>.lock`: the system drops it when the process ends in any way, so a
worker killed with kill -9 or by a Go panic never leaves a stale lock behind. The file itself
stays (deleting it would let two processes lock two different files); it holds the PID of the
last holder, for the refusal message only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Self

from dikjamila.errors import UserError
from dikjamila.i18n import tr

# Windows locks a byte range and then refuses reads of it: lock a byte far past the PID, so a
# refused worker can still read who holds the session. (Locking past the end of a file is allowed.)
_LOCK_OFFSET = 1 << 20


class SessionInUse(UserError):
    """Another process holds the session's lock."""

    def __init__(self, message: str, pid: int | None):
        super().__init__(message)
        self.pid = pid


def lock_path(session_path: Path) -> Path:
    return session_path.with_name(session_path.name + ".lock")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError: another open file holds it
        return False
    return True


def _holder(fd: int) -> int | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


class SessionLock:
    """The lock on one session; `acquire()` or SessionInUse, `release()` (or process exit)."""

    def __init__(self, session_path: Path):
        self.session_path = Path(session_path)
        self.path = lock_path(self.session_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> Self:
        if self._fd is not None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        if not _try_lock(fd):
            pid = _holder(fd)
            os.close(fd)
            raise SessionInUse(tr(
                "Sesi WhatsApp {path} sedang dipakai proses lain (PID {pid}). "
                "Hanya satu penghubung per nomor.",
                path=str(self.session_path), pid=pid if pid is not None else "?"), pid)
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        except OSError:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def release(self) -> None:
        """Give the lock up (closing the file releases it)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def __enter__(self) -> Self:
        return self.acquire()

    def __exit__(self, *exc_info) -> None:
        self.release()
