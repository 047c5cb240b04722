"""Attachments kept in the database, so every workstation reaches them (`attachment_storage`).

Tables `blobs` (sha256, size) and `blob_chunks` (sha256, seq, at most `CHUNK_SIZE` bytes):

- A put checks the file exactly as the folder store does: it first goes into this PC's cache
  (`<data dir>/cache/blobs`, itself an `AttachmentStore`: streamed, hashed, size-limited,
  decoded). Then the blob row and its chunks are written in one transaction and read back and
  hashed again before the commit: no workstation ever sees half a file.
- Reading streams chunk by chunk. Where a caller needs a file (viewers, the WhatsApp worker,
  PDF bundles, backups) the chunks are written to a temp file in the cache, checked against
  their sha256 and only then renamed into place: a damaged row is never handed out.
- The cache is only a copy (same layout as a folder store); it may be deleted at any time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from dikjamila.db.database import Database
from dikjamila.db.models import Blob, BlobChunk
from dikjamila.db.types import utcnow
from dikjamila.errors import InvalidInput
from dikjamila.files.images import DEFAULT_MAX_PIXELS
from dikjamila.files.store import (
    DEFAULT_MAX_BYTES,
    AttachmentStore,
    BlobNotFound,
    StoredBlob,
)
from dikjamila.i18n import tr

log = logging.getLogger(__name__)

#: Bytes per `blob_chunks` row: a 25 MB file is 25 rows, never one 25 MB value in memory.
CHUNK_SIZE = 1024 * 1024
_SHA_RE = re.compile(r"[0-9a-f]{64}")


def _damaged(sha: str) -> InvalidInput:
    return InvalidInput(tr("Isi berkas {sha} tidak cocok dengan sidik sha256-nya; berkas itu tidak dipakai.",
                           sha=sha[:12]))


def write_blob(conn: Connection, sha256: str, stream: BinaryIO, *, chunk_size: int = CHUNK_SIZE,
               check: bool = True) -> int:
    """Insert blob `sha256` with the bytes of `stream`, in the caller's transaction; its size.

    The bytes must hash to `sha256`, else InvalidInput (the caller's transaction must then be
    rolled back). With `check`, the chunks are also read back from the database and hashed.
    """
    conn.execute(insert(Blob.__table__).values(sha256=sha256, size=0, created_at=utcnow()))
    digest, size, seq = hashlib.sha256(), 0, 0
    while chunk := stream.read(chunk_size):
        digest.update(chunk)
        size += len(chunk)
        conn.execute(insert(BlobChunk.__table__).values(sha256=sha256, seq=seq, data=bytes(chunk)))
        seq += 1
    if digest.hexdigest() != sha256:
        raise _damaged(sha256)
    conn.execute(update(Blob.__table__).where(Blob.sha256 == sha256).values(size=size))
    if check and blob_digest(conn, sha256) != (sha256, size):
        raise _damaged(sha256)
    return size


def iter_chunks(conn: Connection, sha256: str) -> Iterator[bytes]:
    """The blob's bytes, one chunk (one query) at a time."""
    seq = 0
    while (data := conn.scalar(select(BlobChunk.data).where(BlobChunk.sha256 == sha256,
                                                          BlobChunk.seq == seq))) is not None:
        yield bytes(data)
        seq += 1


def blob_digest(conn: Connection, sha256: str) -> tuple[str, int] | None:
    """The sha256 and size recomputed from the stored chunks; None when no such blob is stored."""
    if conn.scalar(select(Blob.size).where(Blob.sha256 == sha256)) is None:
        return None
    digest, size = hashlib.sha256(), 0
    for chunk in iter_chunks(conn, sha256):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


