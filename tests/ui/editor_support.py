"""Fixtures and helpers of the request-editor tests: a real office, files, and small steps
(open, wait until idle, act and wait for the reload, attach, drop).

Dialogs are behind small methods on the editor (`choose_files`, `choose_issued_pdf`,
`ask_reject_reason`, `ask_override_reason`, `ask_note`, `edit_missing_message`, `confirm`)
that the tests replace. Drops are sent as a synthesized QDragEnterEvent + QDropEvent with a
QMimeData holding file URLs.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from dikjamila.demo.paperwork import document_pdf
from dikjamila.desk import NewRequest
from tests.support import copied_office, make_staffed_office
from ui.context import AppContext
from ui.editor import RequestEditor
from ui.worker import DbWorker

NIK = "6311054506900003"  # Lampihong, born 5 June 1990, perempuan
TIMEOUT = 10_000

NIK = "6311054506900003"  # Lampihong, born 5 June 1990, perempuan
TIMEOUT = 10_000


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """An office with its users, made once (argon2 is slow); each test copies it."""
    return make_staffed_office(tmp_path_factory.mktemp("editor") / "kantor", [
        ("admin", "Admin Kantor", "admin"), ("sari", "Sari Rahmawati", "operator"),
        ("budi", "Budi Santoso", "operator"), ("hasan", "Hasan Basri", "supervisor")])


@pytest.fixture
def office(tmp_path, template):
    with copied_office(template, tmp_path / "kantor") as office:
        yield office


@pytest.fixture
def contexts(office):
    made = []

    def make(username: str = "sari") -> AppContext:
        ctx = AppContext(office, office.actor_for(username), DbWorker())
        ctx.changes.start()  # as the main window does
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


@pytest.fixture
def ctx(contexts):
    return contexts("sari")


def jpeg(colour=(200, 180, 150)) -> bytes:
    image = Image.new("RGB", (640, 480), colour)
    ImageDraw.Draw(image).rectangle((40, 40, 600, 440), outline=(20, 20, 20), width=4)
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def files(tmp_path):
    """Photo and PDF files on disk, as the operator would pick them."""
    folder = tmp_path / "unduhan"
    folder.mkdir()
    made = {}
    for i, name in enumerate(("surat-lahir.jpg", "buku-nikah.jpg", "KK.jpg", "lain.jpg", "baru.jpg")):
        made[name] = folder / name
        made[name].write_bytes(jpeg((200, 180 - 20 * i, 150)))
    made["sptjm.pdf"] = folder / "sptjm.pdf"
    made["sptjm.pdf"].write_bytes(document_pdf("SPTJM", holder="Siti Aminah", dated=date(2026, 1, 5)))
    made["catatan.txt"] = folder / "catatan.txt"
    made["catatan.txt"].write_text("bukan foto")
    return made


def create(ctx: AppContext, **overrides) -> int:
    values = dict(service_code="akta_kelahiran", applicant_name="Siti Aminah", applicant_phone="0812-3456-7890",
                  applicant_nik=NIK, subject_nik=NIK, kecamatan_code="63.11.05",
                  facts={"foundling": False, "applicant_is_subject": True})
    values.update(overrides)
    return ctx.desk.create_request(NewRequest(**values)).id


def open_editor(qtbot, ctx: AppContext, request_id: int) -> RequestEditor:
    editor = RequestEditor(ctx, request_id)
    qtbot.addWidget(editor)
    editor.resize(1366, 650)
    editor.show()
    qtbot.waitUntil(lambda: editor.detail is not None, timeout=TIMEOUT)
    idle(qtbot, editor)
    return editor


def idle(qtbot, editor: RequestEditor) -> None:
    qtbot.waitUntil(lambda: editor.ctx.worker.pending == 0 and editor._busy == 0, timeout=TIMEOUT)


def act(qtbot, editor: RequestEditor, fn) -> None:
    """Run an action and wait for the reload that follows it."""
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        fn()
    idle(qtbot, editor)


def advance(qtbot, editor: RequestEditor, target: str) -> None:
    button = editor.actions.move_buttons[target]
    assert button.isEnabled(), button.toolTip()
    act(qtbot, editor, button.click)


def attach(qtbot, editor: RequestEditor, code: str, *paths) -> None:
    editor.choose_files = lambda: list(paths)
    act(qtbot, editor, editor.checklist.item_row(code).attach_button.click)


def drop(widget, paths) -> QDropEvent:
    """Drag files onto `widget` and drop them: a synthesized QDragEnterEvent, then QDropEvent.

    NOTE: Qt delivers a drop only to the widget that accepted the drag-enter (the drag
    manager's current target), so the enter event is needed, as in a real drag.
    """
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPointF(5, 5), *args)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(5, 5), *args)
    QApplication.sendEvent(widget, event)
    return event


def ctx_status(ctx, rid) -> str:
    return ctx.desk.get_request(rid, record_view=False).status
