"""When the scheduled backup is due, and running it for an open office.

The time of the last backup is the office's newest manifest in the backup folder itself: every
run (the workstation's schedule, the command line, another PC of the office using the same
folder) reads the same, and a new, empty folder (another disk plugged in) is due at once.
Another office's copy there does not count: that office's backup of today is not this one's (and
this one's run, due, says why it cannot write there).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from dikjamila.backup_folder.layout import last_backup_time
from dikjamila.backup_folder.write import FolderBackupResult, Progress, backup_to_folder
from dikjamila.config import Settings
from dikjamila.desk.timezone import WITA
from dikjamila.office_id import office_id


def due_for_backup(settings: Settings, last_backup: datetime | None, now: datetime) -> bool:
    """Daily backup: due when a folder is set, `backup_daily` is on, and the last copy is not
    from today, office time (WITA). A naive datetime is taken as office time."""
    if not settings.backup_dir.strip() or not settings.backup_daily:
        return False
    if last_backup is None:
        return True
    return _office_day(last_backup) != _office_day(now)


def _office_day(moment: datetime):
    return (moment if moment.tzinfo else moment.replace(tzinfo=WITA)).astimezone(WITA).date()


def backup_office(office, *, now: datetime | None = None, progress: Progress | None = None,
                  check_existing: bool = False) -> FolderBackupResult:
    """Back `office` up to its `backup_dir`, keeping its `backup_keep` newest copies."""
    s = office.settings
    return backup_to_folder(office.paths, office.db, office.store, s.backup_dir, keep=s.backup_keep, now=now,
                            progress=progress, check_existing=check_existing)


def last_backup_of(office) -> datetime | None:
    """When `office`'s newest copy in its `backup_dir` was made; None when none is there."""
    folder = office.settings.backup_dir.strip()
    return last_backup_time(Path(folder), office_id(office.db)) if folder else None


def backup_if_due(office, *, now: datetime | None = None, progress: Progress | None = None
                  ) -> FolderBackupResult | None:
    """The scheduled run: a backup when one is due (`due_for_backup`), else None."""
    now = now or datetime.now(UTC)
    if not due_for_backup(office.settings, last_backup_of(office), now):
        return None
    return backup_office(office, now=now, progress=progress)
