"""`dikjamila report` on a filled office: as a real process, and its refusals in-process."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from dikjamila.cli.main import main
from tests.support import copied_office

from .report_data import fill
from .test_cli import cli  # the same command runner, one place


@pytest.fixture(scope="module")
def data_dir(staffed_template, tmp_path_factory) -> Path:
    """One filled office for the module (the commands only read it, and add audit events)."""
    folder = tmp_path_factory.mktemp("cli-report") / "kantor"
    with copied_office(staffed_template, folder) as office:
        fill(office)
    return folder


def test_a_monthly_report_as_pdf_and_csv(data_dir, tmp_path):
    done = cli("report", "--data-dir", str(data_dir), "--period", "2026-11", "-o", "nov.pdf", "--csv", "nov.csv",
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Laporan November 2026:" in done.stdout and "Kepala rantai audit: " in done.stdout
    head = done.stdout.split("Kepala rantai audit: ")[1].split()[0]
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "nov.pdf").pages)
    assert head in text
    table = (tmp_path / "nov.csv").read_text(encoding="utf-8-sig")
    assert f"Kepala rantai audit,{head}" in table  # both files from one reading of the figures
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_only_a_csv_is_fine(data_dir, tmp_path):
    done = cli("report", "--data-dir", str(data_dir), "--period", "2026", "--csv", "tahun.csv", "--csv-regional",
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Periode;Tahun 2026" in (tmp_path / "tahun.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("args, message", [
    (["--period", "2026-13", "-o", "x.pdf"], "bulan 13 tidak ada"),
    (["--period", "nov", "-o", "x.pdf"], "Tulis tanggal (2026-11-30), bulan (2026-11) atau tahun (2026)"),
    (["--period", "2026-11"], "Sebutkan berkas keluaran"),
    (["--period", "2026-11", "-o", "tidak-ada/x.pdf"], "Folder tidak-ada tidak ada"),
    (["--period", "2026-11", "-o", "berkas.txt/x.pdf"], "berkas.txt adalah sebuah berkas"),
    (["--period", "2026-11", "-o", "."], "adalah sebuah folder"),
    (["--period", "2026-11", "-o", "a.pdf", "--csv", "a.pdf"], "tidak boleh sama"),
    (["-o", "x.pdf"], "wajib diisi: --period"),
])
def test_refusals_say_why_in_indonesian_and_exit_2(data_dir, tmp_path, monkeypatch, capsys, args, message):
    (tmp_path / "berkas.txt").write_text("bukan folder", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    try:
        code = main(["report", "--data-dir", str(data_dir), *args])
    except SystemExit as exit_:  # argparse's own refusals
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_a_write_the_system_refuses_leaves_nothing_behind(data_dir, tmp_path, monkeypatch, capsys):
    def refuse(self, data):
        raise PermissionError(13, "Permission denied")

    out = tmp_path / "keluaran"
    out.mkdir()
    monkeypatch.setattr(Path, "write_bytes", refuse)
    code = main(["report", "--data-dir", str(data_dir), "--period", "2026-11", "-o", str(out / "x.pdf")])
    assert code == 2
    err = capsys.readouterr().err
    assert "tidak bisa disimpan: tidak ada izin menulis di sana" in err and "Permission denied" not in err
    assert list(out.iterdir()) == []


def test_a_folder_without_an_office_is_refused(tmp_path):
    done = cli("report", "--data-dir", str(tmp_path / "kosong"), "--period", "2026-11", "-o", "x.pdf", cwd=tmp_path)
    assert done.returncode == 2 and "Galat:" in done.stderr and not (tmp_path / "kosong").exists()
