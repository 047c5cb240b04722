"""The guides (docs/panduan-petugas.md, docs/panduan-admin.md) against the program they describe.

Conventions the guides follow, checked here:
- «Label» is text the program shows (menu, button, tab, field); «Berkas → Pengguna…» is a menu
  path, each part a label. Every label must be a `tr("…")` text in ui/ (with `{…}` standing for
  any value, a trailing count like " ({n})" optional, `&` shortcut marks ignored) or one of the
  label tables the UI shows through tr() (statuses, outbox states, channels, transports…), so a
  renamed button makes this test fail until the guide says the new name.
- A line `<!-- periksa: fitur baru -->` marks what follows it, up to the next blank line, as a
  feature being built: its labels may be missing for now (listed as a warning, not a failure).
  Remove the mark once the feature is in, and its labels are checked like the rest.
- Images are `![…](panduan/<name>.png)`: each must exist, be a real PNG of a sensible size, and
  every PNG in docs/panduan/ must be used (the bundle carries them all).
- Links between and inside the guides (`#anchor`, `panduan-admin.md#anchor`) must reach a heading.
"""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
GUIDES = {"panduan-petugas.md": DOCS / "panduan-petugas.md", "panduan-admin.md": DOCS / "panduan-admin.md"}
MARK = "<!-- periksa: fitur baru -->"
LABEL = re.compile(r"«([^«»]+)»")
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
MAX_IMAGE_BYTES = 300_000
MAX_TOTAL_BYTES = 3_000_000


def guide_text(name: str) -> str:
    return GUIDES[name].read_text(encoding="utf-8")


# -- labels -------------------------------------------------------------------------------------
def quoted_labels(text: str) -> list[tuple[str, bool, int]]:
    """(label, pending?, line number) for every «…» label; menu paths split at " → "."""
    found, pending, in_code = [], False, False
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        if line.strip() == MARK:
            pending = True
            continue
        if not line.strip():
            pending = False
            continue
        for match in LABEL.finditer(line):
            for part in match.group(1).split(" → "):
                if part.strip():  # "« »" where the guide explains the convention
                    found.append((part.strip(), pending, number))
    return found


def _tr_texts() -> set[str]:
    """Every literal passed to tr() anywhere in ui/, and in a module that also calls tr() on a
    variable, the strings of its tuples, lists and dict values (label tables such as the
    transports, the inbox columns, a wizard's button texts)."""
    texts: set[str] = set()
    for path in (ROOT / "ui").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        calls = [node for node in ast.walk(tree)
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr" and node.args]
        for call in calls:
            if isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
                texts.add(call.args[0].value)
        if any(not isinstance(call.args[0], ast.Constant) for call in calls):
            for node in ast.walk(tree):
                items = node.elts if isinstance(node, ast.Tuple | ast.List) else \
                    node.values if isinstance(node, ast.Dict) else []
                texts.update(i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str))
    return texts


def _table_texts() -> set[str]:
    """Labels of the core the UI shows through tr(variable): statuses, outbox and link states,
    channels, roles, complaint channels and statuses."""
    from dikjamila.auth.roles import ROLE_LABELS
    from dikjamila.desk import CHANNEL_LABELS
    from dikjamila.desk.complaint_records import (
        COMPLAINT_CHANNEL_LABELS,
        COMPLAINT_STATUS_LABELS,
    )
    from dikjamila.lifecycle import LABELS as STATUS_LABELS
    from dikjamila.whatsapp.link_state import LABELS as LINK_LABELS
    from dikjamila.whatsapp.outbox_state import LABELS as OUTBOX_LABELS

    texts: set[str] = set()
    for table in (ROLE_LABELS, CHANNEL_LABELS, COMPLAINT_CHANNEL_LABELS, COMPLAINT_STATUS_LABELS, STATUS_LABELS,
                  LINK_LABELS, OUTBOX_LABELS):
        texts.update(str(v) for v in table.values())
    return texts


def _pattern(text: str) -> re.Pattern:
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    parts = re.split(r"\{[a-zA-Z_][a-zA-Z0-9_]*\}", text)
    return re.compile(".+?".join(re.escape(p) for p in parts))


def _has_words(text: str) -> bool:
    """Some letters of its own besides placeholders ("{name} ({role})" would match any label)."""
    return sum(ch.isalpha() for ch in re.sub(r"\{[^}]*\}", "", text)) >= 2


@pytest.fixture(scope="module")
def label_patterns() -> list[re.Pattern]:
    patterns = []
    for text in _tr_texts() | _table_texts():
        bare = re.sub(r"\s*\(\{[a-zA-Z_]+\}\)$", "", text)  # "Percakapan ({n})" is also "Percakapan"
        patterns += [_pattern(t) for t in {text, bare} if _has_words(t)]
    return patterns


def _shown(label: str, patterns: list[re.Pattern]) -> bool:
    return any(p.fullmatch(label) for p in patterns)