class DatabaseBlobStore:
    """The `AttachmentStore` interface over the blob tables of `db`; `cache_root` is this PC's copy."""

    def __init__(self, db: Database, cache_root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 max_pixels: int = DEFAULT_MAX_PIXELS, chunk_size: int = CHUNK_SIZE):
        self.db = db
        self.cache = AttachmentStore(cache_root, max_bytes=max_bytes, max_pixels=max_pixels)
        self.chunk_size = chunk_size

    @property
    def root(self) -> Path:
        return self.cache.root

    @property
    def max_bytes(self) -> int:
        return self.cache.max_bytes

    @property
    def max_pixels(self) -> int:
        return self.cache.max_pixels

    # -- putting (checked by the cache store first, then written to the database) -----------

    def put_file(self, path: Path, original_name: str | None = None) -> StoredBlob:
        return self._keep(self.cache.put_file(path, original_name))

    def put_bytes(self, data: bytes, original_name: str) -> StoredBlob:
        return self._keep(self.cache.put_bytes(data, original_name))

    def put_stream(self, stream: BinaryIO, original_name: str) -> StoredBlob:
        return self._keep(self.cache.put_stream(stream, original_name))

    def put_raw(self, path: Path, original_name: str, *, max_bytes: int) -> StoredBlob:
        return self._keep(self.cache.put_raw(path, original_name, max_bytes=max_bytes))

    def put_raw_bytes(self, data: bytes, original_name: str, *, max_bytes: int) -> StoredBlob:
        return self._keep(self.cache.put_raw_bytes(data, original_name, max_bytes=max_bytes))

    def _keep(self, blob: StoredBlob) -> StoredBlob:
        """Write the cached, checked `blob` into the database; `already_stored` says whether the
        database (every workstation's store) had it, not this PC's cache."""
        try:
            known = self._upload(blob.sha256)
        except BaseException:
            if not blob.already_stored:  # a copy this put just made: nothing points at it
                self.cache.discard(blob.sha256)
            raise
        return replace(blob, already_stored=known)

    def _upload(self, sha: str) -> bool:
        if self.exists(sha):
            return True
        try:
            with self.db.writing() as session, open(self.cache.path(sha), "rb") as fh:
                write_blob(session.connection(), sha, fh, chunk_size=self.chunk_size)
        except IntegrityError:
            if self.exists(sha):  # another workstation stored the same content at the same moment
                return True
            raise
        return False

    def discard(self, sha256: str) -> None:
        """Remove a blob no row points to (what a cancelled import had just stored)."""
        sha = _normalize(sha256)
        if sha is None:
            return
        with self.db.writing() as session:
            session.execute(delete(BlobChunk).where(BlobChunk.sha256 == sha))
            session.execute(delete(Blob).where(Blob.sha256 == sha))
        self.cache.discard(sha)

    # -- reading -------------------------------------------------------------------------

    def exists(self, sha256: str) -> bool:
        """True if the blob is in the database (one primary-key lookup); False for a malformed sha."""
        sha = _normalize(sha256)
        if sha is None:
            return False
        with self.db.reading() as session:
            return session.scalar(select(Blob.size).where(Blob.sha256 == sha)) is not None

    def path(self, sha256: str) -> Path:
        """A local file with the blob's bytes (this PC's cache), made from the chunks when missing."""
        sha = _normalize(sha256)
        if sha is None:
            raise InvalidInput(tr("Kode berkas tidak sah: {value}", value=str(sha256)[:80]))
        if not self.exists(sha):
            raise BlobNotFound(tr("Berkas lampiran {sha} tidak ditemukan di penyimpanan.", sha=sha[:12]))
        if self.cache.exists(sha):
            return self.cache.path(sha)
        return self._materialise(sha)

    def _materialise(self, sha: str) -> Path:
        dest = self.cache.root / sha[:2] / sha[2:4] / sha
        fd, tmp_name = tempfile.mkstemp(prefix="get-", suffix=".part", dir=self.cache.root / "tmp")
        tmp = Path(tmp_name)
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out, self.db.reading() as session:
                for chunk in iter_chunks(session.connection(), sha):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != sha:
                log.warning("blob %s in the database does not hash to its name", sha)
                raise _damaged(sha)
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(tmp, dest)
            except PermissionError:  # Windows: a parallel reader just placed its read-only copy
                if not dest.is_file():
                    raise
            try:
                os.chmod(dest, 0o444)
            except OSError:
                pass
            return dest
        finally:
            tmp.unlink(missing_ok=True)

    def open(self, sha256: str) -> BinaryIO:
        """The blob's bytes as a file opened for reading (the caller closes it)."""
        return open(self.path(sha256), "rb")

    def read_bytes(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def inspect(self, sha256: str, original_name: str = "") -> StoredBlob:
        self.path(sha256)
        return self.cache.inspect(sha256, original_name)

    def facts(self, sha256: str, original_name: str = "") -> StoredBlob:
        self.path(sha256)
        return self.cache.facts(sha256, original_name)

    def thumbnail(self, sha256: str, max_px: int = 256) -> bytes:
        self.path(sha256)
        return self.cache.thumbnail(sha256, max_px)

    def verify(self, sha256: str) -> bool:
        """True if the chunks in the database still hash to the blob's name."""
        sha = _normalize(sha256) or ""
        with self.db.reading() as session:
            digest = blob_digest(session.connection(), sha)
        if digest is None:
            raise BlobNotFound(tr("Berkas lampiran {sha} tidak ditemukan di penyimpanan.", sha=sha[:12]))
        return digest[0] == sha

    def iter_blobs(self) -> Iterator[str]:
        """Every stored sha256, in sorted order."""
        with self.db.reading() as session:
            shas = list(session.scalars(select(Blob.sha256).order_by(Blob.sha256)))
        yield from shas


def _normalize(sha256: str) -> str | None:
    if not isinstance(sha256, str):
        return None
    sha = sha256.strip().lower()
    return sha if _SHA_RE.fullmatch(sha) else None
