"""The pywhatkit transport: the REAL pywhatkit runs, in a child process, in a private folder.

Where the edges are cut, and why there:
- pywhatkit's own code is not replaced: it builds the WhatsApp Web URL, checks the number
  format, sleeps, writes `PyWhatKit_DB.txt` into its working directory and closes the tab.
- The browser is cut at the lowest documented layer: the standard library's `webbrowser`
  honours the `BROWSER` environment variable, so the real `webbrowser.open` runs and launches
  a tiny recorder script instead of a browser; the test reads the URL it was given.
- `pyautogui` (real key presses and clicks, and a display needed at import) and `requests`
  (pywhatkit's import calls `requests.get("https://google.com")`) are replaced by stand-in
  modules in a folder named by `DIKJAMILA_PYWHATKIT_STUB_DIR`, which only the child puts first
  on `sys.path`. They record what they were asked and the child's working directory.
Nothing of ours is mocked; the transport starts the child exactly as in production.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from dikjamila.whatsapp.transports.base import Outgoing, SendStatus
from dikjamila.whatsapp.transports.pywhatkit_child import STUB_ENV
from dikjamila.whatsapp.transports.pywhatkit_transport import PywhatkitTransport

PYAUTOGUI = '''
import json, os, pathlib
FAILSAFE = True
_LOG = pathlib.Path(__file__).with_name("pyautogui.jsonl")

def _record(call, *args):
    db = pathlib.Path("PyWhatKit_DB.txt")
    entry = {"call": call, "args": list(args), "cwd": os.getcwd(),
             "db": db.read_text(encoding="utf-8") if db.exists() else None}
    with open(_LOG, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\\n")

def size(): return (1366, 768)
def click(*args, **kwargs): _record("click", *args)
def press(*args, **kwargs): _record("press", *args)
def hotkey(*args, **kwargs): _record("hotkey", *args)
def typewrite(*args, **kwargs): _record("typewrite", *args)
'''

REQUESTS = '''
import json, os, pathlib, time
class RequestException(Exception):
    pass

def get(url, *args, **kwargs):
    with open(pathlib.Path(__file__).with_name("requests.jsonl"), "a", encoding="utf-8") as f:
        f.write(json.dumps({"url": url, "cwd": os.getcwd()}) + "\\n")
    BEHAVIOUR
    return None
'''

RECORD_URL = '''
import pathlib, sys
with open(pathlib.Path(__file__).with_name("urls.txt"), "a", encoding="utf-8") as f:
    f.write(sys.argv[1] + "\\n")
'''


@pytest.fixture
def edges(tmp_path, monkeypatch):
    """Write the stand-ins; `edges(behaviour)` picks what `requests.get` does."""
    stub_dir = tmp_path / "stubs"
    stub_dir.mkdir()

    def make(behaviour: str = "pass") -> Path:
        (stub_dir / "pyautogui.py").write_text(PYAUTOGUI, encoding="utf-8")
        (stub_dir / "requests.py").write_text(REQUESTS.replace("BEHAVIOUR", behaviour), encoding="utf-8")
        recorder = stub_dir / "record_url.py"
        recorder.write_text(RECORD_URL, encoding="utf-8")
        monkeypatch.setenv(STUB_ENV, str(stub_dir))
        monkeypatch.setenv("BROWSER", f'"{sys.executable}" "{recorder}" %s')
        return stub_dir

    return make


def _records(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _text(text="Berkas Anda lengkap & siap diambil besok"):
    return Outgoing(item_id=11, recipient="+6281234567890", text=text)


def test_text_is_typed_by_pywhatkit_in_a_child_and_its_folder_is_wiped(edges):
    stubs = edges()
    outcome = PywhatkitTransport(wait_time=4, close_time=0, timeout_s=60).send(_text())

    assert outcome.status is SendStatus.HANDED_OVER, outcome
    urls = (stubs / "urls.txt").read_text(encoding="utf-8").splitlines()
    assert urls == [("https://web.whatsapp.com/send?phone=+6281234567890"
                     "&text=Berkas%20Anda%20lengkap%20%26%20siap%20diambil%20besok")]
    calls = _records(stubs / "pyautogui.jsonl")
    assert [(c["call"], c["args"][:2]) for c in calls] == [
        ("click", [683.0, 384.0]), ("press", ["enter"]), ("hotkey", ["ctrl", "w"]),
        ("press", ["enter"])]
    # pywhatkit logged the number and text into its working directory: a private one...
    workdir = Path(calls[-1]["cwd"])
    assert "Phone Number: +6281234567890" in calls[-1]["db"]
    assert workdir != Path.cwd() and workdir.name.startswith("dikjamila-pywhatkit-")
    # ...that is gone now, with PyWhatKit_DB.txt in it.
    assert not workdir.exists()
    # pywhatkit's import-time request to google.com happened in the child, never here.
    assert _records(stubs / "requests.jsonl") == [{"url": "https://google.com", "cwd": str(workdir)}]
    assert "pywhatkit" not in sys.modules


def test_a_pdf_is_refused_and_no_child_starts(edges, tmp_path):
    stubs = edges()
    pdf = tmp_path / "akta.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    message = Outgoing(item_id=13, recipient="+6281234567890", text="Akta", document=pdf,
                       document_name="akta.pdf")
    # A python that does not exist: starting any child would fail differently.
    outcome = PywhatkitTransport(python=str(tmp_path / "no-python")).send(message)

    assert outcome.status is SendStatus.FAILED_PERMANENT
    assert "pywhatkit tidak bisa mengirim PDF" in outcome.error
    assert "perangkat tertaut" in outcome.error and "Cloud API" in outcome.error
    assert not (stubs / "requests.jsonl").exists()


def test_timeout_after_typing_started_is_uncertain(edges):
    stubs = edges()
    outcome = PywhatkitTransport(wait_time=30, timeout_s=2.5).send(_text())

    assert outcome.status is SendStatus.UNCERTAIN
    assert "belum pasti" in outcome.error
    workdir = Path(_records(stubs / "requests.jsonl")[0]["cwd"])
    assert not workdir.exists()


def test_timeout_before_pywhatkit_loaded_is_a_plain_failure(edges):
    stubs = edges("time.sleep(30)")
    outcome = PywhatkitTransport(wait_time=4, timeout_s=1.5).send(_text())

    assert outcome.status is SendStatus.FAILED
    assert "sebelum membuka WhatsApp Web" in outcome.error
    assert not (stubs / "urls.txt").exists()
    workdir = Path(_records(stubs / "requests.jsonl")[0]["cwd"])
    assert not workdir.exists()


def test_child_failure_is_a_failure_with_the_reason(edges):
    stubs = edges("raise RequestException('offline')")
    outcome = PywhatkitTransport(wait_time=4).send(_text())

    assert outcome.status is SendStatus.FAILED
    assert "koneksi internet" in outcome.error
    assert "InternetException" in outcome.detail
    assert not (stubs / "urls.txt").exists()
    assert "pywhatkit" not in sys.modules


def test_importing_the_transport_does_not_import_pywhatkit():
    import subprocess

    code = ("import sys, dikjamila.whatsapp.transports.pywhatkit_transport as t; "
            "t.PywhatkitTransport(); print('pywhatkit' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
                          timeout=60, check=True)
    assert done.stdout.strip() == "False"
