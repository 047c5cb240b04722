"""The `dikjamila` command, run as a real process on a real (small) demo office."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dikjamila.config import DATABASE_FILE
from dikjamila.lifecycle import Status
from dikjamila.office import Office
from dikjamila.resources import resource_path

COUNT = 12
NUMBER = re.compile(r"^BLG-\d{8}-\d{4}$")


def cli(*args: str, cwd: Path, home: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DIKJAMILA_HOME"}
    # The platform folders (default data dir, chosen-folder pointer) stay inside the test's folder.
    env.update(XDG_DATA_HOME=str(cwd / ".xdg-data"), XDG_CONFIG_HOME=str(cwd / ".xdg-config"))
    if home is not None:
        env["DIKJAMILA_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "dikjamila.cli.main", *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """A demo office made once by `dikjamila demo`; tests that change it work on a copy."""
    cwd = tmp_path_factory.mktemp("demo")
    made = cli("demo", "--data-dir", "D", "--count", str(COUNT), cwd=cwd)
    assert made.returncode == 0, made.stderr
    # The demo's WhatsApp conversations add requests of their own (issue 8, item 8).
    total = re.search(r": (\d+) permohonan, ", made.stdout)
    assert total and int(total.group(1)) >= COUNT + 4 and "WhatsApp: " in made.stdout, made.stdout
    return cwd / "D"


@pytest.fixture(scope="module")
def full_inbox(demo) -> list[dict]:
    done = cli("inbox", "--data-dir", str(demo), "--json", cwd=demo.parent)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def demo_copy(demo, tmp_path) -> Path:
    return Path(shutil.copytree(demo, tmp_path / "D"))


def inbox(demo: Path, *args: str) -> list[dict]:
    done = cli("inbox", "--data-dir", str(demo), "--json", *args, cwd=demo.parent)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_demo_inbox_json_lists_every_request(full_inbox):
    assert isinstance(full_inbox, list) and len(full_inbox) >= COUNT + 4
    statuses = {s.value for s in Status}
    for row in full_inbox:
        assert NUMBER.match(row["number"]) and row["status"] in statuses
        # Made from a resident's WhatsApp messages: the service waits for the operator.
        assert row["service_code"] or (row["channel"] == "whatsapp" and row["suggested_service"])
    assert len({r["number"] for r in full_inbox}) == len(full_inbox)
    assert [r["id"] for r in full_inbox] == sorted((r["id"] for r in full_inbox), reverse=True)


def test_data_dir_before_the_command_and_from_the_environment(demo, full_inbox, tmp_path):
    before = cli("--data-dir", str(demo), "inbox", "--json", cwd=tmp_path)
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout) == full_inbox
    from_env = cli("inbox", "--json", cwd=tmp_path, home=demo)
    assert from_env.returncode == 0, from_env.stderr
    assert json.loads(from_env.stdout) == full_inbox
    # The flag beats the environment (a folder without an office is named, and left alone).
    empty = cli("inbox", "--json", "--data-dir", str(tmp_path / "kosong"), cwd=tmp_path, home=demo)
    assert empty.returncode == 2 and f"Folder {tmp_path / 'kosong'} belum berisi data kantor" in empty.stderr
    assert not (tmp_path / "kosong").exists()
    assert not list(tmp_path.glob(DATABASE_FILE))  # nothing made in the working folder
    # Neither flag nor environment: the platform's user data dir.
    default = cli("inbox", "--json", cwd=tmp_path)
    assert default.returncode == 2 and f"Folder {tmp_path / '.xdg-data'}" in default.stderr
    assert not list((tmp_path / ".xdg-data").rglob(DATABASE_FILE))
    table = cli("inbox", cwd=tmp_path, home=demo)
    assert f"{len(full_inbox)} permohonan." in table.stdout
    assert all(r["number"] in table.stdout for r in full_inbox)


def test_filters_narrow_the_full_list(demo, full_inbox):
    service = next(r["service_code"] for r in full_inbox if r["service_code"])
    status = full_inbox[-1]["status"]
    target = full_inbox[len(full_inbox) // 2]
    word = target["applicant_name"].split()[-1]
    nik = target["applicant_nik"]
    expected = {
        ("--status", "selesai"): [r for r in full_inbox if r["status"] == "selesai"],
        ("--status", "selesai", "--status", "terkirim"):
            [r for r in full_inbox if r["status"] in ("selesai", "terkirim")],
        ("--service", service): [r for r in full_inbox if r["service_code"] == service],
        ("--service", service, "--status", status):
            [r for r in full_inbox if r["service_code"] == service and r["status"] == status],
        ("--search", target["number"]): [target],
        ("--search", nik): [r for r in full_inbox if r["applicant_nik"] == nik],
    }
    assert expected[("--status", "selesai")] and len(expected[("--service", service)]) < len(full_inbox)
    with ThreadPoolExecutor(max_workers=4) as pool:  # each run is mostly start-up time
        queries = [*expected, ("--search", word)]
        results = dict(zip(queries, pool.map(lambda q: inbox(demo, *q), queries), strict=True))
    by_name = results.pop(("--search", word))
    assert results == expected
    # A name word also matches subject names, which the inbox does not show: a superset then.
    assert target in by_name and all(r in full_inbox for r in by_name)


def test_sop_validate_accepts_every_bundled_sop(tmp_path):
    done = cli("sop", "validate", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "sah" in done.stdout and str(resource_path("sops")) in done.stdout


@pytest.mark.parametrize("breakage, key, words", [
    (lambda t: t.replace('kinds = ["image"]', 'kinds = ["docx"]'), "kinds", "docx"),
    (lambda t: t.replace('name = "Kartu Identitas Anak (KIA)"\n', ""), "name", "wajib diisi"),
    (lambda t: t.replace("target_hours = 24", "target_jam = 24"), "target_jam", "tidak dikenal"),
])
def test_sop_validate_names_file_and_key_of_a_broken_sop(tmp_path, breakage, key, words):
    original = resource_path("sops", "kia.toml").read_text("utf-8")
    broken = breakage(original)
    assert broken != original
    (tmp_path / "kia.toml").write_text(broken, encoding="utf-8")
    done = cli("sop", "validate", "kia.toml", cwd=tmp_path)
    assert done.returncode != 0
    out = done.stdout + done.stderr
    assert re.search(rf"kia\.toml: [^\n]*\b{key}: [^\n]*{re.escape(words)}", out), out
    good = tmp_path / "baik"
    good.mkdir()
    (good / "kia.toml").write_text(original, encoding="utf-8")
    assert cli("sop", "validate", str(good / "kia.toml"), cwd=tmp_path).returncode == 0


def test_check_prints_the_checklist(demo_copy, full_inbox):
    row = next(r for r in full_inbox if r["status"] == "berkas_kurang")
    done = cli("check", row["number"], "--data-dir", str(demo_copy), cwd=demo_copy.parent)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"{row['number']}: BELUM LENGKAP"
    as_json = cli("check", row["number"].lower(), "--json", "--data-dir", str(demo_copy), cwd=demo_copy.parent)
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert report["sop_code"] == row["service_code"] and report["complete"] is False
    assert report["items"] and {"code", "label", "state"} <= set(report["items"][0])
    marks = {"ok": "[v]", "missing": "[ ]", "invalid": "[!]", "not_applicable": "[-]"}
    for item in report["items"]:
        assert any(line.startswith(f"  {marks[item['state']]} {item['label']}") for line in lines)
    assert any(i["state"] == "missing" for i in report["items"])
    assert report["missing_message"] and report["missing_message"].splitlines()[0] in done.stdout


def test_check_of_an_unknown_number_is_an_error_in_indonesian(demo, tmp_path):
    done = cli("check", "BLG-19990101-9999", "--data-dir", str(demo), cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("Galat: ")
    assert "BLG-19990101-9999 tidak ditemukan" in done.stderr and "Traceback" not in done.stderr


def test_user_add_first_admin_from_stdin_then_more_users(tmp_path):
    refused = cli("user", "add", "sari", "--name", "Sari", "--role", "operator", "--password-stdin",
                  "--data-dir", "K", cwd=tmp_path, stdin="rahasia-123\n")
    assert refused.returncode == 2 and "Galat:" in refused.stderr and "admin" in refused.stderr
    short = cli("user", "add", "kepala", "--name", "Kepala Dinas", "--role", "admin", "--password-stdin",
                "--data-dir", "K", cwd=tmp_path, stdin="pendek\n")
    assert short.returncode == 2 and "minimal 8" in short.stderr
    office = Office.open(tmp_path / "K")
    assert office.needs_first_admin()
    office.close()

    made = cli("user", "add", "Kepala", "--name", "Kepala Dinas", "--role", "admin", "--password-stdin",
               "--data-dir", "K", cwd=tmp_path, stdin="rahasia-123\n")
    assert made.returncode == 0, made.stderr
    assert "kepala (admin)" in made.stdout
    second = cli("user", "add", "sari", "--name", "Sari Operator", "--role", "operator", "--password-stdin",
                 cwd=tmp_path, home=tmp_path / "K", stdin="rahasia-456\n")
    assert second.returncode == 0, second.stderr
    office = Office.open(tmp_path / "K")
    try:
        assert office.login("kepala", "rahasia-123").role == "admin"
        assert office.login("sari", "rahasia-456").role == "operator"
    finally:
        office.close()
    listed = cli("user", "list", "--data-dir", "K", cwd=tmp_path)
    assert "kepala" in listed.stdout and "Sari Operator" in listed.stdout


def audit_verify(data_dir: Path) -> subprocess.CompletedProcess:
    return cli("audit", "verify", "--data-dir", str(data_dir), cwd=data_dir.parent)


def sql(data_dir: Path, statement: str, *params) -> list[tuple]:
    conn = sqlite3.connect(data_dir / DATABASE_FILE)
    try:
        with conn:
            return conn.execute(statement, params).fetchall()
    finally:
        conn.close()


def test_audit_verify_passes_on_the_demo(demo):
    done = audit_verify(demo)
    assert done.returncode == 0, done.stdout + done.stderr
    total = sql(demo, "SELECT count(*) FROM audit_events")[0][0]
    assert f"utuh: {total} peristiwa" in done.stdout and total > COUNT


def test_audit_verify_finds_an_edited_event(demo_copy):
    event_id = sql(demo_copy, "SELECT id FROM audit_events ORDER BY id LIMIT 1 OFFSET 10")[0][0]
    sql(demo_copy, "UPDATE audit_events SET summary_json = ? WHERE id = ?", '{"status": "selesai"}', event_id)
    done = audit_verify(demo_copy)
    assert done.returncode == 1
    assert f"#{event_id}: isinya diubah" in done.stdout and "RUSAK" in done.stdout


def test_audit_verify_finds_a_deleted_middle_event(demo_copy):
    ids = [r[0] for r in sql(demo_copy, "SELECT id FROM audit_events ORDER BY id")]
    middle = ids[len(ids) // 2]
    sql(demo_copy, "DELETE FROM audit_events WHERE id = ?", middle)
    done = audit_verify(demo_copy)
    assert done.returncode == 1
    assert f"#{ids[len(ids) // 2 + 1]}: rantai terputus" in done.stdout
    assert "dihapus" in done.stdout


def test_audit_verify_finds_the_last_event_deleted(demo_copy):
    sql(demo_copy, "DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)")
    done = audit_verify(demo_copy)
    assert done.returncode == 1
    assert "terbaru dihapus" in done.stdout and "RUSAK" in done.stdout


def test_audit_verify_finds_the_last_event_deleted_with_its_count_fixed(demo_copy):
    """Deleting the newest event and lowering the stored count still breaks the stored head."""
    sql(demo_copy, "DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)")
    sql(demo_copy, "UPDATE meta SET value = CAST(value AS INTEGER) - 1 WHERE key = 'audit_count'")
    done = audit_verify(demo_copy)
    assert done.returncode == 1 and "kepala rantai" in done.stdout
