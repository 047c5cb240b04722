"""The pywhatkit transport: text notices typed into WhatsApp Web, where no linked device is allowed.

pywhatkit cannot send a PDF and cannot tell whether a message went out, so a text it typed is
`handed_over`. It never runs in the workstation's process: its import makes a blocking request
to google.com and needs a display, and it writes `PyWhatKit_DB.txt` (numbers and texts) into
the current directory. Each send runs `pywhatkit_child` in a child process (no shell) whose
working directory is a fresh private temporary folder, wiped when the child ends.

The child reports `{"stage": "typing"}` once pywhatkit is loaded; a child that times out or
fails after that may already have typed and sent the message, so the outcome is `uncertain`
(an operator checks WhatsApp); before it, nothing was typed and the send simply failed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dikjamila.i18n import tr
from dikjamila.whatsapp.transports.base import Outgoing, SendOutcome, SendStatus

log = logging.getLogger(__name__)

CHILD_MODULE = "dikjamila.whatsapp.transports.pywhatkit_child"
_PROJECT_ROOT = Path(__file__).resolve().parents[3]  # the folder holding the dikjamila package


class PywhatkitTransport:
    name = "pywhatkit"

    def __init__(self, *, python: str = sys.executable, timeout_s: float = 120, wait_time: int = 20,
                 close_time: int = 3):
        if wait_time < 4:  # pywhatkit sleeps 4 s, then wait_time - 4 s
            raise ValueError("wait_time must be at least 4 seconds")
        self.python = python
        self.timeout_s = timeout_s
        self.wait_time = wait_time
        self.close_time = close_time

    def close(self) -> None:
        """No process outlives a send."""

    def send(self, message: Outgoing) -> SendOutcome:
        if message.document is not None:
            return SendOutcome(SendStatus.FAILED_PERMANENT, error=tr(
                "pywhatkit tidak bisa mengirim PDF; pakai perangkat tertaut atau Cloud API."),
                detail="pywhatkit cannot send documents")
        if not message.text.strip():
            return SendOutcome(SendStatus.FAILED_PERMANENT, error=tr("Pesan kosong tidak dikirim."),
                               detail="empty text")
        digits = "".join(ch for ch in message.recipient if ch.isdigit())
        request = {"to": "+" + digits, "text": message.text, "wait_time": self.wait_time,
                   "close_time": self.close_time}
        workdir = Path(tempfile.mkdtemp(prefix="dikjamila-pywhatkit-"))
        try:
            return self._run(request, workdir)
        finally:
            _wipe(workdir)

    def _run(self, request: dict, workdir: Path) -> SendOutcome:
        try:
            done = subprocess.run(
                child_command(self.python), check=False, input=json.dumps(request).encode("utf-8"),
                capture_output=True, cwd=workdir, env=_child_env(), timeout=self.timeout_s,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        except subprocess.TimeoutExpired as exc:
            typing = _typing(_lines(exc.stdout))
            detail = f"child timed out after {self.timeout_s}s; stderr: {_tail(exc.stderr)}"
            if typing:
                return SendOutcome(SendStatus.UNCERTAIN, detail=detail, error=tr(
                    "pywhatkit tidak selesai dalam {seconds} detik setelah mulai mengetik di "
                    "WhatsApp Web; belum pasti pesan terkirim. Periksa di WhatsApp sebelum "
                    "mengirim ulang.", seconds=int(self.timeout_s)))
            return SendOutcome(SendStatus.FAILED, detail=detail, error=tr(
                "pywhatkit tidak merespons dalam {seconds} detik, sebelum membuka WhatsApp Web; "
                "pesan belum terkirim.", seconds=int(self.timeout_s)))
        except OSError as exc:
            log.warning("cannot start the pywhatkit child with %s", self.python, exc_info=True)
            return SendOutcome(SendStatus.FAILED, detail=f"cannot start child: {exc!r}", error=tr(
                "Proses pywhatkit tidak bisa dijalankan: {error}", error=exc.strerror or exc))
        return self._outcome(done)

    def _outcome(self, done: subprocess.CompletedProcess) -> SendOutcome:
        lines = _lines(done.stdout)
        result = next((line for line in reversed(lines) if "ok" in line), None)
        if result is not None and result["ok"] is True and done.returncode == 0:
            return SendOutcome(SendStatus.HANDED_OVER, detail="typed into WhatsApp Web by pywhatkit")
        reason = str((result or {}).get("error") or f"exit status {done.returncode}")
        kind = (result or {}).get("kind", "")
        detail = f"pywhatkit child: {kind or 'crashed'}: {reason}; stderr: {_tail(done.stderr)}"
        log.warning("pywhatkit send failed: %s", detail)
        if kind == "not_installed":
            error = tr("pywhatkit belum terpasang di PC ini; pasang paket pywhatkit atau pilih "
                       "cara kirim lain di Pengaturan WhatsApp.")
        elif kind == "no_internet":
            error = tr("pywhatkit tidak bisa memeriksa koneksi internet; pesan belum terkirim.")
        elif _typing(lines):
            return SendOutcome(SendStatus.UNCERTAIN, detail=detail, error=tr(
                "pywhatkit gagal setelah mulai mengetik di WhatsApp Web ({reason}); belum pasti "
                "pesan terkirim. Periksa di WhatsApp sebelum mengirim ulang.", reason=reason))
        else:
            error = tr("pywhatkit gagal, pesan belum terkirim: {reason}", reason=reason)
        return SendOutcome(SendStatus.FAILED, error=error, detail=detail)


def child_command(python: str = sys.executable) -> list[str]:
    """The command that starts the child: `python -m …`, in a frozen bundle its console build.

    A PyInstaller bundle has no `-m`: there the internal sub-command `dikjamila-cli whatsapp
    pywhatkit-child` runs the same `pywhatkit_child.main()` (same rule as `worker_command`)."""
    if getattr(sys, "frozen", False):
        exe = Path(sys.executable)
        console = exe.with_name("dikjamila-cli" + exe.suffix)
        return [str(console if console.exists() else exe), "whatsapp", "pywhatkit-child"]
    return [python, "-m", CHILD_MODULE]


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(_PROJECT_ROOT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _lines(output: bytes | str | None) -> list[dict]:
    """The JSON objects the child wrote, one a line (anything else is ignored)."""
    if isinstance(output, bytes):
        output = output.decode("utf-8", errors="replace")
    found = []
    for line in (output or "").splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            found.append(value)
    return found


def _typing(lines: list[dict]) -> bool:
    return any(line.get("stage") == "typing" for line in lines)


def _tail(output: bytes | str | None, limit: int = 2000) -> str:
    if isinstance(output, bytes):
        output = output.decode("utf-8", errors="replace")
    return (output or "")[-limit:]


def _wipe(workdir: Path) -> None:
    """Remove the child's folder and pywhatkit's `PyWhatKit_DB.txt` in it (personal data)."""
    for attempt in range(3):
        try:
            shutil.rmtree(workdir)
            return
        except FileNotFoundError:
            return
        except OSError:
            if attempt == 2:
                log.exception("could not wipe pywhatkit's working folder %s (it may hold numbers "
                              "and texts); remove it by hand", workdir)
                return
            time.sleep(0.5)  # Windows: a killed child may hold its folder for a moment
