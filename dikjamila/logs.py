"""The log file: `<data dir>/logs/dikjamila.log`, rotating, with NIK, KK and phone numbers masked.

`setup_logging(data_dir)` is called once the data dir is known (the workstation after the
office opens, the command line in `open_office`). It installs on the root logger a rotating
file handler (about 1 MB × 5 backups, UTF-8) and optionally a console handler; calling it again
replaces what it installed before, so handlers never stack.

Every line written by these handlers goes through `mask_personal`, applied to the final text —
the message with its arguments filled in, the traceback and any stack — so an NIK in an
exception message is masked as surely as one passed as an argument.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
from pathlib import Path

from dikjamila import __version__
from dikjamila.identity.nik import mask_nik

log = logging.getLogger(__name__)

LOG_DIR = "logs"
LOG_FILE = "dikjamila.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d %(threadName)s] %(message)s"

_MARK = "_dikjamila_handler"  # set on the handlers installed here, to find them again

# -- masking -------------------------------------------------------------------------------------

# A number is only looked at when it stands alone: not glued to letters or digits, so runs of
# digits inside a sha256, a UUID or an identifier (`0x7f…`, `abc6311…`) are left as they are.
# An underscore may touch it (`KTP_6311….jpg`).
_LEFT = r"(?<![0-9A-Za-z])"
_RIGHT = r"(?![0-9A-Za-z])"
# What people put between digit groups: space, NBSP, narrow NBSP, dot, hyphens and dashes
# (U+2011, the non-breaking hyphen, comes in WhatsApp exports), zero-width and bidi marks.
_GAP = r"[ \t.\-\u00a0\u202f\u2010-\u2015\u2212\u200b-\u200f\u202a-\u202e\u2060]"
_GAP_OR_BRACKET = r"(?:" + _GAP + r"|[()])"

# NIK and KK number (DOMAIN.md: both 16 digits): written whole, or in the groups people use
# (4-4-4-4, 6-6-4, and the dotted region form 63.11.05.450690.0003).
_NIK = re.compile(
    _LEFT + r"(?:\d{16}"
    r"|\d{4}(?:" + _GAP + r"\d{4}){3}"
    r"|\d{6}" + _GAP + r"\d{6}" + _GAP + r"\d{4}"
    r"|\d{2}(?:" + _GAP + r"\d{2}){2}" + _GAP + r"\d{6}" + _GAP + r"\d{4})" + _RIGHT
)

# WhatsApp JIDs carry the phone number (or a LID, also personal): 6281234567890@s.whatsapp.net,
# 6281234567890:12@s.whatsapp.net (a device), 6281234567890@c.us, 123456789012345@lid.
_JID = re.compile(_LEFT + r"(?P<head>)(?P<body>\d{6,20})(?=(?::\d{1,4})?@(?:s\.whatsapp\.net|c\.us|lid)\b)")

# Indonesian mobile numbers as residents write them: +62 812-3456-7890, +6281234567890,
# (+62) 812 3456 7890, 62 812 3456 7890, 6281234567890, 0812-3456-7890, (0812) 3456-7890.
# The country code or trunk 0 (head) stays; the rest (body, from the 8 on) is masked. The
# mobile prefix 81x-89x is never split (a time such as 08.30.12 is not a number; 0800 is
# toll-free, not a person). Numbers too short or too long to be valid are masked too: they
# appear in "too short/long" messages.
_PHONE_ID = re.compile(
    r"(?<![0-9A-Za-z+])"
    r"(?P<head>\(\s?\+?62\s?\)|\+62|62|\(?0(?=8))"
    r"(?P<body>" + _GAP_OR_BRACKET + r"{0,3}8[1-9]\d(?:" + _GAP_OR_BRACKET + r"{0,2}\d){3,13})" + _RIGHT
)

# Any other number in international form (+60 12-345 6789, +1 415 555 0100).
_PHONE_INTL = re.compile(
    r"(?<![0-9A-Za-z+])(?P<head>\+)(?P<body>[1-9](?:" + _GAP_OR_BRACKET + r"{0,2}\d){7,14})" + _RIGHT
)

_KEEP = 4  # digits left visible at the end of a phone number (and of an NIK, by mask_nik)


def _mask_nik_match(match: re.Match) -> str:
    text = match.group()
    digits = [ch for ch in text if ch.isdigit()]
    masked = iter(mask_nik("".join(digits)))
    # Keep the writer's separators; the digits become mask_nik's output, one for one.
    return "".join(next(masked) if ch.isdigit() else ch for ch in text)


def _mask_phone_match(match: re.Match) -> str:
    body = match.group("body")
    total = sum(ch.isdigit() for ch in body)
    out, seen = [], 0
    for ch in body:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - _KEEP else "*")
        else:
            out.append(ch)
    return match.group("head") + "".join(out)


def mask_personal(text: str) -> str:
    """`text` with NIKs, KK numbers and phone numbers masked; everything else unchanged.

    NIK/KK (16 digits, whole or grouped): all but the last 4 digits become `*`
    (`mask_nik`). Phone numbers (Indonesian in any usual form, international with `+`,
    WhatsApp JIDs): the country code or leading 0 stays, all digits but the last 4 become `*`.
    Separators are kept, so `+62 812-3456-7890` reads `+62 ***-****-7890`.
    """
    if not text or not any(ch.isdigit() for ch in text):
        return text
    text = _NIK.sub(_mask_nik_match, text)
    text = _PHONE_ID.sub(_mask_phone_match, text)
    # NOTE: two numbers joined by " (" can match as one whose tail is the second number's
    # head, which the first pass leaves readable; a second pass masks what remains.
    text = _PHONE_ID.sub(_mask_phone_match, text)
    text = _JID.sub(_mask_phone_match, text)
    return _PHONE_INTL.sub(_mask_phone_match, text)


class MaskingFormatter(logging.Formatter):
    """A formatter whose whole output — message, arguments, traceback, stack — is masked."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_personal(super().format(record))


