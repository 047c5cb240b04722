"""A workstation start writes `<data dir>/logs/dikjamila.log`; `--self-test` says where it is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dikjamila.logs import log_path

# The first-run / sign-in dialog is the first thing a start waits for: here the operator cancels it.
START = """
import sys
from ui import login
login.FirstRunDialog.exec = login.LoginDialog.exec = lambda self: 0
from ui.app import main
sys.exit(main(["--data-dir", sys.argv[1]]))
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DIKJAMILA_HOME"}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / ".xdg-data"),
               XDG_CONFIG_HOME=str(tmp_path / ".xdg-config"))
    return env


def test_a_workstation_start_writes_the_log_file(tmp_path):
    data_dir = tmp_path / "kantor"
    result = subprocess.run([sys.executable, "-c", START, str(data_dir)], cwd=tmp_path, env=_env(tmp_path),
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    text = log_path(data_dir).read_text(encoding="utf-8")
    assert "workstation starting" in text and str(data_dir) in text
    assert "workstation starting" in result.stderr  # and to the terminal, when there is one


def test_self_test_prints_where_the_log_is(tmp_path):
    data_dir = tmp_path / "kantor"
    result = subprocess.run([sys.executable, "-m", "ui", "--self-test", "--data-dir", str(data_dir)],
                            cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert f"log file of the workstation: {log_path(data_dir)}" in result.stdout
    assert "log ok" in result.stdout
    assert not data_dir.exists()  # the self-test works in a temp folder, not in the office's
