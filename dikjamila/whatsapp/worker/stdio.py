"""The worker's stdin and stdout, taken for the protocol.

stdout: the process's file descriptor 1 is duplicated for the protocol lines, then pointed at
stderr, and `sys.stdout` with it. The Go library prints to fd 1 (for instance "SendMessage:
Error sending message: ..."), neonize prints too, and a stray line would break the protocol.
Call this before neonize is imported: Go takes its stdout handle when the library loads (on
Windows `SetStdHandle` follows `dup2` for fds 0-2).

stdin: read with `os.read` on a duplicate of fd 0, not through `sys.stdin`. The loop reads on
a daemon thread that is usually blocked in a read when the process ends; a blocked
`sys.stdin.buffer.readline` holds the buffer's lock, and the interpreter aborts at shutdown
("could not acquire lock for <stdin> at interpreter shutdown", status 134) when it finds it held.
"""

from __future__ import annotations

import os
import sys


class FdLineReader:
    """`readline(limit)` over a file descriptor, with no lock a shutdown could trip on."""

    def __init__(self, fd: int, chunk: int = 65536):
        self._fd = fd
        self._chunk = chunk
        self._buffer = b""
        self._eof = False

    def readline(self, limit: int = -1) -> bytes:
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0 and (limit < 0 or end < limit):
                line, self._buffer = self._buffer[:end + 1], self._buffer[end + 1:]
                return line
            if 0 <= limit <= len(self._buffer) or self._eof:
                cut = len(self._buffer) if limit < 0 else min(limit, len(self._buffer))
                line, self._buffer = self._buffer[:cut], self._buffer[cut:]
                return line
            data = os.read(self._fd, self._chunk)
            if not data:
                self._eof = True
            self._buffer += data


def take_stdin() -> FdLineReader:
    return FdLineReader(os.dup(sys.stdin.fileno()))


def take_stdout():
    """A binary stream on the real stdout for protocol lines; fd 1 and sys.stdout go to stderr."""
    sys.stdout.flush()
    protocol_fd = os.dup(sys.stdout.fileno())
    try:
        target = sys.stderr.fileno()
        opened = None
    except (AttributeError, OSError, ValueError):  # no console (a windowed bundle)
        target = opened = os.open(os.devnull, os.O_WRONLY)
    os.dup2(target, 1)
    if opened is not None:
        os.close(opened)
    if sys.platform == "win32":
        import msvcrt

        msvcrt.setmode(protocol_fd, os.O_BINARY)  # "\n" stays "\n"
    sys.stdout = sys.stderr
    return open(protocol_fd, "wb", buffering=0)
