"""Scheduled, incremental backup of an office to a folder (ideally another disk or PC).

`backup_to_folder` writes a new dated database copy and only the attachments the folder does
not hold yet (`write`); `restore_from_folder` puts a copy back after checking every file
(`restore`); `due_for_backup` says when the daily one is due (`schedule`); the folder's layout,
checks and lock are in `layout`; one folder holds one office's copies (`offices`). SQLite only,
like the zip backup (`dikjamila.backup`).
"""

from dikjamila.backup_folder.layout import (
    FolderCopy,
    check_backup_folder,
    last_backup_time,
    list_copies,
)
from dikjamila.backup_folder.restore import choose_copy, restore_from_folder
from dikjamila.backup_folder.schedule import (
    backup_if_due,
    backup_office,
    due_for_backup,
    last_backup_of,
)
from dikjamila.backup_folder.write import (
    FolderBackupResult,
    backup_to_folder,
    unsupported,
)

__all__ = [
    "FolderBackupResult",
    "FolderCopy",
    "backup_if_due",
    "backup_office",
    "backup_to_folder",
    "check_backup_folder",
    "choose_copy",
    "due_for_backup",
    "last_backup_of",
    "last_backup_time",
    "list_copies",
    "restore_from_folder",
    "unsupported",
]
