"""The `dikjamila` command: the workstation, or a core command when one is named."""

import subprocess
import sys

from ui.app import _command_word


def test_the_command_word_skips_option_values():
    assert _command_word(["--data-dir", "D", "inbox", "--json"]) == "inbox"
    assert _command_word(["--db-url", "sqlite:///x.db", "check", "BLG-1"]) == "check"
    assert _command_word(["--demo"]) is None
    assert _command_word(["--data-dir", "inbox"]) is None  # a folder called "inbox"
    assert _command_word(["-platform", "offscreen", "--demo"]) is None  # Qt's own option


def test_a_mistyped_command_says_so_and_opens_no_window(tmp_path):
    script = ("import sys; from ui.app import main; code = main(['zzz-bukan-perintah', '--data-dir', sys.argv[1]]);"
              "assert 'PySide6.QtWidgets' not in sys.modules, 'Qt loaded for a typo'; sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "kantor")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "perintah 'zzz-bukan-perintah' tidak dikenal" in result.stderr and "inbox" in result.stderr


def test_a_named_command_runs_without_starting_qt(tmp_path):
    script = ("import sys; from ui.app import main; code = main(['--data-dir', sys.argv[1], 'sop', 'list']);"
              "assert 'PySide6.QtWidgets' not in sys.modules, 'Qt loaded for a CLI command'; sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "kantor")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Akta Kelahiran" in result.stdout


def test_self_test_passes(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ui", "--self-test"], capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "self-test passed" in result.stdout and "PDF render ok" in result.stdout
