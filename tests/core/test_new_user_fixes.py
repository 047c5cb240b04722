"""What a new user met when first trying the program: each refusal is Indonesian, exits non-zero,
shows no traceback and leaves nothing behind."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from dikjamila.cli.main import main
from dikjamila.config import DATABASE_FILE, Paths, Settings, save_settings
from dikjamila.demo.paperwork import document_pdf
from dikjamila.errors import InvalidInput, UserError
from dikjamila.logs import close_logging, log_path
from dikjamila.office import Office

from .conftest import new_request

ROOT = Path(__file__).resolve().parents[2]
NO_OFFICE = "belum berisi data kantor. Jalankan `dikjamila` sekali untuk membuatnya, atau periksa --data-dir."

# The workstation as `dikjamila` starts it, except that a sign-in dialog or the main window, if
# one were ever shown, says so and goes away.
WINDOW = """
import sys
from ui import login, main_window

def shown(self, *args):
    print("WINDOW-SHOWN")
    return 0

login.FirstRunDialog.exec = login.LoginDialog.exec = main_window.MainWindow.show = shown
from ui.app import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(autouse=True)
def root_logging():
    """A command that opens an office logs to its data dir: put the root logger back afterwards."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    close_logging()
    root.setLevel(level)
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DIKJAMILA_HOME"}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / ".xdg-data"),
               XDG_CONFIG_HOME=str(tmp_path / ".xdg-config"))
    return env


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def cli_process(tmp_path: Path, *args: str, stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dikjamila.cli.main", *args], cwd=tmp_path, env=_env(tmp_path),
                          stdin=stdin, capture_output=True, text=True, timeout=120, check=False)


def window(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WINDOW, *args], cwd=ROOT, env=_env(tmp_path),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, check=False)


def files_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


# -- a. a data dir that cannot be used ----------------------------------------------------------

@pytest.fixture
def a_file(tmp_path) -> Path:
    path = tmp_path / "catatan.txt"
    path.write_text("bukan folder", encoding="utf-8")
    return path


def test_a_data_dir_that_is_a_file_is_refused_by_the_command_line(capsys, a_file):
    for command in (["inbox"], ["user", "add", "admin", "--name", "A", "--role", "admin", "--password-stdin"],
                    ["demo", "--count", "1"]):
        code, out, err = cli(capsys, "--data-dir", str(a_file), *command)
        assert code == 2, command
        assert err == f"Galat: Folder data {a_file} tidak bisa dipakai: itu sebuah berkas, bukan folder.\n"
        assert out == ""
    assert a_file.read_text(encoding="utf-8") == "bukan folder"


def test_a_data_dir_under_a_file_is_refused_by_the_command_line(tmp_path, a_file):
    done = cli_process(tmp_path, "--data-dir", str(a_file / "kantor"), "demo", "--count", "1")
    assert done.returncode == 2, done.stderr
    assert done.stderr == (f"Galat: Folder data {a_file / 'kantor'} tidak bisa dipakai: salah satu folder di "
                           "jalurnya ternyata sebuah berkas.\n")
    # A read-only command says there is no office there (it would not make one anyway).
    done = cli_process(tmp_path, "--data-dir", str(a_file / "kantor"), "inbox")
    assert done.returncode == 2 and NO_OFFICE in done.stderr and "Traceback" not in done.stderr


def test_a_data_dir_that_is_a_file_opens_no_window(tmp_path, a_file):
    for data_dir, reason in ((a_file, "itu sebuah berkas, bukan folder"),
                             (a_file / "kantor", "salah satu folder di jalurnya ternyata sebuah berkas")):
        done = window(tmp_path, "--data-dir", str(data_dir))
        assert done.returncode == 2, done.stderr
        assert done.stderr == f"Galat: Folder data {data_dir} tidak bisa dipakai: {reason}.\n"
        assert "WINDOW-SHOWN" not in done.stdout
    assert a_file.read_text(encoding="utf-8") == "bukan folder"
    assert not list(tmp_path.rglob(DATABASE_FILE))


@pytest.mark.parametrize("error, reason", [
    (PermissionError(13, "Permission denied"), "tidak ada izin untuk membuat atau menulis berkas di sana"),
    (OSError(30, "Read-only file system"), "tempat itu hanya bisa dibaca"),
    (OSError(28, "No space left on device"), "disk penuh"),
])
def test_a_data_dir_where_nothing_can_be_written_is_refused(tmp_path, monkeypatch, error, reason):
    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    with pytest.raises(InvalidInput) as caught:
        Office.open(tmp_path / "kantor")
    assert caught.value.message == f"Folder data {tmp_path / 'kantor'} tidak bisa dipakai: {reason}."
    assert "denied" not in caught.value.message and not (tmp_path / "kantor" / DATABASE_FILE).exists()


def test_a_read_only_folder_is_refused_for_real(tmp_path, capsys):
    locked = tmp_path / "terkunci"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        try:
            (locked / "x").touch()
            # Root writes in a 0555 folder (CI runs as root): use a place even root cannot
            # write in, sysfs on Linux.
            target = Path("/sys")
        except OSError:
            target = locked
        code, _, err = cli(capsys, "--data-dir", str(target / "kantor"), "demo", "--count", "1")
        assert code == 2 and err.startswith(f"Galat: Folder data {target / 'kantor'} tidak bisa dipakai: ")
        assert "Traceback" not in err and "Permission" not in err
    finally:
        locked.chmod(0o755)


# -- b. a password asked for with no terminal ------------------------------------------------------

def test_user_add_without_a_terminal_says_to_use_password_stdin(tmp_path):
    done = cli_process(tmp_path, "user", "add", "admin", "--name", "Admin", "--role", "admin", "--data-dir", "K")
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("Galat: Tidak ada terminal untuk mengetik kata sandi. Tambahkan --password-stdin")
    assert "Traceback" not in done.stderr and "EOFError" not in done.stderr
    assert not (tmp_path / "K").exists()


def test_user_add_whose_terminal_gives_no_password_is_refused(tmp_path, capsys, monkeypatch):
    import getpass

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    def no_input(prompt=""):
        raise EOFError

    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(getpass, "getpass", no_input)
    code, _, err = cli(capsys, "user", "add", "admin", "--name", "Admin", "--role", "admin",
                       "--data-dir", str(tmp_path / "K"))
    assert code == 2 and err == "Galat: Kata sandi tidak dimasukkan; pengguna tidak dibuat.\n"


# -- c. read-only commands on a folder without an office ---------------------------------------------

@pytest.mark.parametrize("command", [["inbox"], ["check", "BLG-20261127-0001"], ["sop", "list"],
                                     ["audit", "verify"], ["user", "list"], ["backup"]])
def test_a_read_only_command_makes_no_office(tmp_path, capsys, command):
    missing, empty = tmp_path / "tidak-ada", tmp_path / "kosong"
    empty.mkdir()
    for folder in (missing, empty):
        code, out, err = cli(capsys, *command, "--data-dir", str(folder))
        assert code == 2 and out == ""
        assert err == f"Galat: Folder {folder} {NO_OFFICE}\n"
    assert not missing.exists() and files_under(empty) == []


def test_office_open_without_create_leaves_the_folder_alone(tmp_path):
    with pytest.raises(UserError, match="belum berisi data kantor"):
        Office.open(tmp_path / "kantor", create=False)
    assert not (tmp_path / "kantor").exists()


def test_an_office_whose_database_is_elsewhere_is_recognised(tmp_path, capsys):
    data_dir, shared = tmp_path / "kantor", tmp_path / "bersama" / "pusat.db"
    save_settings(Paths(data_dir), Settings(database_url=f"sqlite:///{shared}"))
    Office.open(data_dir).close()
    assert shared.is_file() and not (data_dir / DATABASE_FILE).exists()
    code, out, err = cli(capsys, "inbox", "--json", "--data-dir", str(data_dir))
    assert code == 0 and out.strip() == "[]", err
    # So is one named with --db-url, and an office made the usual way.
    code, out, err = cli(capsys, "inbox", "--json", "--data-dir", str(tmp_path / "lain"), "--db-url",
                         f"sqlite:///{shared}")
    assert code == 0 and out.strip() == "[]", err
    Office.open(tmp_path / "biasa").close()
    assert cli(capsys, "sop", "list", "--data-dir", str(tmp_path / "biasa"))[0] == 0


# -- d. database errors in Indonesian, the detail in the log ---------------------------------------

@pytest.fixture
def not_a_database(tmp_path) -> str:
    path = tmp_path / "rusak.sqlite3"
    path.write_bytes(b"ini bukan basis data SQLite " * 200)
    return f"sqlite:///{path}"


def test_a_database_error_is_indonesian_on_the_terminal_and_english_in_the_log(tmp_path, not_a_database):
    data_dir = tmp_path / "kantor"
    done = cli_process(tmp_path, "inbox", "--data-dir", str(data_dir), "--db-url", not_a_database)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (f"Galat: Basis data tidak bisa dibuka ({not_a_database}). Periksa alamat basis data "
                           "(pengaturan atau --db-url), jaringan, dan server basis data; rinciannya ada di "
                           "berkas log.\n")
    log = log_path(data_dir).read_text(encoding="utf-8")
    assert "could not be opened" in log and "file is not a database" in log


def test_a_database_error_opens_no_window(tmp_path, not_a_database):
    data_dir = tmp_path / "kantor"
    done = window(tmp_path, "--data-dir", str(data_dir), "--db-url", not_a_database)
    assert done.returncode == 2, done.stderr
    assert f"Galat: Basis data tidak bisa dibuka ({not_a_database}). Periksa" in done.stderr
    assert "WINDOW-SHOWN" not in done.stdout
    assert "file is not a database" in log_path(data_dir).read_text(encoding="utf-8")


def test_the_office_message_carries_no_driver_text(tmp_path, not_a_database):
    with pytest.raises(UserError) as caught:
        Office.open(tmp_path / "kantor", not_a_database)
    message = caught.value.message
    assert "not a database" not in message and "sqlalche.me" not in message and "Error" not in message
    assert "file is not a database" in str(caught.value.__cause__)  # kept for the log


# -- e. refused attachments leave no blob -------------------------------------------------------------

def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 180, 150)).save(out, "JPEG")
    return out.getvalue()


def blob_files(office) -> list[Path]:
    return sorted(p for p in office.paths.blobs_dir.rglob("*") if p.is_file() and "thumbs" not in p.parts)


@pytest.fixture
def desk(staffed_office, staff):
    return staffed_office.desk(staff["sari"])


def test_a_photo_given_as_the_issued_document_stores_nothing(staffed_office, desk, tmp_path):
    request_id = desk.create_request(new_request()).id
    desk.claim(request_id)
    photo = tmp_path / "akta.pdf"  # a photo, whatever its name says
    photo.write_bytes(jpeg())
    for source in (jpeg(), photo):
        with pytest.raises(InvalidInput, match="Dokumen terbit harus berupa PDF; .* adalah foto"):
            desk.attach_file(request_id, source, role="issued")
    assert blob_files(staffed_office) == []
    assert desk.get_request(request_id, record_view=False).attachments == []


def test_a_file_for_a_closed_request_stores_nothing(staffed_office, desk):
    request_id = desk.create_request(new_request()).id
    desk.claim(request_id)
    desk.reject(request_id, "Pemohon membatalkan permohonan lewat WhatsApp")
    for source, role in ((document_pdf("AKTA KELAHIRAN", holder="Siti"), "issued"), (jpeg(), "resident")):
        with pytest.raises(InvalidInput, match="sudah ditutup"):
            desk.attach_file(request_id, source, "berkas", role=role)
    assert blob_files(staffed_office) == []
