"""The `dikjamila` command: the workstation, or a core command when one is named."""

import subprocess
import sys

from dikjamila.office import Office
from ui.app import _command_word


def test_the_command_word_skips_option_values():
    assert _command_word(["--data-dir", "D", "inbox", "--json"]) == "inbox"
    assert _command_word(["--db-url", "sqlite:///x.db", "check", "BLG-1"]) == "check"
    assert _command_word(["--demo"]) is None
    assert _command_word(["--data-dir", "inbox"]) is None  # a folder called "inbox"
    assert _command_word(["-platform", "offscreen", "--demo"]) is None  # Qt's own option


def test_a_mistyped_command_says_so_and_opens_no_window(tmp_path):
    result = _main_without_qt(["zzz-bukan-perintah", "--data-dir", "D"], tmp_path / "kantor")
    assert result.returncode == 2, result.stderr
    assert "perintah 'zzz-bukan-perintah' tidak dikenal" in result.stderr and "inbox" in result.stderr


def test_a_mistyped_option_says_so_and_opens_no_window(tmp_path):
    """`--dmeo` for `--demo` must not open the office's real data."""
    result = _main_without_qt(["--dmeo"], tmp_path / "kantor")
    assert result.returncode == 2, result.stderr
    assert "pilihan tidak dikenal: --dmeo" in result.stderr and "--help" in result.stderr
    assert not (tmp_path / "kantor").exists()


def test_qts_own_options_are_handed_to_qt():
    from ui.app import parse_args

    args = parse_args(["-platform", "offscreen", "--demo", "-reverse"])
    assert args.demo and args.qt_args == ["-platform", "offscreen", "-reverse"]


def _main_without_qt(args: list[str], data_dir) -> subprocess.CompletedProcess:
    """`ui.app.main(args)` in a fresh process ("D" in args is replaced by `data_dir`); fails if Qt loaded."""
    script = ("import sys; from ui.app import main; "
              f"code = main([sys.argv[1] if a == 'D' else a for a in {args!r}]);"
              "assert 'PySide6.QtWidgets' not in sys.modules, 'Qt loaded'; sys.exit(code)")
    return subprocess.run([sys.executable, "-c", script, str(data_dir)], capture_output=True, text=True, timeout=120)


def test_help_names_the_workstation_options_without_starting_qt(tmp_path):
    result = _main_without_qt(["--help"], tmp_path / "kantor")
    assert result.returncode == 0, result.stderr
    for option in ("--demo", "--kiosk", "--self-test", "kiosk"):
        assert option in result.stdout


def test_a_named_command_runs_without_starting_qt(tmp_path):
    Office.open(tmp_path / "kantor").close()  # `sop list` only reads: it needs an existing office
    result = _main_without_qt(["--data-dir", "D", "sop", "list"], tmp_path / "kantor")
    assert result.returncode == 0, result.stderr
    assert "Akta Kelahiran" in result.stdout


def test_self_test_passes(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ui", "--self-test"], capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "self-test passed" in result.stdout and "receipt PDF ok" in result.stdout and "calendar ok" in result.stdout
