"""Storing a file a resident sent: a safe, unique name in the incoming folder.

The sender chooses the file name WhatsApp shows, so it is never trusted as a path: only its
last component is kept, reduced to letters, digits, `.`, `-`, `_` and spaces, cut to a
sensible length, and prefixed with the time and the message id so two files never collide.
"""

from __future__ import annotations

import mimetypes
import os
import re
import unicodedata
from datetime import datetime
from pathlib import Path

MAX_NAME = 80  # characters kept of the sender's name (with its extension)

# What WhatsApp sends, where `mimetypes` has no answer or a surprising one.
_EXTENSIONS = {
    "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/heic": ".heic",
    "application/pdf": ".pdf", "audio/ogg": ".ogg", "audio/mpeg": ".mp3", "audio/mp4": ".m4a",
    "audio/aac": ".aac", "video/mp4": ".mp4", "video/3gpp": ".3gp",
}
_KIND_DEFAULT = {"image": ".jpg", "sticker": ".webp", "audio": ".ogg", "video": ".mp4", "document": ".bin"}
_WINDOWS_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$")
_UNSAFE = re.compile(r"[^\w.\- ]+")


def extension_for(mime: str, kind: str) -> str:
    """The usual extension (with its dot) of a file of type `mime` ("audio/ogg; codecs=opus")."""
    base = (mime or "").split(";")[0].strip().lower()
    return _EXTENSIONS.get(base) or (mimetypes.guess_extension(base) if base else None) \
        or _KIND_DEFAULT.get(kind, ".bin")


def safe_name(name: str, fallback: str = "berkas") -> str:
    """`name` made harmless as one file name: no folders, no control or odd characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]  # never a path: only the last component
    name = _UNSAFE.sub("_", name).strip(" ._")
    name = re.sub(r"_{2,}", "_", name)
    if not name:
        name = fallback
    if _WINDOWS_RESERVED.match(name):
        name = "_" + name
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:10] if dot and stem else ""
        name = name[:MAX_NAME - len(ext) - 1].rstrip(" ._") + ("." + ext if ext else "")
    return name


def display_name(sender_name: str, mime: str, kind: str, message_id: str) -> str:
    """The name to show for the file: the sender's (made safe) or one made from its kind."""
    if sender_name:
        name = safe_name(sender_name)
        if "." not in name:
            name += extension_for(mime, kind)
        return name
    return f"{kind}-{safe_name(message_id, 'pesan')[:24]}{extension_for(mime, kind)}"


def store_incoming(folder: Path, data: bytes, *, message_id: str, name: str, at: datetime) -> Path:
    """Write `data` under a new name in `folder` and return its path.

    The name is `<yyyymmdd-hhmmss>-<message id>-<name>`; an existing file is never replaced
    (`-1`, `-2`... are added). The bytes are written to a `.part` file first and renamed when
    complete, so a file with a final name is always whole.
    """
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{at:%Y%m%d-%H%M%S}-{safe_name(message_id, 'pesan')[:32]}-{safe_name(name)}"
    base, dot, ext = stem.rpartition(".")
    if not dot:
        base, ext = stem, ""
    for counter in range(1000):
        candidate = folder / (f"{base}-{counter}" if counter else base)
        candidate = candidate.with_name(candidate.name + (f".{ext}" if ext else ""))
        part = candidate.with_name(candidate.name + ".part")
        if candidate.exists():
            continue
        try:
            with open(part, "xb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        except FileExistsError:
            continue
        os.replace(part, candidate)
        return candidate
    raise FileExistsError(f"no free file name for {stem} in {folder}")
