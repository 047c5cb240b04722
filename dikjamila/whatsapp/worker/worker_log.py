"""The worker's log: `<data dir>/logs/whatsapp-worker[-<digits>].log` and stderr, masked.

The worker's stdout carries protocol lines only, so its logging goes to a rotating file (about
1 MB × 5, like the workstation's) and to stderr, both through `dikjamila.logs.MaskingFormatter`
(NIKs, phone numbers and WhatsApp JIDs masked). The handlers are put on the root logger, so
what neonize and whatsmeow log lands in the same file. Installed before neonize is imported,
they also keep neonize's own `logging.basicConfig` from adding a console handler of its own.
"""

from __future__ import annotations

import logging
import logging.handlers
import os

from dikjamila.logs import (
    BACKUP_COUNT,
    LOG_FORMAT,
    MAX_BYTES,
    ConsoleHandler,
    MaskingFormatter,
    remove_marked_handlers,
)
from dikjamila.whatsapp.worker.paths import worker_log_path

LOGGER_NAME = "dikjamila.whatsapp.worker"
_MARK = "_dikjamila_worker_handler"


def setup_worker_log(data_dir: str | os.PathLike, account: str = "", *,
                     stderr_level: int = logging.WARNING) -> logging.Logger:
    """Install the worker's handlers on the root logger and return the worker's logger.

    Calling it again replaces the handlers it installed before. A log file that cannot be
    written costs only the file: stderr still gets the records.
    """
    formatter = MaskingFormatter(LOG_FORMAT)
    handlers: list[logging.Handler] = [ConsoleHandler(stderr_level)]
    path = worker_log_path(data_dir, account)
    file_error = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
        file_handler.setLevel(logging.INFO)
        handlers.append(file_handler)
    except OSError as exc:
        file_error = exc
    close_worker_log()
    root = logging.getLogger()
    for handler in handlers:
        handler.setFormatter(formatter)
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    if root.getEffectiveLevel() > logging.INFO:
        root.setLevel(logging.INFO)
    log = logging.getLogger(LOGGER_NAME)
    if file_error is not None:
        log.warning("the worker log %s cannot be written; logging to stderr only", path,
                    exc_info=file_error)
    return log


def close_worker_log() -> None:
    """Remove and close the handlers `setup_worker_log` installed."""
    remove_marked_handlers(_MARK)
