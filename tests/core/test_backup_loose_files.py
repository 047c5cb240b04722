"""Every stored file a row points at goes into the backup zip: tray files, message media,
outbox documents and attachments come back from a restore byte for byte."""

from __future__ import annotations

import hashlib

from dikjamila.auth.roles import Actor
from dikjamila.backup import _BLOB_QUERIES, backup, restore
from dikjamila.config import Paths
from dikjamila.db.models import Base, Message, OutboxItem
from dikjamila.office import Office
from tests.whatsapp_support import incoming_event, jpeg

from .conftest import new_request

#: Columns named like a file's sha256 that do not point at a stored file (the backup skips them).
NOT_STORED = {
    ("blobs", "sha256"),  # the database store itself: copied with the database snapshot
    ("blob_chunks", "sha256"),
    ("imports", "file_sha256"),  # the chat export's own digest; the export file is not kept
    ("outbox_items", "sent_sha256"),  # the digest of what was sent: the bytes of its blob_sha256
    ("kiosk_files", "sha256"),  # a kiosk file's bytes are in kiosk_chunks until taken: in the snapshot
}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_restore_gives_back_tray_files_message_media_outbox_documents_and_attachments(
        staffed_office, staff, tmp_path):
    office = staffed_office
    downloads = tmp_path / "unduhan"
    downloads.mkdir()
    (downloads / "scan-kk.jpg").write_bytes(jpeg((10, 120, 30)))
    tray = office.desk(Actor.system("watch")).take_loose_file(downloads / "scan-kk.jpg", "downloads")
    assert tray.is_open and tray.new

    sari = office.desk(staff["sari"])
    rid = sari.create_request(new_request(applicant_name="Siti Aminah")).id
    attachment = sari.attach_file(rid, jpeg((200, 20, 20)), "akta.jpg")
    outbox_id = sari.send_receipt(rid)
    photo = tmp_path / "dari-wa.jpg"
    photo.write_bytes(jpeg((20, 20, 200)))
    message = sari.store_incoming(incoming_event("WA-1", "0813 5000 1111", text="ini KTP saya", file=photo,
                                                 mime="image/jpeg", kind="image"))
    with office.db.reading() as session:
        outbox_sha = session.get(OutboxItem, outbox_id).blob_sha256
        message_sha = session.get(Message, message.id).blob_sha256
    wanted = {"tray": tray.blob_sha256, "attachment": attachment.blob_sha256, "outbox": outbox_sha,
              "message": message_sha}
    assert all(wanted.values()) and len(set(wanted.values())) == 4
    originals = {what: office.store.read_bytes(sha) for what, sha in wanted.items()}

    result = backup(office.paths, office.db, office.store, tmp_path / "arsip.zip")
    target = Paths(tmp_path / "baru")
    restore(target, result.path)
    copy = Office.open(target.data_dir)
    try:
        for what, sha in wanted.items():
            assert copy.store.exists(sha), f"{what} file missing from the restored office"
            data = copy.store.read_bytes(sha)
            assert _digest(data) == sha == _digest(originals[what]), what
        [back] = copy.desk(Actor.system("watch")).loose_files()
        assert back.blob_sha256 == tray.blob_sha256 and back.original_name == "scan-kk.jpg"
    finally:
        copy.close()
    assert result.blobs == 4


def test_every_column_that_names_a_stored_file_is_in_the_backup():
    """A new table with a file column must be added to `_BLOB_QUERIES` (or to NOT_STORED, with why)."""
    covered = set()
    for query in _BLOB_QUERIES:
        words = query.split()
        covered.add((words[words.index("FROM") + 1], words[1]))
    named = {(t.name, c.name) for t in Base.metadata.sorted_tables for c in t.columns if c.name.endswith("sha256")}
    assert named - NOT_STORED == covered
    assert {("loose_files", "blob_sha256"), ("messages", "blob_sha256"), ("outbox_items", "blob_sha256"),
            ("attachments", "blob_sha256")} <= covered