# -- handlers ------------------------------------------------------------------------------------

class ConsoleHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a record comes (tests swap it; a windowed
    bundle has none, and then nothing is written)."""

    def __init__(self, level: int):
        logging.Handler.__init__(self, level)

    @property
    def stream(self):
        return sys.stderr

    def emit(self, record: logging.LogRecord) -> None:
        if sys.stderr is not None:
            super().emit(record)

    def format(self, record: logging.LogRecord) -> str:
        # The terminal gets the line, not the traceback: whoever typed the command reads the
        # Indonesian message that follows; the details stay in the log file.
        if record.exc_info or record.exc_text:
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None,
                                            "msg": f"{record.msg} (details in the log file)"})
        return super().format(record)


def log_path(data_dir: str | os.PathLike) -> Path:
    """Where the log of the office at `data_dir` is written."""
    return Path(data_dir) / LOG_DIR / LOG_FILE


def setup_logging(data_dir: str | os.PathLike, *, console: bool = False,
                  console_level: int = logging.INFO) -> Path:
    """Log to `<data_dir>/logs/dikjamila.log` (and to stderr when `console`); return the file's path.

    Replaces the handlers an earlier call installed (another data dir, a second start in a
    test), so records are never written twice. Raises OSError when the folder or the file
    cannot be created; the caller decides whether to go on without a log file.
    """
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    formatter = MaskingFormatter(LOG_FORMAT)
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    handlers: list[logging.Handler] = [file_handler]
    file_handler.setLevel(logging.INFO)
    if console:
        handlers.append(ConsoleHandler(console_level))
    close_logging()
    root = logging.getLogger()
    for handler in handlers:
        handler.setFormatter(formatter)
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    if root.getEffectiveLevel() > logging.INFO:
        root.setLevel(logging.INFO)
    return path


def start_logging(data_dir: str | os.PathLike, what: str, *, console: bool = False,
                  console_level: int = logging.INFO) -> Path | None:
    """`setup_logging`, then a first line naming the version, `what` started and the data dir.

    A log file that cannot be written (read-only or full disk) costs only the log: a warning
    goes to the console and None is returned; the program goes on.
    """
    try:
        path = setup_logging(data_dir, console=console, console_level=console_level)
    except OSError:
        log.warning("the log file in %s cannot be written; going on without it", data_dir, exc_info=True)
        return None
    log.info("Dik Jamila %s: %s (data dir %s, pid %d)", __version__, what, data_dir, os.getpid())
    return path


def close_logging() -> None:
    """Remove and close the handlers `setup_logging` installed (the file is then free to move)."""
    remove_marked_handlers(_MARK)


def remove_marked_handlers(mark: str) -> None:
    """Remove and close the root logger's handlers that carry the attribute `mark`."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, mark, False):
            root.removeHandler(handler)
            handler.close()
