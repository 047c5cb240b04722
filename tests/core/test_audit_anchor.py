"""The audit trail anchored outside the database: a head written down earlier catches a rewrite.

A database writer who edits events and recomputes every hash after them (and the stored head)
makes `audit.verify` say "utuh" again — the first test shows that this is real. A head taken
earlier (on a report, in a backup, in the supervisor's WhatsApp message) still catches it.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from datetime import date, datetime

import pytest

from dikjamila import audit
from dikjamila.audit import GENESIS, _digest
from dikjamila.audit_anchor import parse_head, verify_against_head
from dikjamila.backup import backup
from dikjamila.db.models import OutboxItem
from dikjamila.errors import InvalidInput, PermissionDenied

from .conftest import new_request
from .test_cli import cli


def _busy(office, actor, n: int = 4) -> None:
    desk = office.desk(actor)
    for i in range(n):
        rid = desk.create_request(new_request(applicant_name=f"Warga {i}")).id
        desk.claim(rid)
        desk.add_note(rid, f"catatan {i}")


def _rewrite_history(db_file, *, edit_id: int | None = None, delete_from: int | None = None) -> None:
    """What a forger with write access does: change or drop events, recompute the whole chain."""
    conn = sqlite3.connect(db_file)
    with conn:
        if edit_id is not None:
            conn.execute("UPDATE audit_events SET summary_json = ? WHERE id = ?",
                         (json.dumps({"note_id": 1, "length": 3}), edit_id))
        if delete_from is not None:
            conn.execute("DELETE FROM audit_events WHERE id >= ?", (delete_from,))
        prev = GENESIS
        rows = conn.execute("SELECT id, at, actor_id, actor_name, action, entity_type, entity_id, summary_json "
                            "FROM audit_events ORDER BY id").fetchall()
        for (ev_id, at, actor_id, actor_name, action, entity_type, entity_id, summary_json) in rows:
            digest = _digest(prev, datetime.fromisoformat(at), actor_id, actor_name, action, entity_type,
                             entity_id, summary_json)
            conn.execute("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, ev_id))
            prev = digest
        conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (prev,))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_count'", (str(len(rows)),))
    conn.close()


def _ids(office) -> list[int]:
    conn = sqlite3.connect(office.paths.database_file)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM audit_events ORDER BY id")]
    finally:
        conn.close()


def _check(office, head) -> list[str]:
    with office.db.reading() as session:
        return [p.message for p in verify_against_head(session, parse_head(str(head)))]


def test_a_recomputed_chain_fools_verify_but_not_an_earlier_head(staffed_office, staff):
    _busy(staffed_office, staff["sari"])
    earlier = staffed_office.desk(staff["hasan"]).audit_head()
    _busy(staffed_office, staff["budi"], n=2)  # history goes on after the head was written down
    target = _ids(staffed_office)[3]

    _rewrite_history(staffed_office.paths.database_file, edit_id=target)

    with staffed_office.db.reading() as session:
        assert audit.verify(session) == []  # the weakness the anchor exists for
    problems = _check(staffed_office, earlier)
    assert problems and "diubah" in problems[0]
    check = staffed_office.desk(staff["hasan"]).check_audit(str(earlier))
    assert not check.intact and check.against == str(earlier)


def test_a_deleted_tail_with_its_head_fixed_is_caught(staffed_office, staff):
    _busy(staffed_office, staff["sari"])
    earlier = staffed_office.desk(staff["hasan"]).audit_head()
    ids = _ids(staffed_office)
    _rewrite_history(staffed_office.paths.database_file, delete_from=ids[-3])

    with staffed_office.db.reading() as session:
        assert audit.verify(session) == []
    problems = _check(staffed_office, earlier)
    assert problems and "dihapus" in problems[0] and str(earlier.count) in problems[0]


def test_a_deleted_middle_event_with_the_chain_recomputed_is_caught(staffed_office, staff):
    _busy(staffed_office, staff["sari"])
    earlier = staffed_office.desk(staff["hasan"]).audit_head()
    _busy(staffed_office, staff["budi"], n=1)
    conn = sqlite3.connect(staffed_office.paths.database_file)
    with conn:
        conn.execute("DELETE FROM audit_events WHERE id = ?", (_ids(staffed_office)[2],))
    conn.close()
    _rewrite_history(staffed_office.paths.database_file)
    assert _check(staffed_office, earlier)


def test_untouched_history_passes_through_an_earlier_head_even_as_a_printed_prefix(staffed_office, staff):
    _busy(staffed_office, staff["sari"])
    earlier = staffed_office.desk(staff["hasan"]).audit_head()
    _busy(staffed_office, staff["budi"], n=2)
    assert _check(staffed_office, earlier) == []
    assert _check(staffed_office, earlier.short) == []  # as printed: count and 16 hex digits
    typed = f" {earlier.count} : {earlier.hash[:8].upper()} {earlier.hash[8:20]} "  # copied by hand
    assert _check(staffed_office, typed) == []
    check = staffed_office.desk(staff["hasan"]).check_audit(earlier.short)
    assert check.intact and check.events > earlier.count


@pytest.mark.parametrize("typed", ["", "abc", "12", "12:xyz0123456789abcdef", "12:0123abcd", "-1:" + "a" * 64])
def test_a_head_that_cannot_be_read_is_refused_in_indonesian(typed):
    with pytest.raises(InvalidInput) as caught:
        parse_head(typed)
    assert "kepala rantai" in caught.value.message.lower() or "hash" in caught.value.message.lower()


def test_operators_cannot_check_the_trail(staffed_office, staff):
    with pytest.raises(PermissionDenied):
        staffed_office.desk(staff["sari"]).check_audit()


def test_a_backup_carries_the_head(staffed_office, staff, tmp_path):
    _busy(staffed_office, staff["sari"], n=2)
    head = staffed_office.desk(staff["hasan"]).audit_head()
    result = backup(staffed_office.paths, staffed_office.db, staffed_office.store, tmp_path / "c.zip")
    with zipfile.ZipFile(result.path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["audit_head"] == result.audit_head == str(head)


def test_the_head_goes_to_the_supervisor_once_a_day(staffed_office, staff):
    desk = staffed_office.desk(staff["admin"])
    assert desk.queue_audit_head() is None  # no supervisor number set: nothing queued
    settings = staffed_office.settings
    settings.supervisor_phone = "0812 5111 2222"
    staffed_office.update_settings(staff["admin"], settings)
    _busy(staffed_office, staff["sari"], n=1)

    first = desk.queue_audit_head(today=date(2026, 12, 1))
    _busy(staffed_office, staff["sari"], n=1)
    again = desk.queue_audit_head(today=date(2026, 12, 1))
    next_day = desk.queue_audit_head(today=date(2026, 12, 2))
    assert first == again != next_day
    with staffed_office.db.reading() as session:
        items = session.query(OutboxItem).filter(OutboxItem.template == "kepala_audit").all()
        assert len(items) == 2 and {i.recipient for i in items} == {"+6281251112222"}
        head_in_text = items[0].text.split("\n")[1]
    assert _check(staffed_office, head_in_text) == []  # what the supervisor got proves the trail


def test_cli_verify_with_head(tmp_path):
    cwd = tmp_path
    made = cli("demo", "--data-dir", "D", "--count", "3", cwd=cwd)
    assert made.returncode == 0, made.stderr
    ok = cli("audit", "verify", "--data-dir", "D", cwd=cwd)
    assert ok.returncode == 0 and "Kepala rantai sekarang:" in ok.stdout
    head = ok.stdout.split("Kepala rantai sekarang:")[1].strip()
    short = head.split(":")[0] + ":" + head.split(":")[1][:16]

    assert cli("audit", "verify", "--data-dir", "D", "--head", short, cwd=cwd).returncode == 0
    shutil.copy(cwd / "D" / "dikjamila.sqlite3", cwd / "before.sqlite3")
    conn = sqlite3.connect(cwd / "D" / "dikjamila.sqlite3")
    first = conn.execute("SELECT min(id) FROM audit_events").fetchone()[0]
    conn.close()
    _rewrite_history(cwd / "D" / "dikjamila.sqlite3", edit_id=first + 1)
    plain = cli("audit", "verify", "--data-dir", "D", cwd=cwd)
    anchored = cli("audit", "verify", "--data-dir", "D", "--head", short, cwd=cwd)
    assert plain.returncode == 0  # recomputed: the chain alone looks whole
    assert anchored.returncode == 1 and "RUSAK" in anchored.stdout
    typo = cli("audit", "verify", "--data-dir", "D", "--head", "12-abc", cwd=cwd)
    assert typo.returncode == 2 and "Traceback" not in typo.stderr and "JUMLAH:HASH" in typo.stderr


def test_the_head_read_off_an_earlier_report_catches_a_later_rewrite(staffed_office, staff):
    """The supervisor's path: a monthly report printed earlier, its head typed in later."""
    import io
    import re

    from pypdf import PdfReader

    _busy(staffed_office, staff["sari"])
    supervisor = staffed_office.desk(staff["hasan"])
    report = supervisor.report_pdf(datetime.now().strftime("%Y-%m"))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(report.data)).pages)
    printed = re.search(r"(\d+):([0-9a-f]{64})", text)
    footer = re.search(r"Kepala rantai audit: (\d+:[0-9a-f]{16})", text)
    assert printed and footer and printed.group(0).startswith(footer.group(1))
    _busy(staffed_office, staff["budi"], n=2)
    assert supervisor.check_audit(printed.group(0)).intact
    assert supervisor.check_audit(footer.group(1)).intact

    _rewrite_history(staffed_office.paths.database_file, edit_id=_ids(staffed_office)[1])
    assert supervisor.check_audit().intact  # the chain alone cannot tell
    assert not supervisor.check_audit(printed.group(0)).intact
    assert not supervisor.check_audit(footer.group(1)).intact
