"""Attachments kept in the database (`attachment_storage`): chunked, checked, shared by workstations."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select, text

from dikjamila.backup import office_store
from dikjamila.config import Paths, Settings, load_settings
from dikjamila.db.database import Database
from dikjamila.db.models import Blob, BlobChunk
from dikjamila.errors import InvalidInput
from dikjamila.files import AttachmentStore, BlobNotFound
from dikjamila.files.db_store import (
    DatabaseBlobStore,
    blob_digest,
    iter_chunks,
    write_blob,
)
from dikjamila.office import Office
from tests.pg_support import point_at

from .conftest import new_request

pytestmark = pytest.mark.both_engines

CHUNK = 64 * 1024


@pytest.fixture
def db_url(db_engine, tmp_path, request):
    """An empty database on the engine the test runs on."""
    if db_engine == "sqlite":
        yield f"sqlite:///{tmp_path / 'blobs.sqlite3'}"
        return
    server = request.getfixturevalue("pg_server")
    name = f"dj_blobs_{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**8}"
    server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server.admin(f'CREATE DATABASE "{name}"')
    yield server.url(name)
    server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    yield database
    database.close()


def store_at(db: Database, cache: Path) -> DatabaseBlobStore:
    return DatabaseBlobStore(db, cache, chunk_size=CHUNK)


def photo(size=(900, 700)) -> bytes:
    """A JPEG larger than several chunks (noise does not compress)."""
    img = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95)
    return out.getvalue()


def chunk_rows(db: Database, sha: str) -> list[int]:
    with db.reading() as s:
        return list(s.scalars(select(func.length(BlobChunk.data)).where(BlobChunk.sha256 == sha)
                              .order_by(BlobChunk.seq)))


def test_put_streams_chunks_and_another_pc_reads_the_same_bytes(db, tmp_path):
    data = photo()
    assert len(data) > 3 * CHUNK
    here = store_at(db, tmp_path / "pc1")
    blob = here.put_bytes(data, "kk.jpg")
    assert (blob.kind, blob.size, blob.already_stored) == ("image", len(data), False)
    assert here.exists(blob.sha256) and not here.exists("0" * 64) and not here.exists("../etc")
    sizes = chunk_rows(db, blob.sha256)
    assert len(sizes) == -(-len(data) // CHUNK) and max(sizes) == CHUNK and sum(sizes) == len(data)
    with db.reading() as s:
        assert [len(c) for c in iter_chunks(s.connection(), blob.sha256)] == sizes  # one chunk at a time
        assert blob_digest(s.connection(), blob.sha256) == (blob.sha256, len(data))

    there = store_at(db, tmp_path / "pc2")  # another workstation: nothing cached yet
    assert not (tmp_path / "pc2" / blob.sha256[:2]).exists()
    path = there.path(blob.sha256)
    assert path.is_relative_to(tmp_path / "pc2") and path.read_bytes() == data
    assert there.read_bytes(blob.sha256) == data and there.open(blob.sha256).read() == data
    assert there.verify(blob.sha256)
    assert there.facts(blob.sha256).mime == "image/jpeg" and there.thumbnail(blob.sha256, 64)[:2] == b"\xff\xd8"
    assert list(there.iter_blobs()) == [blob.sha256]
    again = there.put_bytes(data, "lagi.jpg")
    assert again.already_stored and chunk_rows(db, blob.sha256) == sizes


def test_raw_file_larger_than_a_chunk_and_discard(db, tmp_path):
    data = os.urandom(5 * CHUNK + 17)
    store = store_at(db, tmp_path / "cache")
    blob = store.put_raw_bytes(data, "pesan-suara.opus", max_bytes=len(data))
    assert blob.kind == "other" and len(chunk_rows(db, blob.sha256)) == 6
    store.discard(blob.sha256)
    assert not store.exists(blob.sha256)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(BlobChunk)) == 0
    with pytest.raises(BlobNotFound):
        store.path(blob.sha256)


def test_a_refused_file_writes_nothing(db, tmp_path):
    store = store_at(db, tmp_path / "cache")
    with pytest.raises(InvalidInput, match="bukan PDF atau foto"):
        store.put_bytes(b"hanya teks, bukan foto" * 100, "catatan.jpg")
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 0


def test_content_that_does_not_match_its_sha_is_refused_and_rolled_back(db):
    with pytest.raises(InvalidInput, match="tidak cocok"), db.writing() as s:
        write_blob(s.connection(), "a" * 64, io.BytesIO(b"isi lain" * 50000), chunk_size=CHUNK)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 0
        assert s.scalar(select(func.count()).select_from(BlobChunk)) == 0


def test_a_damaged_chunk_is_never_handed_out(db, tmp_path):
    data = photo()
    sha = store_at(db, tmp_path / "pc1").put_bytes(data, "kk.jpg").sha256
    with db.writing() as s:
        s.execute(text("UPDATE blob_chunks SET data = :d WHERE sha256 = :s AND seq = 1"),
                  {"d": b"\0" * CHUNK, "s": sha})
    other = store_at(db, tmp_path / "pc2")
    assert not other.verify(sha)
    with pytest.raises(InvalidInput, match="tidak cocok"):
        other.path(sha)
    assert not list((tmp_path / "pc2").rglob(sha))  # no cache copy of the damaged bytes
    assert not list((tmp_path / "pc2" / "tmp").iterdir())


def test_office_store_follows_the_setting(tmp_path, db):
    paths = Paths(tmp_path / "kantor")
    sqlite_db = Database(f"sqlite:///{paths.database_file}")
    try:
        assert isinstance(office_store(paths, Settings(), sqlite_db), AttachmentStore)  # auto, SQLite: folder
        assert office_store(paths, Settings(), sqlite_db).root == paths.blobs_dir
        shared = office_store(paths, Settings(attachment_folder=str(tmp_path / "bersama")), sqlite_db)
        assert shared.root == tmp_path / "bersama"
        in_db = office_store(paths, Settings(attachment_storage="database"), sqlite_db)
        assert isinstance(in_db, DatabaseBlobStore) and in_db.root == paths.blob_cache_dir
    finally:
        sqlite_db.close()
    expected = AttachmentStore if db.engine.dialect.name == "sqlite" else DatabaseBlobStore
    assert isinstance(office_store(paths, Settings(), db), expected)  # auto: a server keeps them itself
    assert isinstance(office_store(paths, Settings(attachment_storage="folder"), db), AttachmentStore)


def test_an_unknown_storage_setting_is_refused_in_indonesian(tmp_path):
    paths = Paths(tmp_path)
    paths.settings_file.write_text('attachment_storage = "awan"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match="'attachment_storage' = 'awan' tidak dikenal; pilih salah satu: auto"):
        load_settings(paths)


def test_two_workstations_share_a_photo_attached_at_the_desk(db_url, tmp_path):
    """The desk on PC 1 attaches a photo; PC 2 (its own data dir, the same database) reads it."""
    for pc in ("pc1", "pc2"):
        point_at(tmp_path / pc, db_url)
        with (tmp_path / pc / "settings.toml").open("a", encoding="utf-8") as f:
            f.write('attachment_storage = "database"\n')
    one = Office.open(tmp_path / "pc1")
    two = None
    try:
        one.add_user(None, username="admin", full_name="Admin Kantor", role="admin", password="rahasia-123")
        desk = one.desk(one.actor_for("admin"))
        req = desk.create_request(new_request())
        data = photo()
        att = desk.attach_file(req.id, data, "kk.jpg", requirement_code="kk")
        assert isinstance(one.store, DatabaseBlobStore)
        assert not (tmp_path / "pc1" / "blobs").exists() or not list((tmp_path / "pc1" / "blobs").rglob(att.blob_sha256))

        two = Office.open(tmp_path / "pc2")
        desk2 = two.desk(two.actor_for("admin"))
        seen = desk2.get_request(req.id, record_view=False).attachments
        assert [a.blob_sha256 for a in seen] == [att.blob_sha256]
        path = desk2.blob_path(att.blob_sha256)
        assert path.is_relative_to(tmp_path / "pc2" / "cache" / "blobs") and path.read_bytes() == data
    finally:
        one.close()
        if two is not None:
            two.close()
