"""When a file in a watched folder is complete enough to take.

A browser, WhatsApp Desktop or a scanner writes a file over seconds, sometimes under a
temporary name it renames at the end. A file is ready when:

- its name is not a temporary or hidden one (`is_temporary_name`);
- it is not empty, and its size and modification time were the same at two looks at least
  `settle_seconds` apart (the first look only starts the clock);
- it can be opened for reading: on Windows a file another program still holds open for
  writing cannot be, so an OSError there means "not yet", never an error.

The clock is injectable, so the rule can be tested without waiting.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: Endings of names that browsers, download managers and editors give a file being written.
TEMPORARY_SUFFIXES = (".crdownload", ".part", ".partial", ".tmp", ".temp", ".download",
                      ".opdownload", ".!ut", ".filepart", ".swp")
#: Names of files that are never documents (folder metadata).
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
DEFAULT_SETTLE_SECONDS = 1.0


def is_temporary_name(name: str) -> bool:
    """True for a name that marks a file still being written, hidden, or not a document:
    `*.crdownload`, `*.part`, `*.tmp`…, Office lock files `~$*`, dot files, `Thumbs.db`."""
    lowered = name.lower()
    return (not name or lowered.startswith((".", "~$")) or lowered.endswith(TEMPORARY_SUFFIXES)
            or lowered in IGNORED_NAMES)


@dataclass(frozen=True)
class _Look:
    size: int
    mtime_ns: int
    since: float  # the clock when this size and time were first seen


class ReadinessCheck:
    """Remembers the last look at each file; `is_ready(path)` says whether it settled.

    Not thread-safe: one watcher thread uses it.
    """

    def __init__(self, settle_seconds: float = DEFAULT_SETTLE_SECONDS, *,
                 clock: Callable[[], float] = time.monotonic):
        self.settle_seconds = settle_seconds
        self._clock = clock
        self._looks: dict[Path, _Look] = {}

    def is_ready(self, path: Path) -> bool:
        """True when `path` has stopped changing and can be read; False means look again later."""
        if is_temporary_name(path.name):
            self.forget(path)
            return False
        try:
            st = path.stat()
        except OSError:  # gone, or renamed meanwhile
            self.forget(path)
            return False
        now = self._clock()
        look = self._looks.get(path)
        if look is None or (look.size, look.mtime_ns) != (st.st_size, st.st_mtime_ns):
            self._looks[path] = _Look(st.st_size, st.st_mtime_ns, now)
            return False
        if st.st_size == 0 or now - look.since < self.settle_seconds:
            return False
        return _can_open(path)

    def forget(self, path: Path) -> None:
        self._looks.pop(path, None)

    def signature(self, path: Path) -> tuple[int, int] | None:
        """(size, mtime_ns) of the last look, or None when never looked at."""
        look = self._looks.get(path)
        return (look.size, look.mtime_ns) if look else None


def _can_open(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:  # Windows: another program still writes it (a sharing violation)
        return False
    os.close(fd)
    return True
