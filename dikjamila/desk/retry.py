"""Run a desk call again when the server aborted its transaction to break a deadlock.

On PostgreSQL two workstations' transactions can lock the same rows in opposite order (one
edits a request and then logs the change, the other has logged a change and then edits that
request). The server notices, aborts one of them (SQLSTATE 40P01) and the other goes on. The
aborted one changed nothing — its transaction was rolled back whole — so running the call once
more is safe and almost always succeeds. Serialization failures (40001) are the same case.

Only the outermost desk call is run again: a call made inside another's transaction must let
its error reach the outer call, whose whole transaction is what has to start over.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
ATTEMPTS = 4
_local = threading.local()


def is_retryable(exc: BaseException) -> bool:
    """A transaction the server aborted to break a deadlock or a serialization conflict."""
    return isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


def run_retrying[T](call: Callable[[], T], name: str) -> T:
    """`call()`, run again (up to ATTEMPTS times in all) after a retryable abort."""
    depth = getattr(_local, "depth", 0)
    _local.depth = depth + 1
    try:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return call()
            except DBAPIError as exc:
                if depth or attempt == ATTEMPTS or not is_retryable(exc):
                    raise
                log.warning("%s: transaction aborted by the server (%s); running it again (attempt %d)",
                            name, exc.orig.sqlstate, attempt + 1)
                time.sleep(0.02 * attempt)  # let the transaction that won commit first
        raise AssertionError("unreachable")
    finally:
        _local.depth = depth
