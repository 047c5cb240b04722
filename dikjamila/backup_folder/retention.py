"""Keeping the newest copies: older database copies go (manifest first, so a copy half removed
no longer counts), then the attachment files no copy left in the folder needs any more.

Only the office's own copies are counted and removed (and older ones that name no office, as
before); an attachment file stays while any manifest in the folder needs it, whichever office
wrote that manifest, and none goes while a manifest there cannot be read (a damaged one, or a
newer program's): what it needs is not known.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from dikjamila.backup_folder.layout import (
    DB_SUFFIX,
    MANIFEST_SUFFIX,
    PREFIX,
    scan_copies,
)

log = logging.getLogger(__name__)

_SHA_RE = re.compile(r"[0-9a-f]{64}")


def keep_newest(folder: Path, keep: int, office_id: str) -> tuple[int, int]:
    """Remove all but the newest `keep` copies of office `office_id`, then the files no remaining
    copy needs. (removed, pruned)"""
    copies, unreadable = scan_copies(folder)
    ours = [c for c in copies if c.counts_for(office_id)]
    old = ours[:-keep]
    for copy in old:
        copy.manifest.unlink(missing_ok=True)  # first: without its manifest a copy no longer counts
        copy.database.unlink(missing_ok=True)
    for orphan in folder.glob(f"{PREFIX}*{DB_SUFFIX}"):  # a copy whose manifest never landed
        if not orphan.with_suffix(MANIFEST_SUFFIX).exists():
            orphan.unlink(missing_ok=True)
    if not old:
        return 0, 0
    if unreadable:
        log.warning("backup folder %s holds manifests that cannot be read (%s); no attachment file removed",
                    folder, ", ".join(p.name for p in unreadable[:3]))
        return len(old), 0
    gone = {c.name for c in old}
    wanted = set().union(*(c.blobs for c in copies if c.name not in gone))
    pruned = 0
    for path in (folder / "blobs").glob("??/??/*"):
        if _SHA_RE.fullmatch(path.name) and path.name not in wanted:
            path.unlink(missing_ok=True)
            pruned += 1
    return len(old), pruned