@pytest.mark.parametrize("name", sorted(GUIDES))
def test_every_quoted_label_is_a_text_the_program_shows(name, label_patterns):
    labels = quoted_labels(guide_text(name))
    assert len(labels) > 20, "the guide quotes no labels: has the «…» convention changed?"
    missing = [f"{name}:{line}: «{label}»" for label, pending, line in labels
               if not pending and not _shown(label, label_patterns)]
    assert not missing, "labels the program does not show (renamed? a typo?):\n" + "\n".join(missing)
    waiting = [f"{name}:{line}: «{label}»" for label, pending, line in labels
               if pending and not _shown(label, label_patterns)]
    if waiting:
        warnings.warn("labels of features being built, not in ui/ yet:\n" + "\n".join(waiting), stacklevel=1)


def test_the_label_check_catches_a_renamed_button(label_patterns):
    assert _shown("Kirim pesan berkas kurang", label_patterns)
    assert _shown("Lanjut ke: Diproses", label_patterns)  # tr("Lanjut ke: {status}")
    assert _shown("Berkas", label_patterns)  # tr("&Berkas")
    assert _shown("Terima semua saran", label_patterns)  # tr("Terima semua saran ({n})")
    assert _shown("Sisa waktu", label_patterns)  # a column of ui.inbox.model.COLUMNS, shown through tr()
    assert _shown("HP kantor sebagai perangkat tertaut", label_patterns)  # ui.settings_dialog.TRANSPORTS
    assert not _shown("Kirim pesan berkas tidak lengkap", label_patterns)
    text = f"«Simpan» lalu «Berkas → Impor chat WhatsApp…»\n{MARK}\n«Tombol yang belum ada»\n\n«Lagi»"
    assert quoted_labels(text) == [("Simpan", False, 1), ("Berkas", False, 1), ("Impor chat WhatsApp…", False, 1),
                                   ("Tombol yang belum ada", True, 3), ("Lagi", False, 5)]


def test_the_status_tables_name_every_status_and_outbox_state():
    from dikjamila.lifecycle import LABELS as STATUS_LABELS
    from dikjamila.whatsapp.link_state import LABELS as LINK_LABELS
    from dikjamila.whatsapp.outbox_state import LABELS as OUTBOX_LABELS

    text = guide_text("panduan-petugas.md")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    for label in STATUS_LABELS.values():
        assert any(row.startswith(f"| «{label}» |") for row in rows), f"status {label} has no row"
    for label in OUTBOX_LABELS.values():
        assert any(row.startswith(f"| {label} |") for row in rows), f"outbox state {label} has no row"
    for label in set(LINK_LABELS.values()):
        assert f"WhatsApp: {label}" in text, f"link state {label} is not explained"


# -- images ----------------------------------------------------------------------------------------
def _images() -> list[tuple[str, Path]]:
    return [(name, DOCS / target) for name in GUIDES for _alt, target in IMAGE.findall(guide_text(name))]


def test_every_image_is_a_small_real_png():
    from PIL import Image

    images = _images()
    assert len(images) >= 15
    for guide, path in images:
        assert path.is_file(), f"{guide} shows {path.relative_to(DOCS)}, which is missing (tools/guide_screenshots.py)"
        assert path.parent == DOCS / "panduan" and path.suffix == ".png", path
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
        with Image.open(path) as image:
            image.load()  # decodes every row: a truncated file fails here
            width, height = image.size
        assert 16 <= width <= 1366 and 16 <= height <= 1080, f"{path.name}: {width}x{height}"
        assert path.stat().st_size <= MAX_IMAGE_BYTES, f"{path.name}: {path.stat().st_size} bytes"
    for _alt, target in [m for name in GUIDES for m in IMAGE.findall(guide_text(name))]:
        assert _alt.strip(), f"{target} has no alt text"


def test_every_png_in_the_folder_is_used_and_the_total_is_small():
    used = {path.name for _guide, path in _images()}
    present = {path.name for path in (DOCS / "panduan").glob("*.png")}
    assert present - used == set(), "images no guide shows (they only add to the bundle)"
    total = sum(path.stat().st_size for path in (DOCS / "panduan").glob("*.png"))
    assert total <= MAX_TOTAL_BYTES, f"{total / 1e6:.2f} MB of guide images"


