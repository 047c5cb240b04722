"""Ending a child process a benchmark started, so that none is left running after it."""

from __future__ import annotations

import subprocess


def end_child(proc: subprocess.Popen, farewell: str | bytes, *, wait_s: float) -> None:
    """Write `farewell` (text or bytes, as the child's stdin was opened) and close its stdin; kill the
    child if it has not ended within `wait_s`."""
    try:
        proc.stdin.write(farewell)
        proc.stdin.flush()
        proc.stdin.close()
    except OSError:
        pass  # it has ended already
    try:
        proc.wait(wait_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
