"""Watched folders (issue 8, item 5): files that appear in a downloads folder or in SIAK's
folder of issued PDFs go to "Berkas belum ditempatkan" (`dikjamila.desk.tray`).

`ready` decides when a file is complete, `watcher` finds files (watchdog events plus a
periodic rescan) and hands over the complete ones, `service` runs one watcher per configured
folder and gives what they find to the desk.
"""

from dikjamila.intake.watch.ready import ReadinessCheck, is_temporary_name
from dikjamila.intake.watch.service import FOLDER_SETTINGS, WatchService
from dikjamila.intake.watch.watcher import FolderWatcher

__all__ = ["FOLDER_SETTINGS", "FolderWatcher", "ReadinessCheck", "WatchService", "is_temporary_name"]
