"""Photo checks and thumbnails with Pillow.

A photo is accepted only if Pillow decodes it completely (a truncated JPEG fails in
``load()``; ``ImageFile.LOAD_TRUNCATED_IMAGES`` is never set) and its pixel count is within the
store's limit. The limit is checked from the header, before any pixel is decoded, and
Pillow's own decompression-bomb warning is turned into a refusal for the duration of the open.
Pillow's process-wide ``Image.MAX_IMAGE_PIXELS`` is left alone: other code (fpdf2) shares it.

HEIC (iPhone photos) is accepted only when the optional ``pillow_heif`` plugin is installed;
otherwise the operator is asked for a JPG or PDF instead.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw, ImageFont, ImageOps

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

log = logging.getLogger(__name__)

try:  # Optional: HEIC support, only if the office installed the plugin.
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - depends on the environment
    HEIF_SUPPORTED = False

#: Default pixel limit (width x height) for a photo; the store takes its own value.
DEFAULT_MAX_PIXELS = 50_000_000

# Pillow plugin names accepted for each sniffed MIME type (MPO = multi-picture JPEG from phones).
_FORMATS = {
    "image/jpeg": ("JPEG", "MPO"),
    "image/png": ("PNG",),
    "image/webp": ("WEBP",),
    "image/heic": ("HEIF",),
}
# EXIF orientations that turn the picture a quarter turn (width and height swap).
_QUARTER_TURNS = {5, 6, 7, 8}
THUMB_QUALITY = 85


@dataclass(frozen=True)
class ImageInfo:
    """What a photo check found: its dimensions as displayed (after EXIF orientation)."""

    width: int
    height: int


def _corrupt(name: str) -> InvalidInput:
    return InvalidInput(tr("Berkas {name} rusak: foto tidak bisa dibuka (rusak atau terpotong).", name=name))


def _too_big(name: str, max_pixels: int) -> InvalidInput:
    return InvalidInput(
        tr(
            "Berkas {name} ditolak: ukuran foto terlalu besar (lebih dari {limit} megapiksel).",
            name=name,
            limit=f"{max_pixels / 1_000_000:g}",
        )
    )


@contextmanager
def open_image(path: Path, name: str, mime: str, max_pixels: int) -> Iterator[Image.Image]:
    """Open `path` as the sniffed `mime`, check its size and decode it fully; yield the image.

    Raises `InvalidInput` (naming `name`) for an unsupported, oversized, corrupt or truncated
    photo. The file on disk is only read.
    """
    if mime == "image/heic" and not HEIF_SUPPORTED:
        raise InvalidInput(
            tr(
                "Berkas {name} berformat HEIC (foto iPhone) yang belum bisa dibuka di komputer ini. "
                "Mohon minta warga mengirim ulang sebagai JPG atau PDF.",
                name=name,
            )
        )
    formats = _FORMATS.get(mime)
    if formats is None:
        raise InvalidInput(tr("Berkas {name} ditolak: bukan PDF atau foto.", name=name))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(path, formats=list(formats))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise _too_big(name, max_pixels) from exc
    except Exception as exc:  # UnidentifiedImageError, SyntaxError, struct.error, ...
        raise _corrupt(name) from exc
    try:
        width, height = img.size
        if width <= 0 or height <= 0:
            raise _corrupt(name)
        if width * height > max_pixels:
            raise _too_big(name, max_pixels)
        yield img
    finally:
        img.close()


def _decode(img: Image.Image, name: str) -> None:
    """Decode every pixel of the current frame; truncation or bad data becomes a refusal."""
    try:
        img.load()
    except MemoryError as exc:
        raise InvalidInput(tr("Berkas {name} ditolak: foto terlalu besar untuk dibuka.", name=name)) from exc
    except Exception as exc:  # OSError("image file is truncated"), SyntaxError, ValueError, ...
        raise _corrupt(name) from exc


def _orientation(img: Image.Image) -> int:
    """The EXIF orientation tag (1 when absent or unreadable)."""
    try:
        value = img.getexif().get(ExifTags.Base.Orientation, 1)
        return int(value)
    except Exception:  # malformed EXIF must not reject an otherwise good photo
        log.info("EXIF orientation of a photo is unreadable; shown as stored", exc_info=True)
        return 1


def inspect_image(path: Path, name: str, mime: str, max_pixels: int = DEFAULT_MAX_PIXELS) -> ImageInfo:
    """Check the photo at `path` completely and return its displayed dimensions."""
    with open_image(path, name, mime, max_pixels) as img:
        _decode(img, name)
        width, height = img.size
        if _orientation(img) in _QUARTER_TURNS:
            width, height = height, width
        return ImageInfo(width=width, height=height)


def _to_rgb(img: Image.Image) -> Image.Image:
    """Flatten any mode to RGB, putting transparent areas on white (documents are on paper)."""
    if img.mode == "RGB":
        return img
    if img.mode == "P" and "transparency" in img.info:
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    try:
        return img.convert("RGB")
    except ValueError:  # exotic modes (e.g. 16-bit) without a direct conversion
        return img.convert("L").convert("RGB")


def _encode_jpeg(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=THUMB_QUALITY)
    return out.getvalue()


def make_thumbnail(path: Path, name: str, mime: str, max_pixels: int, max_px: int) -> bytes:
    """A JPEG no larger than `max_px` on its longer side, EXIF orientation applied.

    The photo at `path` is only read; the thumbnail is built in memory.
    """
    with open_image(path, name, mime, max_pixels) as img:
        if img.format in ("JPEG", "MPO"):
            img.draft("RGB", (max_px, max_px))  # let libjpeg decode at a reduced scale
        _decode(img, name)
        try:
            shown = ImageOps.exif_transpose(img)
        except Exception:  # malformed EXIF: show the picture as stored
            log.info("EXIF of %s could not be applied to its thumbnail", name, exc_info=True)
            shown = img
        shown = _to_rgb(shown)
        shown.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
        return _encode_jpeg(shown)


def pdf_placeholder(max_px: int, pages: int | None, encrypted: bool) -> bytes:
    """A page-shaped JPEG standing in for a PDF's thumbnail (pypdf cannot render pages)."""
    height = max_px
    width = max(1, round(max_px / 1.414))  # A4 proportions
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    border = max(1, max_px // 64)
    draw.rectangle((0, 0, width - 1, height - 1), outline=(150, 150, 150), width=border)
    draw.rectangle((0, 0, width - 1, height // 5), fill=(200, 40, 40))
    big = ImageFont.load_default(size=max(8, max_px // 8))
    small = ImageFont.load_default(size=max(6, max_px // 14))
    draw.text((width / 2, height / 10), "PDF", fill="white", font=big, anchor="mm")
    if encrypted and pages is None:
        caption = tr("terkunci")
    elif pages is not None:
        caption = tr("{n} hlm", n=pages)
    else:
        caption = ""
    if caption:
        draw.text((width / 2, height * 0.6), caption, fill=(60, 60, 60), font=small, anchor="mm")
    return _encode_jpeg(img)
