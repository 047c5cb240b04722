"""The hash-chained audit log: every change recorded; edits and deletions are found."""

from __future__ import annotations

import sqlite3

import pytest

from dikjamila import audit

from .conftest import new_request


@pytest.fixture
def busy_office(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    for i in range(4):
        rid = desk.create_request(new_request(applicant_name=f"Warga {i}")).id
        desk.claim(rid)
        desk.add_note(rid, f"catatan {i}")
    return staffed_office


def _verify(office):
    with office.db.reading() as session:
        return audit.verify(session)


def _raw(office):
    return sqlite3.connect(office.paths.database_file)


def _event_ids(office):
    with _raw(office) as conn:
        return [r[0] for r in conn.execute("SELECT id FROM audit_events ORDER BY id")]


def test_an_untouched_log_verifies(busy_office):
    assert len(_event_ids(busy_office)) > 12
    assert _verify(busy_office) == []


def test_a_changed_event_is_found(busy_office):
    target = _event_ids(busy_office)[5]
    with _raw(busy_office) as conn:
        conn.execute("UPDATE audit_events SET summary_json = '{\"note_id\": 99}' WHERE id = ?", (target,))
    problems = _verify(busy_office)
    assert [p.event_id for p in problems] == [target]
    assert "diubah" in problems[0].message


def test_a_changed_actor_is_found(busy_office):
    target = _event_ids(busy_office)[3]
    with _raw(busy_office) as conn:
        conn.execute("UPDATE audit_events SET actor_name = 'budi' WHERE id = ?", (target,))
    assert [p.event_id for p in _verify(busy_office)] == [target]


def test_a_deleted_middle_event_is_found(busy_office):
    ids = _event_ids(busy_office)
    with _raw(busy_office) as conn:
        conn.execute("DELETE FROM audit_events WHERE id = ?", (ids[4],))
    problems = _verify(busy_office)
    assert ids[5] in [p.event_id for p in problems]
    assert any("terputus" in p.message for p in problems)


def test_a_deleted_newest_event_is_found(busy_office):
    ids = _event_ids(busy_office)
    with _raw(busy_office) as conn:
        conn.execute("DELETE FROM audit_events WHERE id = ?", (ids[-1],))
    assert _verify(busy_office) != []


def test_rehashing_an_edit_still_breaks_the_next_link(busy_office):
    """Someone who edits an event and fixes its own hash still breaks the chain after it."""
    ids = _event_ids(busy_office)
    with _raw(busy_office) as conn:
        conn.execute("UPDATE audit_events SET hash = ? WHERE id = ?", ("f" * 64, ids[2]))
    problems = _verify(busy_office)
    assert {ids[2], ids[3]} <= {p.event_id for p in problems}
