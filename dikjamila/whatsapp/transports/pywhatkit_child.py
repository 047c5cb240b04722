"""The child process that sends one text through pywhatkit (run by `PywhatkitTransport`).

    python -m dikjamila.whatsapp.transports.pywhatkit_child   < {"to", "text", "wait_time", "close_time"}

pywhatkit is only ever imported here: its import makes a blocking request to google.com and
needs a display, it drives the real keyboard, and it writes `PyWhatKit_DB.txt` (numbers and
texts) into the current directory — which the parent makes a private folder and wipes.

stdout carries JSON lines only (pywhatkit's own prints go to stderr):
    {"stage": "typing"}                 pywhatkit loaded; it now opens WhatsApp Web and types
    {"ok": true}                        pywhatkit returned (it cannot tell whether it was sent)
    {"ok": false, "kind": ..., "error": ...}   kind: not_installed | no_internet | bad_input | error

`DIKJAMILA_PYWHATKIT_STUB_DIR` (tests only) names a folder put first on `sys.path` before
pywhatkit is imported, so stand-ins for its third-party edges (pyautogui, requests) load
instead of the real ones while pywhatkit's own code runs unchanged.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import IO

log = logging.getLogger("dikjamila.whatsapp.pywhatkit_child")

STUB_ENV = "DIKJAMILA_PYWHATKIT_STUB_DIR"


def _emit(out: IO[str], **fields: object) -> None:
    out.write(json.dumps(fields) + "\n")
    out.flush()


def main() -> int:
    out = sys.stdout
    sys.stdout = sys.stderr  # whatever pywhatkit prints must not mix with our answer
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(levelname)s %(message)s")
    try:
        request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        to, text = str(request["to"]), str(request["text"])
        wait_time, close_time = int(request["wait_time"]), int(request["close_time"])
    except (ValueError, KeyError, TypeError) as exc:
        _emit(out, ok=False, kind="bad_input", error=f"bad request: {exc!r}")
        return 2
    if not to.startswith("+"):
        to = "+" + to  # pywhatkit wants the country code with "+"
    if stub_dir := os.environ.get(STUB_ENV):
        sys.path.insert(0, stub_dir)
    try:
        import pywhatkit
    except ModuleNotFoundError as exc:
        kind = "not_installed" if (exc.name or "").split(".")[0] == "pywhatkit" else "error"
        _emit(out, ok=False, kind=kind, error=f"import failed: {exc!r}")
        return 1
    except Exception as exc:  # the traceback goes to stderr, which the parent keeps
        log.exception("pywhatkit could not be imported")
        # pywhatkit's import checks the connection and raises its InternetException.
        kind = "no_internet" if type(exc).__name__ == "InternetException" else "error"
        _emit(out, ok=False, kind=kind, error=f"import failed: {exc!r}")
        return 1
    _emit(out, stage="typing")
    try:
        pywhatkit.sendwhatmsg_instantly(phone_no=to, message=text, wait_time=wait_time,
                                        tab_close=True, close_time=close_time)
    except Exception as exc:  # the traceback goes to stderr, which the parent keeps
        log.exception("pywhatkit failed while sending")
        _emit(out, ok=False, kind="error", error=f"{type(exc).__name__}: {exc}")
        return 1
    _emit(out, ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
