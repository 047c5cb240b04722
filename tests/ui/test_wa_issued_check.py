"""The belongs-to check runs as soon as the issued PDF is attached (and again before queueing).

Through the editor's own "Lampirkan dokumen terbit (PDF)" button: someone else's PDF (its NIK
is not the request's) is a warning at once, a scan (no text to compare) says it must be checked
by eye, the applicant's own PDF is attached without a warning.
"""

from __future__ import annotations

import pytest

from dikjamila.demo.paperwork import issued_document_pdf
from dikjamila.desk.timezone import WITA
from tests.ui.editor_support import act, open_editor
from tests.whatsapp_support import NIK, diproses_request, scan_pdf

SOMEONE_ELSE = "6311010101900001"


def _attach_issued(qtbot, ctx, tmp_path, pdf_for) -> tuple:
    """Open the editor and attach the issued PDF `pdf_for(detail)` with its own button."""
    rid = diproses_request(ctx.desk)
    editor = open_editor(qtbot, ctx, rid)
    path = tmp_path / "KK-terbit.pdf"
    path.write_bytes(pdf_for(editor.detail))
    editor.choose_issued_pdf = lambda: path
    assert editor.actions.issued.isVisible() and editor.actions.issued.isEnabled()
    act(qtbot, editor, editor.actions.issued.click)
    assert [a.original_name for a in editor.detail.attachments if a.role == "issued"] == ["KK-terbit.pdf"]
    return editor, rid


def _kk(nik: str):
    return lambda d: issued_document_pdf("Kartu Keluarga", holder="Siti Aminah", nik=nik, number=d.number,
                                         issued_on=d.received_at.astimezone(WITA).date())


@pytest.fixture
def ctx(ui_office, make_ctx):
    ctx = make_ctx(ui_office, "sari")
    ctx.changes.start()
    return ctx


def test_someone_elses_issued_pdf_is_a_warning_at_once(qtbot, ctx, tmp_path):
    editor, rid = _attach_issued(qtbot, ctx, tmp_path, _kk(SOMEONE_ELSE))
    text = editor.message_bar.text()
    assert SOMEONE_ELSE in text and "bukan milik permohonan ini" in text, text
    assert "tidak dapat dikirim" in text
    assert editor.message_bar.level == "warning"
    assert ctx.desk.document_check(rid).problem  # the send check says the same


def test_a_scan_says_it_must_be_checked_by_eye(qtbot, ctx, tmp_path):
    editor, _rid = _attach_issued(qtbot, ctx, tmp_path, lambda _d: scan_pdf())
    text = editor.message_bar.text()
    assert "hasil pindaian" in text and "NIK" in text and "Periksa isinya" in text, text
    assert editor.message_bar.level == "warning"


def test_the_applicants_own_pdf_is_attached_without_a_warning(qtbot, ctx, tmp_path):
    editor, _rid = _attach_issued(qtbot, ctx, tmp_path, _kk(NIK))
    assert editor.message_bar.level == "info"
    assert editor.message_bar.text() in ("Dokumen terbit dilampirkan.", "")  # the confirmation fades out
    assert "pindaian" not in editor.message_bar.text()
