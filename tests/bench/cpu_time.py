"""CPU time the benchmarks read from Linux /proc: a whole process's, and the calling thread's."""

from __future__ import annotations

import os
import threading


def cpu_seconds(pid: int | str = "self") -> float | None:
    """A process's user + system CPU time so far, in seconds (Linux)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


class SchedStat:
    """The calling thread's time on a CPU and waiting for one (ns), from /proc (Linux; else 0, 0)."""

    def __init__(self):
        # NOTE: opened once and read with pread: a 1 ms heartbeat reads it on every beat.
        try:
            self.fd: int | None = os.open(f"/proc/self/task/{threading.get_native_id()}/schedstat", os.O_RDONLY)
        except OSError:
            self.fd = None

    def read(self) -> tuple[int, int]:
        if self.fd is None:
            return 0, 0
        run, wait, _ = os.pread(self.fd, 100, 0).split()
        return int(run), int(wait)
