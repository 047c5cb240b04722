"""Choosing WhatsApp chat exports: dropped on a widget (the inbox) or picked in a file dialog.

A WhatsApp export is a `.zip` ("Ekspor chat" with media) or a `.txt` (without media). Other
dropped files are refused with a sentence saying why, so the operator is not left wondering
why nothing happened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QFileDialog, QWidget

from dikjamila.i18n import tr

EXPORT_SUFFIXES = (".zip", ".txt")
FILE_FILTER = "Ekspor chat WhatsApp (*.zip *.txt)"
_DRAG_EVENTS = (QEvent.Type.DragEnter, QEvent.Type.DragMove)

#: The folder the file dialog opened last in this session (the next one starts there).
_last_folder: Path | None = None


def split_exports(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(chat exports, everything else): a file ending in .zip or .txt (any case) is an export."""
    wanted: list[Path] = []
    refused: list[Path] = []
    for path in paths:
        is_export = path.suffix.lower() in EXPORT_SUFFIXES and not path.is_dir()
        (wanted if is_export else refused).append(path)
    return wanted, refused


def refusal_message(refused: list[Path]) -> str:
    """Why these dropped files are not imported (Indonesian, for the status bar)."""
    why = tr("hanya ekspor chat WhatsApp (.zip atau .txt) yang dapat diimpor.")
    if len(refused) == 1:
        return tr("{name} tidak diimpor: {why}", name=refused[0].name, why=why)
    names = ", ".join(p.name for p in refused[:3]) + (", …" if len(refused) > 3 else "")
    return tr("{count} berkas tidak diimpor ({names}): {why}", count=len(refused), names=names, why=why)


class ExportDropFilter(QObject):
    """An event filter that takes drops of local files on a widget.

    Exports go to `on_paths(list[Path])`; if anything else was dropped, `on_refused(message)`
    says why it was left out (both may run for one drop). Install with `install_export_drop`.
    """

    def __init__(self, on_paths: Callable[[list[Path]], None], on_refused: Callable[[str], None],
                 parent: QObject | None = None):
        super().__init__(parent)
        self._on_paths = on_paths
        self._on_refused = on_refused

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (*_DRAG_EVENTS, QEvent.Type.Drop):
            return False
        paths = _local_files(event.mimeData())
        if not paths:
            return False  # text or a link from a browser: the widget's own business
        if kind in _DRAG_EVENTS:
            # NOTE: any local file is accepted while dragging, so the drop happens and a wrong
            # file gets a reason in words instead of a silent "no entry" cursor.
            event.acceptProposedAction()
            return True
        wanted, refused = split_exports(paths)
        if wanted:
            event.acceptProposedAction()
        else:
            event.ignore()
        if refused:
            self._on_refused(refusal_message(refused))
        if wanted:
            self._on_paths(wanted)
        return True


def install_export_drop(widget: QWidget, on_paths: Callable[[list[Path]], None],
                        on_refused: Callable[[str], None]) -> ExportDropFilter:
    """Let `widget` (and its children) take dropped chat exports; returns the filter (owned
    by the widget).

    NOTE: a child that takes drops itself (the search box takes dropped text) would get a
    dropped file before the widget does, so the filter watches those children too. Children
    that do not take drops (the table's viewport) pass the drop up to the widget.
    """
    drop_filter = ExportDropFilter(on_paths, on_refused, widget)
    widget.setAcceptDrops(True)
    widget.installEventFilter(drop_filter)
    for child in widget.findChildren(QWidget):
        if child.acceptDrops():
            child.installEventFilter(drop_filter)
    return drop_filter


def choose_export_file(parent: QWidget | None) -> list[Path]:
    """Ask for one or more chat exports; [] when the operator cancels."""
    global _last_folder
    start = _last_folder or _default_folder()
    names, _filter = QFileDialog.getOpenFileNames(
        parent, tr("Pilih ekspor chat WhatsApp"), str(start), tr(FILE_FILTER))
    paths = [Path(name) for name in names]
    if paths:
        _last_folder = paths[0].parent
    return paths


def _default_folder() -> Path:
    """Where exports usually land: the Downloads folder when there is one."""
    downloads = Path.home() / "Downloads"
    return downloads if downloads.is_dir() else Path.home()


def _local_files(mime) -> list[Path]:
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
