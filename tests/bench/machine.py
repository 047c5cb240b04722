"""What the benchmarks read about the machine they run on (it is shared: others use the CPUs too)."""

from __future__ import annotations

import os


def machine_busy_seconds() -> float | None:
    """CPU time all CPUs of the machine spent busy (all but idle and iowait), in seconds (Linux)."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")
