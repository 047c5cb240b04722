"""The IKM survey form: nine answers required, saved by the desk, its refusals shown.

A real office and editor; the answers are read back with the core (the database row), not
from the dialog.
"""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt
from sqlalchemy import select

from dikjamila.db.models import SurveyResponse
from tests.ui.editor_support import TIMEOUT, act, create, open_editor
from tests.whatsapp_support import terbit_request
from ui.paperwork.survey_dialog import SurveyDialog

SCORES = [4, 3, 4, 2, 3, 4, 4, 1, 3]


@pytest.fixture
def sari(ui_office, make_ctx):
    ctx = make_ctx(ui_office, "sari")
    ctx.changes.start()
    return ctx


def finished_request(desk) -> int:
    rid = terbit_request(desk)
    desk.advance(rid, "terkirim")
    return rid


def stored(office, rid: int) -> list[SurveyResponse]:
    with office.db.reading() as session:
        return list(session.scalars(select(SurveyResponse).where(SurveyResponse.request_id == rid)))


def click_score(qtbot, dialog: SurveyDialog, element: int, score: int) -> None:
    qtbot.mouseClick(dialog.groups[element].button(score), Qt.MouseButton.LeftButton)


def test_nine_answers_are_required_then_saved_from_the_editor(qtbot, sari, ui_office):
    rid = finished_request(sari.desk)
    editor = open_editor(qtbot, sari, rid)
    survey = editor.actions.documents.survey
    assert survey.isEnabled()
    survey.trigger()
    qtbot.waitUntil(lambda: editor.paperwork.survey is not None and editor.paperwork.survey.isVisible(),
                    timeout=TIMEOUT)
    dialog = editor.paperwork.survey
    assert not dialog.ok_button.isEnabled() and dialog.ok_button.text() == "Jawab kesembilan unsur dulu"
    for element, score in enumerate(SCORES[:8]):
        click_score(qtbot, dialog, element, score)
    assert not dialog.ok_button.isEnabled()
    assert dialog.ok_button.text() == "Belum dijawab: U9"
    assert "U9 Sarana dan prasarana" in dialog.hint.text()
    click_score(qtbot, dialog, 3, 1)  # a changed mind: the last click counts
    click_score(qtbot, dialog, 3, SCORES[3])
    click_score(qtbot, dialog, 8, SCORES[8])
    assert dialog.ok_button.isEnabled() and dialog.ok_button.text() == "Simpan jawaban"
    dialog.comment.setPlainText("Petugas ramah, ruang tunggu panas.")
    act(qtbot, editor, lambda: qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton))
    assert "Jawaban survei IKM disimpan" in editor.message_bar.text()
    [row] = stored(ui_office, rid)
    assert [row.u1, row.u2, row.u3, row.u4, row.u5, row.u6, row.u7, row.u8, row.u9] == SCORES
    assert row.comment == "Petugas ramah, ruang tunggu panas." and row.source == "operator"
    assert row.entered_by == sari.actor.id

    # Asked again from the menu: the desk says it is answered; no second form opens.
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=TIMEOUT)  # closed and deleted
    survey.trigger()
    qtbot.waitUntil(lambda: "sudah diisi" in editor.message_bar.text(), timeout=TIMEOUT)
    assert "4 3 4 2 3 4 4 1 3" in editor.message_bar.text()
    assert len(stored(ui_office, rid)) == 1


def test_a_second_answer_is_refused_in_the_dialog(qtbot, sari, ui_office):
    rid = finished_request(sari.desk)
    sari.desk.record_survey(rid, SCORES)  # answered already (e.g. at another counter)
    dialog = SurveyDialog(sari, rid)
    qtbot.addWidget(dialog)
    dialog.show()
    for element in range(9):
        click_score(qtbot, dialog, element, 4)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error.isVisible, timeout=TIMEOUT)
    assert dialog.error.text().startswith("Survei tidak disimpan:")
    assert "sudah ada penilaian" in dialog.error.text()
    assert dialog.isVisible() and dialog.ok_button.isEnabled()  # nothing lost: it may be closed or kept
    [row] = stored(ui_office, rid)
    assert row.u1 == SCORES[0]


def test_an_open_request_cannot_be_rated(qtbot, sari):
    rid = create(sari)
    editor = open_editor(qtbot, sari, rid)
    assert not editor.actions.documents.survey.isEnabled()
    assert "setelah permohonan terkirim" in editor.actions.documents.survey.toolTip()
    dialog = SurveyDialog(sari, rid)  # the desk decides, not the menu
    qtbot.addWidget(dialog)
    dialog.show()
    for element in range(9):
        dialog.set_score(element, 3)
    dialog.save()
    qtbot.waitUntil(dialog.error.isVisible, timeout=TIMEOUT)
    assert "hanya untuk permohonan yang sudah selesai" in dialog.error.text()


def test_keys_1_to_4_answer_a_row_and_move_on(qtbot, sari):
    dialog = SurveyDialog(sari, finished_request(sari.desk))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for key in (Qt.Key.Key_4, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_2):
        qtbot.keyClick(dialog.focusWidget(), key)
    assert dialog.scores()[:4] == [4, 3, 4, 2] and dialog.missing() == ["U5", "U6", "U7", "U8", "U9"]
    assert dialog.focusWidget() in dialog.groups[4].buttons()
    for _ in range(5):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_3)
    assert dialog.missing() == [] and dialog.ok_button.isEnabled()
    assert dialog.focusWidget() is dialog.comment  # typing "3" there is a comment, not a score
    qtbot.keyClick(dialog.comment, Qt.Key.Key_3)
    assert dialog.comment.toPlainText() == "3" and dialog.scores()[8] == 3
