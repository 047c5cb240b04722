"""The attachment store: content-addressed blobs on disk, written atomically.

Layout under `root`::

    <root>/<sha[:2]>/<sha[2:4]>/<sha>   the blob, byte-for-byte as received (made read-only)
    <root>/tmp/                         uploads in progress (same file system as the blobs)
    <root>/thumbs/<sha[:2]>/            cached thumbnails (JPEG), safe to delete at any time

A put streams the content into `tmp/` while hashing it and counting its size (refusing as
soon as it passes `max_bytes`, so a 2 GB file is never read to the end), fsyncs it, checks it
(type from content, full photo decode or PDF parse) and only then renames it into place with
`os.replace` and fsyncs the directory. On any refusal or exception the temp file is removed
and no existing blob is touched. The same content is stored once.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from dikjamila.errors import InvalidInput, NotFound
from dikjamila.files.images import (
    DEFAULT_MAX_PIXELS,
    inspect_image,
    make_thumbnail,
    pdf_placeholder,
)
from dikjamila.files.pdfs import inspect_pdf
from dikjamila.files.sniff import HEAD_SIZE, describe, sniff
from dikjamila.i18n import tr

#: Default upload limit (the office setting "batas ukuran berkas"): 25 MB.
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
CHUNK_SIZE = 1024 * 1024
#: Leftover temp files older than this (a crash mid-upload) are swept when a store opens.
STALE_TMP_SECONDS = 24 * 3600
MAX_NAME_CHARS = 255
THUMB_MIN_PX, THUMB_MAX_PX = 16, 2048
_THUMB_VERSION = "v1"  # bump when thumbnail rendering changes, to bypass old cache entries
_SHA_RE = re.compile(r"[0-9a-f]{64}")


class BlobNotFound(NotFound, InvalidInput):
    """No blob with that sha256 is in the store (catchable as NotFound or InvalidInput)."""


@dataclass(frozen=True)
class StoredBlob:
    """A stored attachment and what the checks found in it."""

    sha256: str
    kind: str  # "image" | "pdf"
    mime: str
    size: int
    original_name: str
    width: int | None = None  # images, after EXIF orientation
    height: int | None = None
    pages: int | None = None  # pdfs; None when a password is needed to open it
    text: str = ""  # pdfs: first-page text, bounded
    encrypted: bool = False  # pdfs
    already_stored: bool = False  # the same content was in the store before this put


def clean_name(name: str) -> str:
    """The file's base name without directories, control or bidi-override characters."""
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp"))
    base = " ".join(base.split())[:MAX_NAME_CHARS]
    return base or tr("(tanpa nama)")


def _human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"
    return f"{n} bita"


