"""The worker's one writer of protocol lines (stdout), shared by every thread."""

from __future__ import annotations

import io
import logging
import threading
from typing import Any

from dikjamila.whatsapp import protocol


class EventWriter:
    """Writes protocol events as lines to `stream`, one whole line at a time, from any thread.

    `stream` may be text or binary. An event the protocol does not know is logged and dropped;
    a stream that fails (the supervisor is gone) is marked broken and `on_broken` called once.
    """

    def __init__(self, stream, log: logging.Logger, on_broken=None):
        self._stream = stream
        self._binary = not isinstance(stream, io.TextIOBase)
        self._log = log
        self._on_broken = on_broken
        self._lock = threading.Lock()
        self.broken = False

    def __call__(self, event: dict[str, Any]) -> bool:
        try:
            line = protocol.encode(event)
        except (protocol.ProtocolError, TypeError, ValueError):
            self._log.error("event %r not written: not a valid protocol event", event.get("event"),
                            exc_info=True)
            return False
        data = line.encode("utf-8") if self._binary else line
        with self._lock:
            if self.broken:
                return False
            try:
                self._stream.write(data)
                self._stream.flush()
            except (OSError, ValueError):  # a broken pipe, or a closed file
                self.broken = True
                self._log.warning("stdout cannot be written: the supervisor is gone", exc_info=True)
                if self._on_broken is not None:
                    self._on_broken()
                return False
        return True

