"""Where a worker keeps its files, for the office number `account` ("" = the only one).

    D/whatsapp/session.sqlite3              D/whatsapp/session-6281234567890.sqlite3
    D/whatsapp/session.sqlite3.lock         (beside each session: session_lock.py)
    D/whatsapp/incoming/                    D/whatsapp/incoming/6281234567890/
    D/logs/whatsapp-worker.log              D/logs/whatsapp-worker-6281234567890.log
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

WHATSAPP_DIR = "whatsapp"
LOG_DIR = "logs"  # the same folder as dikjamila.logs.LOG_DIR

_ACCOUNT = re.compile(r"\+?[0-9][0-9 .\-]*")


def account_digits(account: str) -> str:
    """The digits of the office number `account` ("+62 812-..." -> "62812..."); "" stays "".

    Anything but digits, spaces, dots, hyphens and a leading "+" is refused (InvalidInput):
    the digits become part of file names.
    """
    account = (account or "").strip()
    if not account:
        return ""
    if not _ACCOUNT.fullmatch(account):
        raise InvalidInput(tr("Nomor WhatsApp kantor tidak sah: {account}", account=account))
    return re.sub(r"\D", "", account)


def _suffix(account: str) -> str:
    digits = account_digits(account)
    return f"-{digits}" if digits else ""


def whatsapp_dir(data_dir: str | os.PathLike) -> Path:
    return Path(data_dir) / WHATSAPP_DIR


def session_path(data_dir: str | os.PathLike, account: str = "") -> Path:
    """The SQLite file neonize keeps the linked device's keys in."""
    return whatsapp_dir(data_dir) / f"session{_suffix(account)}.sqlite3"


def incoming_dir(data_dir: str | os.PathLike, account: str = "") -> Path:
    """Where files residents send are downloaded to."""
    base = whatsapp_dir(data_dir) / "incoming"
    digits = account_digits(account)
    return base / digits if digits else base


def worker_log_path(data_dir: str | os.PathLike, account: str = "") -> Path:
    return Path(data_dir) / LOG_DIR / f"whatsapp-worker{_suffix(account)}.log"