def _fsync_dir(path: Path) -> None:
    """Make a rename/creation in `path` durable; a no-op where directories cannot be opened (Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(HEAD_SIZE)


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK_SIZE):
            h.update(chunk)
    return h.hexdigest()


class AttachmentStore:
    """Content-addressed attachment blobs under one root directory. Pure Python, no Qt."""

    def __init__(self, root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, max_pixels: int = DEFAULT_MAX_PIXELS):
        if max_bytes < 1 or max_pixels < 1:
            raise ValueError("max_bytes and max_pixels must be positive")
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self._tmp = self.root / "tmp"
        self._thumbs = self.root / "thumbs"
        self._tmp.mkdir(parents=True, exist_ok=True)
        self._sweep_tmp()

    # -- putting -------------------------------------------------------------------------

    def put_file(self, path: Path, original_name: str | None = None) -> StoredBlob:
        """Store the file at `path` (read, never moved or changed)."""
        name = clean_name(Path(path).name if original_name is None else original_name)
        try:
            fh = open(path, "rb")
        except OSError as exc:
            raise InvalidInput(tr("Berkas {name} tidak bisa dibaca dari disk.", name=name)) from exc
        with fh:
            if os.fstat(fh.fileno()).st_size > self.max_bytes:  # early, cheap refusal
                raise self._too_big(name)
            return self._put(fh, name)

    def put_bytes(self, data: bytes, original_name: str) -> StoredBlob:
        """Store `data` received in memory."""
        name = clean_name(original_name)
        if len(data) > self.max_bytes:
            raise self._too_big(name)
        return self._put(io.BytesIO(data), name)

    def put_stream(self, stream: BinaryIO, original_name: str) -> StoredBlob:
        """Store what `stream.read()` yields; reads at most `max_bytes` + 1 bytes."""
        return self._put(stream, clean_name(original_name))

    def put_raw(self, path: Path, original_name: str, *, max_bytes: int) -> StoredBlob:
        """Store a file of any type, unchecked (kind "other"): what a resident sent that the
        checklist cannot take (a voice note, a Word file, a corrupt photo) is still kept."""
        name = clean_name(original_name)
        limit, self_max = max_bytes, self.max_bytes
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size > limit:
                raise InvalidInput(tr("Berkas {name} ditolak: ukurannya melebihi batas {limit}.",
                                      name=name, limit=_human_size(limit)))
            return self._put(fh, name, checked=False, max_bytes=max(limit, self_max))

    def put_raw_bytes(self, data: bytes, original_name: str, *, max_bytes: int) -> StoredBlob:
        """`put_raw` for bytes in memory (a voice note inside a chat export's zip)."""
        name = clean_name(original_name)
        if len(data) > max_bytes:
            raise InvalidInput(tr("Berkas {name} ditolak: ukurannya melebihi batas {limit}.",
                                  name=name, limit=_human_size(max_bytes)))
        return self._put(io.BytesIO(data), name, checked=False, max_bytes=max(max_bytes, self.max_bytes))

    def discard(self, sha256: str) -> None:
        """Remove a blob that no row points to (what a cancelled import had just stored).

        Only for blobs the caller itself added moments ago: the store never checks references.
        """
        sha = self._normalize(sha256)
        if sha is None:
            return
        path = self._blob_path(sha)
        try:
            os.chmod(path, 0o644)  # stored read-only; Windows refuses to delete such a file
            path.unlink()
        except FileNotFoundError:
            pass

    def _too_big(self, name: str) -> InvalidInput:
        return InvalidInput(
            tr("Berkas {name} ditolak: ukurannya melebihi batas {limit}.", name=name, limit=_human_size(self.max_bytes))
        )

    def _put(self, stream: BinaryIO, name: str, *, checked: bool = True, max_bytes: int | None = None) -> StoredBlob:
        fd, tmp_name = tempfile.mkstemp(prefix="put-", suffix=".part", dir=self._tmp)
        tmp = Path(tmp_name)
        moved = False
        try:
            with os.fdopen(fd, "wb") as out:
                sha, size, head = self._copy(stream, out, name, max_bytes or self.max_bytes)
                out.flush()
                os.fsync(out.fileno())
            blob = (self._describe(tmp, sha, size, head, name) if checked
                    else StoredBlob(sha256=sha, kind="other", mime="application/octet-stream", size=size,
                                    original_name=name))
            dest = self._blob_path(sha)
            if dest.is_file() and _hash_file(dest) == sha:
                return replace(blob, already_stored=True)
            self._make_dirs(dest.parent)
            if dest.exists():  # a damaged copy under this name: the verified upload repairs it
                os.chmod(dest, 0o644)
            try:
                os.replace(tmp, dest)
            except PermissionError:  # Windows: a parallel put just placed a read-only copy
                if dest.is_file() and _hash_file(dest) == sha:
                    return replace(blob, already_stored=True)
                raise
            moved = True
            _fsync_dir(dest.parent)
            try:
                os.chmod(dest, 0o444)  # originals are never altered, not even by accident
            except OSError:
                pass
            return blob
        finally:
            if not moved:
                tmp.unlink(missing_ok=True)

    def _copy(self, stream: BinaryIO, out: BinaryIO, name: str, max_bytes: int) -> tuple[str, int, bytes]:
        """Copy `stream` to `out`, hashing; refuse past `max_bytes` or when empty."""
        h = hashlib.sha256()
        size = 0
        head = b""
        while True:
            chunk = stream.read(min(CHUNK_SIZE, max_bytes + 1 - size))
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise self._too_big(name)
            h.update(chunk)
            out.write(chunk)
            if len(head) < HEAD_SIZE:
                head += bytes(chunk[: HEAD_SIZE - len(head)])
        if size == 0:
            raise InvalidInput(tr("Berkas {name} ditolak: berkasnya kosong.", name=name))
        return h.hexdigest(), size, head

    def _describe(self, path: Path, sha: str, size: int, head: bytes, name: str) -> StoredBlob:
        """Check the content at `path` by its type and return its metadata (or refuse)."""
        found = sniff(head)
        if found is None:
            raise InvalidInput(
                tr(
                    "Berkas {name} ditolak: isinya bukan PDF atau foto (terdeteksi: {found}). "
                    "Yang diterima: PDF, JPG, PNG, WebP, HEIC.",
                    name=name,
                    found=describe(head),
                )
            )
        kind, mime = found
        base = StoredBlob(sha256=sha, kind=kind, mime=mime, size=size, original_name=name)
        if kind == "image":
            img = inspect_image(path, name, mime, self.max_pixels)
            return replace(base, width=img.width, height=img.height)
        pdf = inspect_pdf(path, name)
        return replace(base, pages=pdf.pages, text=pdf.text, encrypted=pdf.encrypted)

    def _make_dirs(self, directory: Path) -> None:
        """Create the two fan-out levels, fsyncing each parent that gained an entry."""
        for level in (directory.parent, directory):
            if not level.is_dir():
                level.mkdir(exist_ok=True)
                _fsync_dir(level.parent)

    # -- reading -------------------------------------------------------------------------

    @staticmethod
    def _normalize(sha256: str) -> str | None:
        if not isinstance(sha256, str):
            return None
        sha = sha256.strip().lower()
        return sha if _SHA_RE.fullmatch(sha) else None

    def _blob_path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha[2:4] / sha

    def path(self, sha256: str) -> Path:
        """Where the blob lives. Refuses anything but 64 hex digits (no path tricks)."""
        sha = self._normalize(sha256)
        if sha is None:
            raise InvalidInput(tr("Kode berkas tidak sah: {value}", value=str(sha256)[:80]))
        p = self._blob_path(sha)
        if not p.is_file():
            raise BlobNotFound(tr("Berkas lampiran {sha} tidak ditemukan di penyimpanan.", sha=sha[:12]))
        return p

    def exists(self, sha256: str) -> bool:
        """True if the blob is stored; False also for a malformed sha."""
        sha = self._normalize(sha256)
        return sha is not None and self._blob_path(sha).is_file()

    def read_bytes(self, sha256: str) -> bytes:
        """The blob's bytes, exactly as received."""
        return self.path(sha256).read_bytes()

    def inspect(self, sha256: str, original_name: str = "") -> StoredBlob:
        """Re-derive the metadata from the stored blob (`already_stored` is True)."""
        p = self.path(sha256)
        name = clean_name(original_name) if original_name else ""
        blob = self._describe(p, p.name, p.stat().st_size, _read_head(p), name or p.name[:12])
        return replace(blob, original_name=name, already_stored=True)

    def facts(self, sha256: str, original_name: str = "") -> StoredBlob:
        """Kind, type and size of a stored blob, without decoding a photo again (it was checked
        when stored); a PDF is read for its page count."""
        p = self.path(sha256)
        found = sniff(_read_head(p))
        if found is None or found[0] != "image":
            return self.inspect(sha256, original_name)
        name = clean_name(original_name) if original_name else p.name[:12]
        return StoredBlob(sha256=p.name, kind="image", mime=found[1], size=p.stat().st_size, original_name=name,
                          already_stored=True)

    def verify(self, sha256: str) -> bool:
        """True if the blob's content still hashes to its name."""
        p = self.path(sha256)
        return _hash_file(p) == p.name

    def iter_blobs(self) -> Iterator[str]:
        """Every stored sha256, in sorted order (temp files and thumbnails excluded)."""
        for f in sorted(self.root.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]/*")):
            if _SHA_RE.fullmatch(f.name) and f.name[:4] == f.parent.parent.name + f.parent.name and f.is_file():
                yield f.name

    # -- thumbnails ----------------------------------------------------------------------

    def thumbnail(self, sha256: str, max_px: int = 256) -> bytes:
        """A JPEG preview at most `max_px` on its longer side, EXIF orientation applied.

        Photos are scaled down; a PDF gets a page-shaped placeholder (QtPdf renders the real
        page). Results are cached under `thumbs/`; the blob itself is only read.
        """
        if not isinstance(max_px, int) or not THUMB_MIN_PX <= max_px <= THUMB_MAX_PX:
            raise ValueError(f"max_px must be an int in [{THUMB_MIN_PX}, {THUMB_MAX_PX}]")
        p = self.path(sha256)
        sha = p.name
        cached = self._thumbs / sha[:2] / f"{sha}-{max_px}-{_THUMB_VERSION}.jpg"
        try:
            return cached.read_bytes()
        except OSError:
            pass
        found = sniff(_read_head(p))
        name = sha[:12]
        if found is None:
            raise InvalidInput(tr("Berkas {name} ditolak: bukan PDF atau foto.", name=name))
        kind, mime = found
        if kind == "image":
            data = make_thumbnail(p, name, mime, self.max_pixels, max_px)
        else:
            pdf = inspect_pdf(p, name)
            data = pdf_placeholder(max_px, pdf.pages, pdf.encrypted)
        self._write_cache(cached, data)
        return data

    def _write_cache(self, target: Path, data: bytes) -> None:
        """Atomically write a cache file; failure only costs the cache."""
        tmp: Path | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix="thumb-", suffix=".part", dir=self._tmp)
            tmp = Path(tmp_name)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, target)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                tmp.unlink(missing_ok=True)

    # -- housekeeping --------------------------------------------------------------------

    def _sweep_tmp(self) -> None:
        """Remove temp files left by a crash; recent ones may belong to another process's put."""
        cutoff = time.time() - STALE_TMP_SECONDS
        for leftover in self._tmp.glob("*.part"):
            try:
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()
            except OSError:
                pass
