"""Bantuan → Panduan: the operator's and the admin's guide, read inside the program.

The guides are Markdown files (`docs/panduan-petugas.md`, `docs/panduan-admin.md`) with their
screenshots in `docs/panduan/`. They are found beside the source tree, inside the PyInstaller
bundle (`sys._MEIPASS/docs`, see build.spec's `datas`), in an installed wheel's share folder,
or in a folder named by `DIKJAMILA_DOCS`.

The window is non-modal: one tab per guide, each with its table of contents (the headings), a
search box, and the text in a `QTextBrowser`. Screenshots are shown at their own size, or scaled
down to the width of the window when it is narrower (again whenever the window is resized); a
click on a screenshot opens it at full size. A guide that cannot be found is replaced by a
message in Indonesian saying where it was looked for.

`add_help_actions(window, help_menu)` puts "Panduan" (F1) at the top of the Help menu.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QDesktopServices,
    QKeySequence,
    QPixmap,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextImageFormat,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dikjamila.i18n import tr

log = logging.getLogger(__name__)

DOCS_ENV = "DIKJAMILA_DOCS"


@dataclass(frozen=True)
class Guide:
    file: str  # name in the docs folder
    title: str  # the tab's title (Indonesian)


GUIDES = (Guide("panduan-petugas.md", "Panduan petugas"), Guide("panduan-admin.md", "Panduan admin"))


def docs_candidates() -> list[Path]:
    """Where the guides may be, in the order they are looked for."""
    candidates: list[Path] = []
    if env := os.environ.get(DOCS_ENV):
        candidates.append(Path(env))
    if bundle := getattr(sys, "_MEIPASS", None):
        candidates.append(Path(bundle) / "docs")
    candidates.append(Path(__file__).resolve().parent.parent / "docs")
    candidates.append(Path(sys.prefix) / "share" / "dikjamila" / "docs")
    return candidates


def docs_dir() -> Path | None:
    """The first folder holding the operator's guide, or None."""
    return next((c for c in docs_candidates() if (c / GUIDES[0].file).is_file()), None)


def missing_text(name: str, looked_in: list[Path]) -> str:
    """The message shown instead of a guide that is not there (Markdown)."""
    places = "\n".join(f"- `{p}`" for p in looked_in)
    return tr("# Panduan tidak ditemukan\n\n"
              "Berkas panduan **{name}** tidak ada di komputer ini, jadi panduan belum dapat dibuka.\n\n"
              "Pasang ulang Dik Jamila dari pemasang (installer) resmi kantor, atau minta bantuan petugas TI "
              "kantor. Pekerjaan lain di Dik Jamila tidak terganggu.\n\n"
              "Tempat yang sudah diperiksa:\n\n{places}\n", name=name, places=places)


