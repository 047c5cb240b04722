"""The child processes in a PyInstaller bundle, where there is no `python -m`.

The WhatsApp worker and the pywhatkit child run as `dikjamila-cli whatsapp worker|pywhatkit-child`
when frozen (the console build beside the windowed one), and the self-test starts the worker
the same way the supervisor does.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dikjamila.cli.main import build_parser
from dikjamila.cli.whatsapp_cmd import run_pywhatkit_child
from dikjamila.whatsapp import supervisor
from dikjamila.whatsapp.transports import pywhatkit_transport
from dikjamila.whatsapp.transports.pywhatkit_transport import (
    CHILD_MODULE,
    child_command,
)


def _frozen(monkeypatch, folder: Path, *, with_cli: bool) -> Path:
    exe = folder / "dikjamila"
    exe.write_bytes(b"")
    if with_cli:
        (folder / "dikjamila-cli").write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    return exe


def test_from_source_the_children_run_with_python_m():
    assert child_command("/x/python") == ["/x/python", "-m", CHILD_MODULE]
    assert supervisor.worker_command(Path("/d"))[:3] == [sys.executable, "-m", "dikjamila.whatsapp.worker"]


def test_in_the_bundle_the_children_run_from_the_console_build(monkeypatch, tmp_path):
    _frozen(monkeypatch, tmp_path, with_cli=True)
    cli = str(tmp_path / "dikjamila-cli")
    assert child_command("/ignored/python") == [cli, "whatsapp", "pywhatkit-child"]
    assert supervisor.worker_command(tmp_path / "d", "+628") == [
        cli, "whatsapp", "worker", "--data-dir", str(tmp_path / "d"), "--account", "+628"]


def test_in_a_bundle_without_the_console_build_the_main_exe_is_used(monkeypatch, tmp_path):
    exe = _frozen(monkeypatch, tmp_path, with_cli=False)
    assert child_command() == [str(exe), "whatsapp", "pywhatkit-child"]
    assert supervisor.worker_command(tmp_path)[:3] == [str(exe), "whatsapp", "worker"]


def test_the_transport_starts_its_child_with_that_command(monkeypatch, tmp_path):
    seen = []

    def fake_run(command, **kwargs):
        seen.append(command)
        return subprocess.CompletedProcess(command, 0, stdout=b'{"stage": "typing"}\n{"ok": true}\n', stderr=b"")

    _frozen(monkeypatch, tmp_path, with_cli=True)
    monkeypatch.setattr(pywhatkit_transport.subprocess, "run", fake_run)
    from dikjamila.whatsapp.transports.base import Outgoing

    outcome = pywhatkit_transport.PywhatkitTransport().send(Outgoing(item_id=1, recipient="+6281234567890", text="Halo"))
    assert seen == [[str(tmp_path / "dikjamila-cli"), "whatsapp", "pywhatkit-child"]]
    assert outcome.status.value == "handed_over"


def test_pywhatkit_child_is_an_internal_whatsapp_subcommand():
    args = build_parser().parse_args(["whatsapp", "pywhatkit-child"])
    assert args.run is run_pywhatkit_child


def test_the_subcommand_runs_the_child(tmp_path):
    """Through `dikjamila` as the bundle runs it (ui.app.main): a bad request is answered in JSON."""
    done = subprocess.run([sys.executable, "-m", "ui", "whatsapp", "pywhatkit-child"], input=b"{}",
                          capture_output=True, cwd=tmp_path, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    answer = json.loads(done.stdout.decode().strip().splitlines()[-1])
    assert answer["ok"] is False and answer["kind"] == "bad_input"


# -- the self-test's worker check -------------------------------------------------------------
def test_the_self_test_starts_the_real_worker():
    from ui.self_test import _check_whatsapp_worker

    line = _check_whatsapp_worker()
    assert line.startswith("WhatsApp worker ok") and "ping → pong" in line and "exit 0" in line


def _fake_worker(monkeypatch, tmp_path, body: str):
    script = tmp_path / "fake_worker.py"
    script.write_text("import sys, json\n" + body, encoding="utf-8")
    monkeypatch.setattr(supervisor, "worker_command", lambda data_dir, account="": [sys.executable, str(script)])


def test_a_worker_that_cannot_load_its_library_fails_the_self_test(monkeypatch, tmp_path):
    from ui.self_test import _check_whatsapp_worker

    _fake_worker(monkeypatch, tmp_path, "print(json.dumps({'event': 'error', 'fatal': True, "
                                        "'message': 'no Go library'}), flush=True)\nsys.exit(4)\n")
    with pytest.raises(RuntimeError, match=r"no Go library.*\(exit code 4\)"):
        _check_whatsapp_worker()


def test_a_worker_that_never_gets_ready_is_killed(monkeypatch, tmp_path):
    from ui import self_test

    monkeypatch.setattr(self_test, "WORKER_READY_TIMEOUT_S", 1.0)
    _fake_worker(monkeypatch, tmp_path, "import time\ntime.sleep(60)\n")
    with pytest.raises(RuntimeError, match="no 'ready' event within 1 s"):
        self_test._check_whatsapp_worker()


def test_a_worker_that_does_not_exit_when_stdin_closes_fails(monkeypatch, tmp_path):
    from ui import self_test

    monkeypatch.setattr(self_test, "WORKER_EXIT_TIMEOUT_S", 1.0)
    _fake_worker(monkeypatch, tmp_path, (
        "print(json.dumps({'event': 'ready', 'pid': 1, 'version': 'x', 'account': ''}), flush=True)\n"
        "line = sys.stdin.readline()\n"
        "print(json.dumps({'event': 'pong', 'id': json.loads(line)['id']}), flush=True)\n"
        "sys.stdin.read()\nimport time\ntime.sleep(60)\n"))
    with pytest.raises(RuntimeError, match="did not exit within 1 s"):
        self_test._check_whatsapp_worker()
