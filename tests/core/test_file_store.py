"""The content-addressed store: layout, dedup, size limits, atomicity, lookups."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import sys
import threading
import time
from pathlib import Path

import pytest

from dikjamila.errors import InvalidInput, NotFound
from dikjamila.files import DEFAULT_MAX_BYTES, AttachmentStore, BlobNotFound, clean_name
from dikjamila.files.store import CHUNK_SIZE, STALE_TMP_SECONDS
from tests.core.test_images import files_under, jpeg_bytes
from tests.core.test_pdfs import pdf_bytes


class CountingStream:
    """A read-only stream of `total` bytes (a PDF header, then zeros) that counts what is read.

    With `fail_after` set, `read()` raises OSError once that many bytes have been handed out
    (a network share dropping mid-copy).
    """

    def __init__(self, total: int, fail_after: int | None = None, head: bytes = b"%PDF-1.7\n"):
        self.total, self.fail_after, self.head = total, fail_after, head
        self.bytes_read = 0

    def read(self, n: int = -1) -> bytes:
        if self.fail_after is not None and self.bytes_read >= self.fail_after:
            raise OSError("koneksi terputus")
        n = self.total - self.bytes_read if n is None or n < 0 else min(n, self.total - self.bytes_read)
        start = self.bytes_read
        self.bytes_read += n
        prefix = self.head[start : start + n]
        return prefix + b"\x00" * (n - len(prefix))


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "blobs")


def _assert_clean(store: AttachmentStore, before: set[str]) -> None:
    assert files_under(store.root) == before
    assert not any((store.root / "tmp").iterdir())


# -- layout and dedup -------------------------------------------------------------------------


def test_blob_layout_and_metadata(store):
    data = jpeg_bytes()
    sha = hashlib.sha256(data).hexdigest()
    blob = store.put_bytes(data, "ktp.jpg")
    assert blob.sha256 == sha and blob.size == len(data) and not blob.already_stored
    assert store.path(sha) == store.root / sha[:2] / sha[2:4] / sha
    assert store.exists(sha) and store.read_bytes(sha) == data and store.verify(sha)
    assert files_under(store.root) == {f"{sha[:2]}/{sha[2:4]}/{sha}"}
    assert store.inspect(sha, "ktp.jpg") == blob.__class__(**{**blob.__dict__, "already_stored": True})


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_blob_is_read_only(store):
    blob = store.put_bytes(pdf_bytes(), "akta.pdf")
    assert stat.S_IMODE(store.path(blob.sha256).stat().st_mode) & 0o222 == 0


def test_same_content_is_stored_once(store, tmp_path):
    data = pdf_bytes()
    src = tmp_path / "akta.pdf"
    src.write_bytes(data)
    first = store.put_file(src)
    mtime = store.path(first.sha256).stat().st_mtime_ns
    second = store.put_bytes(data, "akta (1).pdf")
    third = store.put_stream(io.BytesIO(data), "kiriman-ulang.pdf")
    assert not first.already_stored and second.already_stored and third.already_stored
    assert first.sha256 == second.sha256 == third.sha256
    assert (second.original_name, second.pages) == ("akta (1).pdf", 3)
    assert list(store.iter_blobs()) == [first.sha256]
    assert len(files_under(store.root)) == 1
    assert store.path(first.sha256).stat().st_mtime_ns == mtime


def test_concurrent_puts_of_the_same_content(store):
    data = jpeg_bytes(noise=True)
    results, errors = [], []

    def put(i: int) -> None:
        try:
            results.append(store.put_bytes(data, f"foto-{i}.jpg").sha256)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=put, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(results)) == 1 and len(results) == 8
    assert list(store.iter_blobs()) == results[:1] and store.verify(results[0])
    assert not any((store.root / "tmp").iterdir())


def test_damaged_blob_is_detected_and_repaired_by_a_new_put(store):
    data = pdf_bytes()
    sha = store.put_bytes(data, "akta.pdf").sha256
    p = store.path(sha)
    os.chmod(p, 0o644)
    p.write_bytes(data[:-10] + b"0000000000")  # bit rot
    assert not store.verify(sha)
    again = store.put_bytes(data, "akta.pdf")
    assert not again.already_stored and store.verify(sha) and store.read_bytes(sha) == data


def test_iter_blobs_skips_tmp_thumbs_and_strays(store):
    shas = sorted(store.put_bytes(d, "x").sha256 for d in (jpeg_bytes(), pdf_bytes()))
    store.thumbnail(shas[0])
    (store.root / "catatan.txt").write_text("bukan blob")
    (store.root / shas[0][:2] / shas[0][2:4] / "salinan.txt").write_text("bukan blob")
    assert list(store.iter_blobs()) == shas


# -- size limits ------------------------------------------------------------------------------


def test_two_gigabyte_stream_refused_just_past_the_limit(store):
    huge = CountingStream(total=2 * 1024**3)
    before = files_under(store.root)
    with pytest.raises(InvalidInput) as info:
        store.put_stream(huge, "video.pdf")
    assert store.max_bytes == DEFAULT_MAX_BYTES == 25 * 1024 * 1024
    assert "video.pdf" in info.value.message and "25 MB" in info.value.message
    assert DEFAULT_MAX_BYTES < huge.bytes_read <= DEFAULT_MAX_BYTES + 1
    _assert_clean(store, before)


def test_oversized_file_refused_before_reading(store, tmp_path):
    sparse = tmp_path / "besar.pdf"
    with open(sparse, "wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(2 * 1024**3)  # 2 GB on paper, no disk used on most file systems
    with pytest.raises(InvalidInput, match="besar.pdf"):
        store.put_file(sparse)
    with pytest.raises(InvalidInput, match="melebihi batas"):
        store.put_bytes(b"%PDF-" + b"\x00" * DEFAULT_MAX_BYTES, "besar2.pdf")
    _assert_clean(store, set())


def test_limit_is_inclusive(tmp_path):
    data = pdf_bytes()
    assert AttachmentStore(tmp_path / "a", max_bytes=len(data)).put_bytes(data, "pas.pdf").size == len(data)
    tight = AttachmentStore(tmp_path / "b", max_bytes=len(data) - 1)
    with pytest.raises(InvalidInput, match="melebihi batas"):
        tight.put_stream(io.BytesIO(data), "lebih.pdf")
    _assert_clean(tight, set())


def test_empty_file_refused_every_way(store, tmp_path):
    empty = tmp_path / "kosong.jpg"
    empty.write_bytes(b"")
    for put in (lambda: store.put_file(empty), lambda: store.put_bytes(b"", "kosong.jpg"),
                lambda: store.put_stream(io.BytesIO(), "kosong.jpg")):
        with pytest.raises(InvalidInput, match="kosong.jpg.*kosong"):
            put()
    _assert_clean(store, set())


# -- failures leave nothing behind ------------------------------------------------------------


def test_exception_mid_write_leaves_nothing(store):
    kept = store.put_bytes(jpeg_bytes(), "lama.jpg")
    before = files_under(store.root)
    broken = CountingStream(total=10 * CHUNK_SIZE, fail_after=3 * CHUNK_SIZE)
    with pytest.raises(OSError, match="koneksi terputus"):
        store.put_stream(broken, "putus.pdf")
    assert broken.bytes_read == 3 * CHUNK_SIZE
    _assert_clean(store, before)
    assert store.verify(kept.sha256)


def test_stream_of_wrong_type_leaves_nothing(store):
    with pytest.raises(TypeError):
        store.put_stream(io.StringIO("bukan bytes"), "teks.pdf")
    _assert_clean(store, set())


def test_missing_source_file_is_a_user_error(store, tmp_path):
    with pytest.raises(InvalidInput, match="hilang.pdf"):
        store.put_file(tmp_path / "hilang.pdf")
    _assert_clean(store, set())


def test_stale_temp_files_are_swept_on_open(tmp_path):
    root = tmp_path / "blobs"
    AttachmentStore(root)
    old, fresh = root / "tmp" / "put-old.part", root / "tmp" / "put-fresh.part"
    old.write_bytes(b"sisa crash")
    fresh.write_bytes(b"upload lain yang sedang berjalan")
    long_ago = time.time() - STALE_TMP_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    AttachmentStore(root)
    assert not old.exists() and fresh.exists()


# -- lookups ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ["../../etc/passwd", "", "abc", "g" * 64, "a" * 63, "a" * 65, "../" + "a" * 61, "a" * 32 + "/" + "a" * 31]
)
def test_path_rejects_malformed_sha(store, bad):
    with pytest.raises(InvalidInput) as info:
        store.path(bad)
    assert not isinstance(info.value, NotFound)
    assert not store.exists(bad)
    with pytest.raises(InvalidInput):
        store.read_bytes(bad)


def test_absent_blob_is_not_found(store):
    sha = "ab" * 32
    with pytest.raises(BlobNotFound) as info:
        store.path(sha)
    assert isinstance(info.value, NotFound) and isinstance(info.value, InvalidInput)
    for call in (store.read_bytes, store.verify, store.inspect, store.thumbnail):
        with pytest.raises(NotFound):
            call(sha)


def test_sha_is_case_insensitive(store):
    sha = store.put_bytes(pdf_bytes(), "a.pdf").sha256
    assert store.path(sha.upper()) == store.path(sha) and store.exists(sha.upper())


def test_names_are_cleaned():
    assert clean_name("C:\\Users\\warga\\Downloads\\ktp.jpg") == "ktp.jpg"
    assert clean_name("/tmp/../akta.pdf") == "akta.pdf"
    assert clean_name("foto\u202egpj.exe") == "fotogpj.exe"  # no right-to-left override trick
    assert clean_name("surat\x00\n  nikah.pdf") == "surat nikah.pdf"
    assert clean_name("") == "(tanpa nama)" and len(clean_name("a" * 1000)) == 255


def test_thumbnail_size_is_validated(store):
    sha = store.put_bytes(jpeg_bytes(), "a.jpg").sha256
    for bad in (0, 8, 5000):
        with pytest.raises(ValueError):
            store.thumbnail(sha, max_px=bad)