def heading_anchor(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    kept = "".join(ch for ch in text.strip().lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


class GuideBrowser(QTextBrowser):
    """One guide: Markdown with its images scaled to fit; emits `guide_link(file name)` for a
    link to the other guide and `image_clicked(path)` for a click on a screenshot."""

    guide_link = Signal(str)
    image_clicked = Signal(str)
    MARGIN = 8  # room kept beside an image so no horizontal scroll bar appears

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_link)
        self.folder: Path | None = None
        self.missing = False
        self._fit_timer = QTimer(self, singleShot=True, interval=60)
        self._fit_timer.timeout.connect(self.fit_images)
        self.document().setDocumentMargin(14)

    def load(self, path: Path, looked_in: list[Path]) -> None:
        """Show the guide at `path`, or the "not found" message."""
        self.folder = path.parent
        try:
            text = path.read_text(encoding="utf-8")
            self.missing = False
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("guide %s not shown (looked in %s): %s", path.name, ", ".join(map(str, looked_in)), exc)
            text, self.missing = missing_text(path.name, looked_in), True
        self.setSearchPaths([str(path.parent)])
        self.document().setBaseUrl(QUrl.fromLocalFile(str(path.parent) + os.sep))
        self.setMarkdown(text)
        self._style_code_blocks()
        self.fit_images()

    def _style_code_blocks(self) -> None:
        """Commands on a grey background, wrapped at the window's edge (not scrolled sideways)."""
        cursor = QTextCursor(self.document())
        block = self.document().begin()
        while block.isValid():
            fmt = block.blockFormat()
            if fmt.nonBreakableLines() or fmt.hasProperty(QTextFormat.Property.BlockCodeFence):
                fmt.setNonBreakableLines(False)
                fmt.setBackground(QColor("#f3f4f6"))
                fmt.setLeftMargin(max(fmt.leftMargin(), 6))
                cursor.setPosition(block.position())
                cursor.setBlockFormat(fmt)
            block = block.next()

    # -- images -----------------------------------------------------------------------------
    def images(self) -> list[tuple[int, QTextImageFormat]]:
        """(position, format) of every image in the document."""
        found = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.isValid() and fragment.charFormat().isImageFormat():
                    for offset in range(fragment.length()):
                        found.append((fragment.position() + offset, fragment.charFormat().toImageFormat()))
                it += 1
            block = block.next()
        return found

    def natural_size(self, name: str) -> QSize:
        """The image's own size (an empty size when it cannot be loaded)."""
        image = self.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        if isinstance(image, QPixmap) and not image.isNull():
            return image.deviceIndependentSize().toSize()
        if image is not None and hasattr(image, "isNull") and not image.isNull():
            return image.size()
        return QSize()

    def available_width(self) -> int:
        return max(120, self.viewport().width() - 2 * int(self.document().documentMargin()) - self.MARGIN)

    def fit_images(self) -> None:
        """Every image at its own size, or scaled down (keeping its shape) to the window's width."""
        room = self.available_width()
        cursor = QTextCursor(self.document())
        for position, fmt in self.images():
            size = self.natural_size(fmt.name())
            if size.isEmpty():
                continue
            width = min(size.width(), room)
            height = round(size.height() * width / size.width())
            if int(fmt.width()) == width and int(fmt.height()) == height:
                continue
            fmt.setWidth(width)
            fmt.setHeight(height)
            cursor.setPosition(position)
            cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(fmt)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_timer.start()

    def image_at(self, pos) -> str:
        """The file of the image under the viewport point `pos` ("" when there is none)."""
        nearest = self.cursorForPosition(pos).position()
        for start in (nearest, nearest - 1):  # the nearest cursor is before or after the image
            if start < 0:
                continue
            probe = QTextCursor(self.document())
            probe.setPosition(start)
            probe.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor)
            fmt = probe.charFormat()  # the format of the character just selected
            if not fmt.isImageFormat():
                continue
            probe.setPosition(start)
            edge = self.cursorRect(probe)  # the image's left edge, as tall as its line
            image = fmt.toImageFormat()
            if edge.left() <= pos.x() <= edge.left() + image.width() and edge.top() <= pos.y() <= edge.bottom():
                return image.name()
        return ""

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        point = event.position().toPoint()
        if event.button() == Qt.MouseButton.LeftButton and not self.anchorAt(point) and (name := self.image_at(point)):
            self.image_clicked.emit(name)

    # -- links ------------------------------------------------------------------------------
    def _on_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        name = Path(url.path()).name
        if name.endswith(".md"):
            self.guide_link.emit(name + ("#" + url.fragment() if url.hasFragment() else ""))
        elif name.lower().endswith(".png"):
            self.image_clicked.emit(url.path())
        elif url.hasFragment():
            self.go_to_anchor(url.fragment())

    def go_to_anchor(self, anchor: str) -> bool:
        """Scroll to the heading whose GitHub-style anchor is `anchor` (as links in the guides name them)."""
        for _level, text, position in self.headings():
            if heading_anchor(text) == anchor.lower():
                self.go_to(position)
                return True
        return False

    # -- contents and search ----------------------------------------------------------------
    def headings(self) -> list[tuple[int, str, int]]:
        """(level, text, position) of the headings, in order."""
        found = []
        block = self.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level and block.text().strip():
                found.append((level, block.text().strip(), block.position()))
            block = block.next()
        return found

    def go_to(self, position: int) -> None:
        """Scroll so the text at `position` is at the top."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        self.setTextCursor(cursor)
        top = self.document().documentLayout().blockBoundingRect(cursor.block()).top()
        self.verticalScrollBar().setValue(int(top))

    def find_next(self, text: str) -> bool:
        """Select the next place `text` occurs (from the top again after the last)."""
        if not text:
            return False
        if self.find(text):
            return True
        self.moveCursor(QTextCursor.MoveOperation.Start)
        return self.find(text)


class GuidePage(QWidget):
    """A guide with its contents list on the left."""

    def __init__(self, guide: Guide, parent=None):
        super().__init__(parent)
        self.guide = guide
        self.browser = GuideBrowser(self)
        self.contents = QListWidget(self)
        self.contents.setMinimumWidth(150)
        self.contents.setWordWrap(True)
        self.contents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.contents.itemActivated.connect(self._go)
        self.contents.itemClicked.connect(self._go)
        splitter = QSplitter(self)
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([210, 1000])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(splitter)

    def load(self, folder: Path | None, looked_in: list[Path]) -> None:
        path = (folder or (looked_in[0] if looked_in else Path("."))) / self.guide.file
        self.browser.load(path, looked_in)
        self.contents.clear()
        for level, text, position in self.browser.headings():
            if level > 3:
                continue
            item = QListWidgetItem(("    " * (level - 2) if level > 2 else "") + text)
            item.setData(Qt.ItemDataRole.UserRole, position)
            if level == 1:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.contents.addItem(item)

    def _go(self, item: QListWidgetItem) -> None:
        self.browser.go_to(int(item.data(Qt.ItemDataRole.UserRole)))


class ImageWindow(QScrollArea):
    """A screenshot at its full size."""

    def __init__(self, path: str, parent=None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(tr("{name} — Panduan Dik Jamila", name=Path(path).name))
        label = QLabel(self)
        label.setPixmap(QPixmap(path))
        self.setWidget(label)
        screen = self.screen().availableGeometry() if self.screen() else None
        size = label.pixmap().size() + QSize(24, 24)
        if screen is not None:
            size = size.boundedTo(screen.size() * 0.95)
        self.resize(size)


class HelpWindow(QWidget):
    """The guides in tabs, with a search box. Non-modal: the operator keeps working beside it."""

    def __init__(self, parent=None, *, folder: Path | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle(tr("Panduan Dik Jamila"))
        self.tabs = QTabWidget(self)
        self.pages: list[GuidePage] = []
        for guide in GUIDES:
            page = GuidePage(guide, self)
            page.browser.guide_link.connect(self.show_guide)
            page.browser.image_clicked.connect(self.show_image)
            self.pages.append(page)
            self.tabs.addTab(page, tr(guide.title))
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(tr("Cari di panduan (Enter: berikutnya)"))
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.find_next)
        find = QPushButton(tr("Cari"), self)
        find.setAutoDefault(False)
        find.clicked.connect(self.find_next)
        self.search_note = QLabel(self)
        self.search_note.setStyleSheet("color: #b91c1c;")
        hint = QLabel(tr("Klik gambar untuk melihatnya dalam ukuran penuh."), self)
        hint.setStyleSheet("color: #6b7280;")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(find)
        top.addWidget(self.search_note)
        top.addStretch(0)
        top.addWidget(hint)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.tabs, 1)
        self.resize(self._first_size())
        self.reload(folder)

    def _first_size(self) -> QSize:
        """Wide enough for the screenshots (1366 px) where the screen allows: they are scaled
        down to the text's width otherwise."""
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is None:
            return QSize(1180, 760)
        return QSize(min(1500, int(screen.width() * 0.92)), min(900, int(screen.height() * 0.9)))

    def reload(self, folder: Path | None = None) -> None:
        looked_in = [folder] if folder is not None else docs_candidates()
        found = folder if folder is not None else docs_dir()
        for page in self.pages:
            page.load(found, looked_in)

    def page(self, index: int | None = None) -> GuidePage:
        return self.pages[self.tabs.currentIndex() if index is None else index]

    def show_guide(self, target: str) -> None:
        """Switch to the guide named `target` ("panduan-admin.md", optionally with "#anchor")."""
        file_name, _, anchor = target.partition("#")
        for i, page in enumerate(self.pages):
            if page.guide.file == file_name:
                self.tabs.setCurrentIndex(i)
                if anchor:
                    page.browser.go_to_anchor(anchor)

    def show_image(self, name: str) -> None:
        browser = self.page().browser
        path = Path(name) if Path(name).is_absolute() else (browser.folder or Path(".")) / name
        if path.is_file():
            ImageWindow(str(path), self).show()

    def find_next(self) -> None:
        found = self.page().browser.find_next(self.search.text().strip())
        self.search_note.setText("" if found or not self.search.text().strip() else tr("Tidak ditemukan"))


def open_guide(window: QWidget | None = None, *, guide: int = 0, folder: Path | None = None) -> HelpWindow:
    """Show the guide window (one per main window, brought to the front), on tab `guide`."""
    existing = getattr(window, "_help_window", None) if window is not None else None
    if existing is None or not shiboken6.isValid(existing):
        existing = HelpWindow(window, folder=folder)
        if window is not None:
            window._help_window = existing  # type: ignore[attr-defined]
    existing.tabs.setCurrentIndex(guide)
    existing.show()
    existing.raise_()
    existing.activateWindow()
    return existing


def add_help_actions(window: QWidget, help_menu) -> QAction:
    """Put "Panduan" (F1) at the top of the Help menu; returns the action."""
    action = QAction(tr("Panduan"), window, shortcut=QKeySequence(QKeySequence.StandardKey.HelpContents))
    action.setStatusTip(tr("Buka panduan petugas dan panduan admin"))
    action.triggered.connect(lambda: open_guide(window))
    first = help_menu.actions()[0] if help_menu.actions() else None
    if first is not None:
        help_menu.insertAction(first, action)
        help_menu.insertSeparator(first)
    else:
        help_menu.addAction(action)
    return action
