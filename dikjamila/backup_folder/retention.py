"""Keeping the newest copies: older database copies go (manifest first, so a copy half removed
no longer counts), then the attachment files no kept copy needs any more."""

from __future__ import annotations

import re
from pathlib import Path

from dikjamila.backup_folder.layout import (
    DB_SUFFIX,
    MANIFEST_SUFFIX,
    PREFIX,
    list_copies,
)

_SHA_RE = re.compile(r"[0-9a-f]{64}")


def keep_newest(folder: Path, keep: int) -> tuple[int, int]:
    """Remove all but the newest `keep` copies, then the files no kept copy needs. (removed, pruned)"""
    copies = list_copies(folder)
    old, kept = copies[:-keep], copies[-keep:]
    for copy in old:
        copy.manifest.unlink(missing_ok=True)  # first: without its manifest a copy no longer counts
        copy.database.unlink(missing_ok=True)
    for orphan in folder.glob(f"{PREFIX}*{DB_SUFFIX}"):  # a copy whose manifest never landed
        if not orphan.with_suffix(MANIFEST_SUFFIX).exists():
            orphan.unlink(missing_ok=True)
    pruned = 0
    if old:
        wanted = set().union(*(c.blobs for c in kept))
        for path in (folder / "blobs").glob("??/??/*"):
            if _SHA_RE.fullmatch(path.name) and path.name not in wanted:
                path.unlink(missing_ok=True)
                pruned += 1
    return len(old), pruned
