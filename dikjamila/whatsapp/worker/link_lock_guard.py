"""Keeps the office number's lock across PCs while the worker runs (PostgreSQL only).

The lock (`hold_link_lock`) is a session advisory lock: it lasts only as long as its
connection. A server restart or a network cut ends that connection and frees the lock without
a word, and another PC's worker could then take the number while this one goes on sending.
So every `CHECK_EVERY_S` the guard runs `SELECT 1` on the lock's connection; if that fails it
takes the lock again on a new connection. If another PC got the number meanwhile, the guard
reports the loss (`lost` set, `message` names that PC) and the worker stops: never two links
for one number.

NOTE: while this PC cannot reach the server, the worker goes on and the guard keeps trying
(a restarting server must not stop the link). Another PC that can reach it may take the number
meanwhile; this worker learns so, and stops, at its first check once the server answers again.
Until then it can claim nothing from the outbox: the server is away for its runner too.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg

from dikjamila.errors import UserError

#: How often the lock's connection is checked, in seconds.
CHECK_EVERY_S = 12.0

#: Makes a new connection holding the lock; raises a UserError with `held_elsewhere` set when
#: another process has the number, any other UserError (or a psycopg.Error) when the server
#: cannot be reached.
Retake = Callable[[], psycopg.Connection]


class LinkLockGuard:
    """Watches the connection `conn` that holds the number's lock; `start()`, then `close()`."""

    def __init__(self, conn: psycopg.Connection, retake: Retake, *, log: logging.Logger,
                 every_s: float = CHECK_EVERY_S):
        self._conn = conn
        self._retake = retake
        self._log = log
        self._every_s = every_s
        self._closing = threading.Event()
        self._thread: threading.Thread | None = None
        self.lost = threading.Event()
        self.message = ""  # why the number was lost (Indonesian, names the PC that has it)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._watch, name="wa-link-lock", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop watching and release the lock (closing its connection)."""
        self._closing.set()
        if self._thread is not None:
            self._thread.join(self._every_s + 15)
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except psycopg.Error:  # an already broken connection: the lock went with it
                self._log.info("link lock connection already closed", exc_info=True)

    def check(self) -> bool:
        """One round. False once another process has the number (`lost` is set then); True
        otherwise, also while the server cannot be reached (the next round tries again)."""
        if self.lost.is_set():
            return False
        if self._conn is not None and self._alive(self._conn):
            return True
        self._log.warning("the number's lock connection is gone; taking the lock again")
        try:
            conn = self._retake()
        except (UserError, psycopg.Error) as exc:
            if getattr(exc, "held_elsewhere", False):  # LinkHeldElsewhere
                self.message = exc.message
                self._log.error("the number was taken meanwhile: %s", self.message)
                self.lost.set()
                return False
            # The server is away: go on (see the module's note) and try again next round.
            self._log.warning("the number's lock could not be taken again yet: %s", exc)
            return True
        self._conn = conn
        self._log.info("the number's lock is held again on a new connection")
        return True

    def _alive(self, conn: psycopg.Connection) -> bool:
        try:
            conn.execute("SELECT 1").fetchone()
        except psycopg.Error as exc:  # OperationalError: the server ended the connection
            self._log.warning("the number's lock connection failed: %s", exc)
            self._close_quietly(conn)
            self._conn = None
            return False
        return True

    def _close_quietly(self, conn: psycopg.Connection) -> None:
        try:
            conn.close()
        except psycopg.Error:  # a broken connection may fail to close; it is dropped either way
            self._log.info("closing a broken lock connection failed", exc_info=True)

    def _watch(self) -> None:
        while not self._closing.wait(self._every_s):
            if not self.check():
                return