def test_links_reach_a_guide_and_a_heading():
    from ui.help_viewer import heading_anchor

    anchors = {name: {heading_anchor(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", guide_text(name), re.MULTILINE)}
               for name in GUIDES}
    for name in GUIDES:
        for target in LINK.findall(guide_text(name)):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            file, _, anchor = target.partition("#")
            file = file or name
            assert file in GUIDES, f"{name} links to {target}"
            if anchor:
                assert anchor in anchors[file], f"{name} links to {target}: no such heading"


# -- the window ---------------------------------------------------------------------------------
def _first_heading(name: str) -> str:
    return next(line[2:].strip() for line in guide_text(name).splitlines() if line.startswith("# "))


@pytest.fixture
def main_window(qtbot):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    help_menu = window.menuBar().addMenu("Ban&tuan")
    help_menu.addAction(QAction("Tentang Dik Jamila", window))
    window.help_menu = help_menu
    window.resize(1366, 740)
    window.show()
    return window


def test_bantuan_panduan_opens_the_guide_with_its_images(qtbot, main_window):
    from ui.help_viewer import add_help_actions

    action = add_help_actions(main_window, main_window.help_menu)
    assert main_window.help_menu.actions()[0] is action and action.text() == "Panduan"
    action.trigger()
    help_window = main_window._help_window
    qtbot.waitUntil(help_window.isVisible, timeout=5000)
    assert help_window.windowModality() == help_window.windowModality().NonModal
    assert help_window.isWindow() and help_window.parent() is main_window

    help_window.resize(1300, 800)
    page = help_window.page()
    browser = page.browser
    assert not browser.missing
    first = browser.document().begin().text()
    assert first == _first_heading("panduan-petugas.md") == "Panduan Petugas Dik Jamila"
    assert page.contents.item(0).text() == first

    images = browser.images()
    assert len(images) == len(IMAGE.findall(guide_text("panduan-petugas.md")))

    def fitted() -> bool:
        room = browser.available_width()
        for _pos, fmt in browser.images():
            size = browser.natural_size(fmt.name())
            if size.isEmpty() or int(fmt.width()) != min(size.width(), room):
                return False
        return True

    qtbot.waitUntil(fitted, timeout=5000)  # every image loaded, none wider than the text
    widths = [int(fmt.width()) for _pos, fmt in browser.images()]
    assert max(widths) == browser.available_width() > 700  # the 1366 px screenshots, scaled to fit

    help_window.resize(800, 600)  # a narrower window: the screenshots shrink with it
    qtbot.waitUntil(lambda: fitted() and browser.available_width() < 600, timeout=5000)
    assert all(int(fmt.width()) <= browser.available_width() for _pos, fmt in browser.images())
    assert browser.horizontalScrollBar().maximum() == 0

    # The admin guide is the second tab; a link to it switches there and finds its heading.
    browser.guide_link.emit("panduan-admin.md#cadangan-dan-pemulihan")
    assert help_window.tabs.currentIndex() == 1
    admin = help_window.page().browser
    assert admin.document().begin().text() == _first_heading("panduan-admin.md")
    assert admin.textCursor().block().text() == "Cadangan dan pemulihan"

    # Opening again brings the same window forward.
    action.trigger()
    assert main_window._help_window is help_window


def test_search_finds_text_in_the_guide(qtbot, main_window):
    from ui.help_viewer import open_guide

    help_window = open_guide(main_window)
    help_window.search.setText("perlu dicek")
    help_window.find_next()
    assert help_window.page().browser.textCursor().selectedText() == "perlu dicek"
    help_window.search.setText("kata yang tidak ada di panduan xyz")
    help_window.find_next()
    assert help_window.search_note.text() == "Tidak ditemukan"


def test_a_click_on_a_screenshot_shows_it_at_full_size(qtbot, main_window):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QTextCursor

    from ui.help_viewer import ImageWindow, open_guide

    help_window = open_guide(main_window)
    help_window.resize(900, 700)
    browser = help_window.page().browser
    position = next(p for p, f in browser.images() if f.name().endswith("kotak-masuk.png"))
    qtbot.waitUntil(lambda: 0 < dict(browser.images())[position].width() < 1366, timeout=5000)  # fitted
    browser.go_to(position)
    cursor = QTextCursor(browser.document())
    cursor.setPosition(position)
    edge = browser.cursorRect(cursor)
    with qtbot.waitSignal(browser.image_clicked, timeout=2000) as clicked:
        qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge.left() + 40, edge.center().y()))
    assert clicked.args == ["panduan/kotak-masuk.png"]
    shown = help_window.findChildren(ImageWindow)
    assert len(shown) == 1 and shown[0].widget().pixmap().width() == 1366
    assert browser.image_at(QPoint(edge.left() + 40, edge.bottom() + 40)) == ""  # below it: text


def test_a_missing_guide_says_so_in_indonesian(qtbot, tmp_path):
    from ui.help_viewer import open_guide

    help_window = open_guide(None, folder=tmp_path)
    qtbot.addWidget(help_window)
    for page in help_window.pages:
        assert page.browser.missing
        text = page.browser.toPlainText()
        assert text.startswith("Panduan tidak ditemukan")
        assert page.guide.file in text and str(tmp_path) in text


def test_the_guides_are_found_from_the_bundle_folder(monkeypatch, tmp_path):
    import sys

    from ui import help_viewer

    bundle = tmp_path / "_internal"
    (bundle / "docs").mkdir(parents=True)
    (bundle / "docs" / "panduan-petugas.md").write_text("# Panduan\n", encoding="utf-8")
    monkeypatch.delenv(help_viewer.DOCS_ENV, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert help_viewer.docs_dir() == bundle / "docs"
    monkeypatch.delattr(sys, "_MEIPASS")
    assert help_viewer.docs_dir() == DOCS
