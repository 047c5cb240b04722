"""Open a file a resident sent: photos and PDFs in our viewers, anything else with the PC's own
program (a voice note in the media player, a .docx in Word).

Stored files have no name or extension (the store is content-addressed), so a file for another
program is first copied, under its original name, into a private folder of the session that is
removed when the session ends (`AppContext.scratch_dir`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import shiboken6
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from dikjamila.i18n import tr
from dikjamila.whatsapp.transports.folder import safe_file_name
from ui.viewers.viewer_window import KINDS, ViewerWindow


def copy_for_opening(source: Path, folder: Path, sha256: str, name: str) -> Path:
    """`source` copied to `folder/<sha prefix>/<name>` (once), for a program that goes by extension."""
    target = folder / sha256[:16] / safe_file_name(name, "berkas")
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return target


def open_stored_file(ctx, parent: QWidget, sha256: str, kind: str, name: str, on_error=None) -> None:
    """Open the stored file `sha256` (found and, if needed, copied on the database worker)."""
    desk = ctx.desk
    viewable = kind in KINDS
    folder = None if viewable else ctx.scratch_dir()

    def locate() -> Path:
        path = desk.blob_path(sha256)
        return path if folder is None else copy_for_opening(path, folder, sha256, name)

    def opened(path: Path) -> None:
        if not shiboken6.isValid(parent):
            return
        if viewable:
            window = ViewerWindow(ctx.executor, path, kind, name, parent)
            window.show()
            window.raise_()
        else:
            open_with_system(path)

    def failed(message: str) -> None:
        if on_error is not None and shiboken6.isValid(parent):
            on_error(message)

    ctx.submit(locate, opened, failed, label=tr("Membuka berkas…"))


def open_with_system(path: Path) -> bool:
    """Hand `path` to the program the PC uses for it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
