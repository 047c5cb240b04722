"""The change log on PostgreSQL: committed in id order, and announced with NOTIFY.

Watchers read "changes after the last id I saw" (`dikjamila.changes.since`). On SQLite one
writer at a time makes ids commit in order. On PostgreSQL two transactions can take ids 10 and
11 and commit 11 first: a watcher that read 11 would never see 10. So a transaction that logs a
change first takes one transaction-level advisory lock (held until it commits), and ids are
given and committed in the same order. Writers that log changes queue there only for the short
rest of their transaction — what SQLite does for every writer anyway.

The same transaction sends `NOTIFY dikjamila_changes` (delivered at commit, once per
transaction); `ChangeListener` waits for it on a connection of its own, so another workstation
hears of a change at once instead of at its next poll.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

CHANNEL = "dikjamila_changes"
# An arbitrary constant naming "the change log" among the office's advisory locks.
CHANGE_LOG_LOCK = 0x44_4A_43_4C  # "DJCL"


def before_change(session: Session) -> None:
    """Order this transaction's change-log ids with its commit, and announce it (once)."""
    if session.info.get("pg_change_locked"):
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOG_LOCK})
    session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
    session.info["pg_change_locked"] = True


def libpq_params(url: str) -> dict:
    """psycopg.connect() keywords for a SQLAlchemy `postgresql+psycopg://` URL."""
    parsed = make_url(url)
    params: dict = {"dbname": parsed.database, "user": parsed.username, "password": parsed.password,
                    "host": parsed.query.get("host") or parsed.host, "port": parsed.query.get("port") or parsed.port}
    return {k: v for k, v in params.items() if v}


class ChangeListener:
    """Calls `on_change()` (on its own thread) whenever a transaction that logged a change commits.

    Reconnects after a lost connection (every `retry_s`); `stop()` ends it within a second.
    """

    def __init__(self, url: str, on_change: Callable[[], None], *, retry_s: float = 3.0):
        self._params = libpq_params(url)
        self._on_change = on_change
        self._retry_s = retry_s
        self._stop = threading.Event()
        self.listening = threading.Event()  # set while LISTEN is active (tests wait on it)
        self._thread = threading.Thread(target=self._run, name="pg-change-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(**self._params, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    self._on_change()  # whatever changed while not listening
                    while not self._stop.is_set():
                        if any(True for _ in conn.notifies(timeout=1.0, stop_after=1)):
                            self._on_change()
            except psycopg.Error as exc:
                log.warning("change listener: %s; retrying in %.0f s", exc, self._retry_s)
            except Exception:  # a bug in the callback must not end the listening for good
                log.exception("change listener failed; retrying in %.0f s", self._retry_s)
            self.listening.clear()
            self._stop.wait(self._retry_s)
