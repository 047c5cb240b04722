"""Photo checks and thumbnails: real images made with Pillow, decoded for real."""

from __future__ import annotations

import hashlib
import io
import random
import struct
import warnings
import zlib
from pathlib import Path

import pytest
from PIL import Image

from dikjamila.errors import InvalidInput
from dikjamila.files import HEIF_SUPPORTED, AttachmentStore
from dikjamila.files.images import pdf_placeholder


# -- helpers (also used by the other file-store tests) ----------------------------------------


def jpeg_bytes(size=(400, 200), orientation: int | None = None, noise: bool = False) -> bytes:
    """A real JPEG: left half red, right half blue (or random noise), optional EXIF orientation."""
    w, h = size
    if noise:
        rnd = random.Random(42)
        img = Image.frombytes("RGB", size, bytes(rnd.getrandbits(8) for _ in range(w * h * 3)))
    else:
        img = Image.new("RGB", size, (0, 0, 255))
        img.paste((255, 0, 0), (0, 0, w // 2, h))
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    img.save(out, format="JPEG", quality=90, exif=exif)
    return out.getvalue()


def image_bytes(fmt: str, size=(120, 80), mode: str = "RGB") -> bytes:
    """A small real image in `fmt` (PNG, WEBP, GIF...)."""
    out = io.BytesIO()
    Image.new(mode, size, "green" if mode != "1" else 1).save(out, format=fmt)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` grey pixels (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (min(width, 4096) + 1))
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def files_under(root: Path) -> set[str]:
    """Every file below `root`, relative (to prove a refusal left nothing behind)."""
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "blobs")


def _refused(store: AttachmentStore, data: bytes, name: str) -> InvalidInput:
    """Put `data`, expect a refusal naming the file, and check nothing new is on disk."""
    before = files_under(store.root)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(InvalidInput) as info:
            store.put_bytes(data, name)
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]
    assert name in info.value.message
    assert files_under(store.root) == before
    assert not any((store.root / "tmp").iterdir())
    return info.value


# -- accepted photos --------------------------------------------------------------------------


def test_exif_orientation_rotates_thumbnail_but_not_original(store):
    data = jpeg_bytes((400, 200), orientation=6)  # stored landscape, shown portrait
    blob = store.put_bytes(data, "ktp.jpg")
    assert (blob.kind, blob.mime) == ("image", "image/jpeg")
    assert (blob.width, blob.height) == (200, 400)
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert store.read_bytes(blob.sha256) == data

    thumb = Image.open(io.BytesIO(store.thumbnail(blob.sha256, max_px=100)))
    assert thumb.format == "JPEG" and thumb.size == (50, 100)
    # Orientation 6 = rotate 90° clockwise to display: the raw left (red) half ends up on top.
    red_top, blue_bottom = thumb.getpixel((25, 10)), thumb.getpixel((25, 90))
    assert red_top[0] > 200 and red_top[2] < 60
    assert blue_bottom[2] > 200 and blue_bottom[0] < 60
    assert store.read_bytes(blob.sha256) == data and store.verify(blob.sha256)


def test_thumbnail_is_cached_and_blob_untouched(store):
    blob = store.put_bytes(jpeg_bytes((900, 600), noise=True), "kk.jpg")
    blob_path = store.path(blob.sha256)
    stat_before = blob_path.stat()
    first = store.thumbnail(blob.sha256)
    cached = [p for p in (store.root / "thumbs").rglob("*") if p.is_file()]
    assert len(cached) == 1 and cached[0].read_bytes() == first
    assert store.thumbnail(blob.sha256) == first
    assert Image.open(io.BytesIO(first)).size == (256, 171)
    stat_after = blob_path.stat()
    assert (stat_after.st_mtime_ns, stat_after.st_size) == (stat_before.st_mtime_ns, stat_before.st_size)
    assert not any((store.root / "tmp").iterdir())


@pytest.mark.parametrize("fmt,mime", [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_accepted(store, fmt, mime):
    blob = store.put_bytes(image_bytes(fmt), f"foto.{fmt.lower()}")
    assert (blob.kind, blob.mime, blob.width, blob.height) == ("image", mime, 120, 80)


def test_transparent_png_thumbnail_is_flattened(store):
    blob = store.put_bytes(image_bytes("PNG", (300, 100), mode="RGBA"), "scan.png")
    thumb = Image.open(io.BytesIO(store.thumbnail(blob.sha256, max_px=64)))
    assert thumb.mode == "RGB" and thumb.size == (64, 21)


def test_multi_picture_jpeg_from_phone_accepted(store):
    frames = [Image.new("RGB", (64, 48), c) for c in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, format="MPO", save_all=True, append_images=frames[1:])
    blob = store.put_bytes(out.getvalue(), "kamera.jpg")
    assert (blob.mime, blob.width, blob.height) == ("image/jpeg", 64, 48)


def test_pixel_limit_is_inclusive(tmp_path):
    small = AttachmentStore(tmp_path / "s", max_pixels=100 * 100)
    assert small.put_bytes(image_bytes("PNG", (100, 100)), "pas.png").width == 100
    err = _refused(small, image_bytes("PNG", (101, 100)), "besar.png")
    assert "megapiksel" in err.message


# -- refused photos ---------------------------------------------------------------------------


@pytest.mark.parametrize("side", [100_000, 10_000])  # beyond Pillow's error / inside its warning zone
def test_decompression_bomb_header_refused(store, side):
    bomb = png_header_claiming(side, side)
    assert len(bomb) < 5000
    err = _refused(store, bomb, "bom.png")
    assert "terlalu besar" in err.message


def test_small_file_huge_image_refused_before_decoding(store):
    out = io.BytesIO()
    Image.new("1", (8000, 7000), 0).save(out, format="PNG")  # 56 MP in a few kB
    assert len(out.getvalue()) < 100_000
    _refused(store, out.getvalue(), "kecil-tapi-besar.png")


def test_refusal_keeps_existing_blobs(store):
    good = jpeg_bytes()
    blob = store.put_bytes(good, "baik.jpg")
    _refused(store, png_header_claiming(100_000, 100_000), "bom.png")
    _refused(store, jpeg_bytes(noise=True)[:3000], "potong.jpg")
    assert list(store.iter_blobs()) == [blob.sha256]
    assert store.read_bytes(blob.sha256) == good


def test_truncated_jpeg_refused(store):
    data = jpeg_bytes((300, 300), noise=True)
    err = _refused(store, data[: len(data) // 2], "akta terpotong.jpg")
    assert "rusak" in err.message and "terpotong" in err.message


def test_truncated_png_refused(store):
    out = io.BytesIO()
    Image.effect_noise((400, 400), 64).save(out, format="PNG")  # noise: pixel data fills the file
    data = out.getvalue()
    _refused(store, data[: len(data) // 2], "potong.png")


def test_jpeg_signature_with_garbage_refused(store):
    _refused(store, b"\xff\xd8\xff\xe0" + b"\x00garbage" * 200, "palsu.jpg")


def test_gif_and_bmp_are_not_accepted(store):
    for fmt in ("GIF", "BMP"):
        assert "bukan PDF atau foto" in _refused(store, image_bytes(fmt), f"foto.{fmt.lower()}").message


@pytest.mark.skipif(HEIF_SUPPORTED, reason="pillow_heif is installed here")
def test_heic_without_plugin_asks_for_jpg_or_pdf(store):
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200
    err = _refused(store, heic, "IMG_0001.HEIC")
    assert "JPG" in err.message and "PDF" in err.message


def test_pdf_placeholder_is_page_shaped():
    img = Image.open(io.BytesIO(pdf_placeholder(256, pages=3, encrypted=False)))
    assert img.size == (181, 256)
