"""`dikjamila import PATH [--json]`, run as a real process on a real office."""

from __future__ import annotations

import json
import zipfile

from dikjamila.office import Office
from tests.chat_export_support import android_id_chat, android_zip

from .test_cli import cli


def _office(tmp_path):
    Office.open(tmp_path / "D").close()
    return tmp_path / "D"


def test_import_prints_the_summary_as_json_and_is_idempotent(tmp_path):
    data = _office(tmp_path)
    path = android_zip(tmp_path / "chat.zip")
    first = cli("import", str(path), "--data-dir", str(data), "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert {k: summary[k] for k in ("messages", "requests_created", "requests_updated", "attachments")} == {
        "messages": 5, "requests_created": 1, "requests_updated": 0, "attachments": 2}
    assert set(summary["skipped"].values()) == {1} and summary["errors"] == []
    again = json.loads(cli("import", str(path), "--data-dir", str(data), "--json", cwd=tmp_path).stdout)
    assert (again["messages"], again["requests_created"], again["already_known"]) == (0, 0, 5)
    text = cli("import", str(path), "--data-dir", str(data), cwd=tmp_path)
    assert text.returncode == 0 and "Permohonan baru: 0" in text.stdout


def test_a_refused_file_exits_non_zero_with_the_reason(tmp_path):
    data = _office(tmp_path)
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("_chat.txt", android_id_chat())
        archive.writestr("../../x.jpg", b"x")
    done = cli("import", str(evil), "--data-dir", str(data), "--json", cwd=tmp_path)
    assert done.returncode == 2 and "tidak aman" in done.stderr and "Traceback" not in done.stderr
    assert json.loads(done.stdout)["errors"] and json.loads(done.stdout)["requests_created"] == 0
    missing = cli("import", str(tmp_path / "salah-ketik.zip"), "--data-dir", str(data), cwd=tmp_path)
    assert missing.returncode == 2 and "tidak ditemukan" in missing.stderr
    folder = cli("import", str(tmp_path), "--data-dir", str(data), cwd=tmp_path)
    assert folder.returncode == 2 and "adalah folder" in folder.stderr
    bare = cli("import", cwd=tmp_path)
    assert bare.returncode == 2 and "wajib" in bare.stderr and "Traceback" not in bare.stderr


def test_an_ambiguous_export_asks_for_the_day_order_on_the_command_line(tmp_path):
    data = _office(tmp_path)
    path = tmp_path / "x.txt"
    path.write_text("[03/04/26, 09:00:00] Rina: mau urus KIA\n[03/04/26, 09:05:00] Disdukcapil Balangan: baik\n",
                    encoding="utf-8")
    asked = cli("import", str(path), "--data-dir", str(data), cwd=tmp_path)
    assert asked.returncode == 2 and "--tanggal-dulu" in asked.stderr
    done = cli("import", str(path), "--data-dir", str(data), "--bulan-dulu", "--json", cwd=tmp_path)
    assert done.returncode == 0 and json.loads(done.stdout)["requests_created"] == 1


def test_a_folder_without_an_office_is_refused_and_left_alone(tmp_path):
    path = android_zip(tmp_path / "chat.zip")
    done = cli("import", str(path), "--data-dir", str(tmp_path / "kosong"), cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert not (tmp_path / "kosong").exists() or not any((tmp_path / "kosong").iterdir())
