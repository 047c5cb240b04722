"""The change log: data changes are seen by every watcher, with kinds and ids; views change nothing."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from dikjamila import changes
from dikjamila.changes import ChangeKind
from dikjamila.desk import InboxFilter

from .conftest import new_request

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 180, 150)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def desks(staffed_office, staff):
    return {name: staffed_office.desk(actor) for name, actor in staff.items()}


def test_each_change_is_reported_with_its_kind_id_and_origin(desks):
    sari, budi = desks["sari"], desks["budi"]
    start = budi.changes_since(-1).marker  # start watching now
    rid = sari.create_request(new_request()).id
    sari.claim(rid)
    sari.add_note(rid, "Berkas asli sudah dilihat.")
    item = sari.queue_message(rid, "Mohon kirim foto KK.")
    seen = budi.changes_since(start)
    assert seen.ids(ChangeKind.REQUEST) == {rid}
    assert seen.ids(ChangeKind.OUTBOX) == {item}
    assert {c.origin for c in seen.changes} == {sari.origin}
    assert seen.ids(ChangeKind.REQUEST, except_origin=sari.origin) == set()  # the editor's own saves
    assert budi.changes_since(seen.marker).changes == ()  # nothing new since


def test_looking_at_a_request_is_not_a_change(desks):
    sari, budi = desks["sari"], desks["budi"]
    rid = sari.create_request(new_request()).id
    sari.attach_file(rid, jpeg(), "kk.jpg", requirement_code="kk")
    marker = budi.changes_since(-1).marker
    version = sari.get_request(rid, record_view=False).row_version
    budi.get_request(rid)  # opening it: audited as a view of personal data
    budi.check(rid)
    budi.history(rid)
    budi.conversation(rid)
    budi.inbox(InboxFilter(text="aminah"))
    budi.status_counts()
    assert not budi.changes_since(marker)
    assert sari.get_request(rid, record_view=False).row_version == version
    assert "request.view" in [e.action for e in sari.history(rid)]


def test_check_writes_nothing_and_the_stored_complete_flag_follows_the_files(desks):
    desk = desks["sari"]
    rid = desk.create_request(new_request(service_code="kk_hilang_rusak", facts={"applicant_is_subject": True})).id
    events = len(desk.history(rid))
    assert not desk.check(rid).complete
    assert len(desk.history(rid)) == events  # checking is not an event
    desk.attach_file(rid, jpeg(), "ktp.jpg", requirement_code="ktp_el")
    desk.attach_file(rid, jpeg(), "hilang.jpg", requirement_code="surat_kehilangan")
    assert desk.check(rid).complete
    row = desk.inbox().rows[0]
    assert row.id == rid and row.complete  # the inbox shows it without anyone opening the request
    att = desk.get_request(rid, record_view=False).attachments[0]
    desk.remove_attachment(att.id)
    assert not desk.inbox().rows[0].complete


def test_a_watcher_that_fell_too_far_behind_is_told_to_refresh_everything(staffed_office, desks, monkeypatch):
    monkeypatch.setattr(changes, "KEEP", 5)
    monkeypatch.setattr(changes, "PRUNE_EVERY", 5)
    sari = desks["sari"]
    marker = sari.changes_since(-1).marker
    rid = sari.create_request(new_request()).id
    for i in range(12):
        sari.add_note(rid, f"catatan {i}")
    seen = sari.changes_since(marker)
    assert seen.truncated and seen.touches(ChangeKind.REQUEST)
    assert not sari.changes_since(seen.marker).truncated
