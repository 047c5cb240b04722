"""`dikjamila receipt|notice|bundle NUMBER -o FILE.pdf`, run as a real process on a real office."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from dikjamila.auth.roles import Actor
from dikjamila.office import Office
from tests.whatsapp_support import jpeg, text_pdf

from .conftest import new_request
from .test_cli import cli


@pytest.fixture(scope="module")
def office_dir(tmp_path_factory):
    """An office with one birth-certificate request holding a photo and a PDF."""
    folder = tmp_path_factory.mktemp("paperwork") / "D"
    office = Office.open(folder)
    desk = office.desk(Actor.system("uji"))
    d = desk.create_request(new_request(applicant_name="Ṣiti Ñurul Ħasanah"))
    desk.attach_file(d.id, jpeg(), "surat-lahir.jpg", requirement_code="surat_kelahiran")
    desk.attach_file(d.id, text_pdf("KARTU KELUARGA"), "KK.pdf", requirement_code="kk")
    office.close()
    return folder, d.number


def text(path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


@pytest.mark.parametrize(("command", "title", "pages"), [
    ("receipt", "TANDA TERIMA PERMOHONAN", 1),
    ("notice", "PEMBERITAHUAN KEKURANGAN BERKAS", 1),
    ("bundle", "BERKAS ARSIP PERMOHONAN", 3),
])
def test_each_command_writes_its_pdf(office_dir, tmp_path, command, title, pages):
    folder, number = office_dir
    out = tmp_path / "hasil.pdf"
    # The number may be typed in lower case.
    done = cli(command, number.lower(), "--data-dir", str(folder), "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"{out} ditulis: {pages} halaman" in done.stdout
    assert title in text(out) and number in text(out) and "Ṣiti Ñurul Ħasanah" in text(out)
    assert not list(tmp_path.glob(".dikjamila-*"))  # no temp file left behind


def test_errors_are_told_in_indonesian_with_exit_status_2(office_dir, tmp_path):
    folder, number = office_dir
    unknown = cli("receipt", "BLG-20000101-9999", "--data-dir", str(folder), "-o", str(tmp_path / "a.pdf"),
                  cwd=tmp_path)
    assert unknown.returncode == 2 and "BLG-20000101-9999 tidak ditemukan" in unknown.stderr
    no_folder = cli("receipt", number, "--data-dir", str(folder), "-o", str(tmp_path / "tidak-ada" / "a.pdf"),
                    cwd=tmp_path)
    assert no_folder.returncode == 2 and "Folder " in no_folder.stderr and "tidak ada" in no_folder.stderr
    a_folder = cli("bundle", number, "--data-dir", str(folder), "-o", str(tmp_path), cwd=tmp_path)
    assert a_folder.returncode == 2 and "adalah sebuah folder" in a_folder.stderr
    missing = cli("receipt", number, "--data-dir", str(folder), cwd=tmp_path)
    assert missing.returncode == 2 and "wajib diisi: -o/--output" in missing.stderr
    for done in (unknown, no_folder, a_folder, missing):
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "a.pdf").exists()


def test_an_unwritable_folder_is_refused(office_dir, tmp_path):
    import os

    if os.geteuid() == 0:
        locked = Path("/sys")  # refuses new files even to root (CI runs as root)
    else:
        locked = tmp_path / "terkunci"
        locked.mkdir(mode=0o500)
    done = cli("receipt", office_dir[1], "--data-dir", str(office_dir[0]), "-o", str(locked / "a.pdf"),
               cwd=tmp_path)
    assert done.returncode == 2 and "tidak ada izin menulis" in done.stderr
