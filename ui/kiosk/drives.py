"""Where a resident's files can come from: the configured folders and plugged-in flashdisks.

Runs on the executor (listing a slow USB stick or a network share must not freeze the
screen). Only images and PDFs are listed, newest first, at most `MAX_FILES`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QStorageInfo

from dikjamila.i18n import tr

SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".pdf"})
MAX_FILES = 300
MAX_DEPTH = 4
#: Mount points of removable media on Linux desktops.
_LINUX_MEDIA = ("/media/", "/run/media/")


@dataclass(frozen=True)
class Place:
    """A folder to list: its name for the screen and its path."""

    name: str
    path: Path


@dataclass(frozen=True)
class FoundFile:
    path: Path
    modified: datetime
    size: int


def places(folders: tuple[Path, ...]) -> list[Place]:
    """The configured folders that exist, then every removable drive plugged in now."""
    found = [Place(tr("Folder pemindai") if n == 0 else folder.name or str(folder), folder)
             for n, folder in enumerate(folders) if folder.is_dir()]
    for volume in QStorageInfo.mountedVolumes():
        if not volume.isValid() or not volume.isReady():
            continue
        root = volume.rootPath()
        if not _removable(root):
            continue
        name = volume.displayName() or root
        found.append(Place(tr("Flashdisk {name}", name=name), Path(root)))
    return found


def _removable(root: str) -> bool:
    if sys.platform == "win32":
        system = os.environ.get("SystemDrive", "C:").rstrip("\\/").upper()
        return not root.upper().startswith(system)
    return root.startswith(_LINUX_MEDIA)


def list_files(folder: Path) -> list[FoundFile]:
    """Images and PDFs in `folder` and its subfolders (hidden ones skipped), newest first."""
    found: list[FoundFile] = []
    base_depth = len(folder.parts)
    for root, dirs, files in os.walk(folder, onerror=lambda _e: None):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("$RECYCLE.BIN", "System Volume Information"))
        if len(Path(root).parts) - base_depth >= MAX_DEPTH:
            dirs[:] = []
        for name in files:
            path = Path(root) / name
            if name.startswith(".") or path.suffix.lower() not in SUFFIXES:
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            found.append(FoundFile(path, datetime.fromtimestamp(stat.st_mtime), stat.st_size))
    found.sort(key=lambda f: f.modified, reverse=True)
    return found[:MAX_FILES]
