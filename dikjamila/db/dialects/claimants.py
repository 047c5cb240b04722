"""Who took an outbox item to send (its claimant), and whether that sender still runs on this PC.

A claimant names one run of one outbox runner: `<host>/<pid>/<random token>`, stored on every
item it takes (`outbox_items.claimed_by`). At start, a runner turns the items left `sending` by
dead claimants into `uncertain` and leaves the others alone. Each dialect module answers
"alive?" (`claimant_alive`) and keeps its own runner's claimant alive (`hold_claimant`):
PostgreSQL with an advisory lock, on any PC (`pg_claimants`); SQLite (one PC by design) and
other servers with the functions here, which know this PC only.

On this PC a claimant is alive while its process runs; within this very process, while it is
held (several runs of a runner live in one process, one after another).
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
from collections.abc import Callable

# A claimant fits `outbox_items.claimed_by` (96): host 64 + pid 10 + token 16 + separators.
_HOST_LENGTH = 64

_held_here: set[str] = set()


def this_host() -> str:
    return socket.gethostname()[:_HOST_LENGTH]


def new_claimant() -> str:
    """A new identity: this PC, this process, and a token no other run shares."""
    return f"{this_host()}/{os.getpid()}/{secrets.token_hex(8)}"


def parse(claimant: str) -> tuple[str, int] | None:
    """(host, pid) of a claimant, or None for "" (an item claimed before claimants existed)."""
    parts = claimant.rsplit("/", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1])


def hold_here(claimant: str) -> Callable[[], None]:
    """Mark `claimant` alive in this process; returns the function that lets it go."""
    _held_here.add(claimant)
    return lambda: _held_here.discard(claimant)


def alive_here(claimant: str) -> bool:
    """A claimant of this PC whose process still runs (in this process: that still holds it).

    Anything else is dead: "", another PC (a database of one PC has no other), a gone process.
    """
    parsed = parse(claimant)
    if parsed is None or parsed[0] != this_host():
        return False
    pid = parsed[1]
    if pid == os.getpid():
        return claimant in _held_here
    return pid_alive(pid)


if sys.platform == "win32":
    def pid_alive(pid: int) -> bool:
        """Does process `pid` still run? (os.kill(pid, 0) would send Ctrl+C on Windows.)"""
        import ctypes
        from ctypes import wintypes

        query_limited_information, still_active, access_denied = 0x1000, 259, 5
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(query_limited_information, False, pid)
        if not handle:
            return ctypes.get_last_error() == access_denied  # it exists, but is another user's
        try:
            code = wintypes.DWORD()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == still_active
        finally:
            kernel32.CloseHandle(handle)
else:
    def pid_alive(pid: int) -> bool:
        """Does process `pid` still run? (A zombie not yet reaped counts as running.)"""
        if pid <= 0:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # it exists, but is another user's
            return True
        return True
