"""The main window: request tabs, unsaved edits on close, a supervisor taking a request over."""

from __future__ import annotations

from dikjamila.desk import NewRequest
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.worker import DbWorker

TIMEOUT = 10_000


def _window(qtbot, office, username):
    window = MainWindow(AppContext(office, office.actor_for(username), DbWorker()))
    qtbot.addWidget(window)
    window.show()
    window.inbox.start()
    return window


def _open(qtbot, window, rid):
    window.open_request(rid)
    qtbot.waitUntil(lambda: window.editor(rid) is not None and window.editor(rid).ready(), timeout=TIMEOUT)
    return window.editor(rid)


def test_opening_twice_reuses_the_tab_and_unsaved_edits_need_a_yes(qtbot, ui_office):
    rid = ui_office.desk(ui_office.actor_for("sari")).create_request(
        NewRequest(service_code="kia", applicant_name="Noor Hayati")).id
    window = _window(qtbot, ui_office, "sari")
    editor = _open(qtbot, window, rid)
    window.open_request(rid)
    assert window.tabs.count() == 2
    editor.fields.edits["applicant_name"].setText("Noor Hayati Rahmah")
    asked = []
    window.confirm_discard = lambda title: asked.append(title) or False
    assert window.close_tab(1) is False and window.tabs.count() == 2
    assert asked and "Noor Hayati" in asked[0]
    window.confirm_discard = lambda title: True
    assert window.close_tab(1) is True and window.tabs.count() == 1
    window.ctx.worker.shutdown()


def test_a_supervisor_takes_over_a_request_held_by_an_operator(qtbot, ui_office):
    operator = ui_office.desk(ui_office.actor_for("sari"))
    rid = operator.create_request(NewRequest(service_code="kia", applicant_name="Noor Hayati")).id
    operator.claim(rid)
    window = _window(qtbot, ui_office, "hasan")
    editor = _open(qtbot, window, rid)
    assert editor.actions.claim.isVisible() and editor.actions.claim.text() == "Ambil alih"
    editor.confirm = lambda text: "Sari Operator" in text
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        editor.actions.claim.click()
    qtbot.waitUntil(editor.ready, timeout=TIMEOUT)
    assert editor.detail.assignee_name == "Hasan Supervisor"
    assert "request.assign" in [e.action for e in operator.history(rid)]
    window.ctx.worker.shutdown()


def test_a_slow_job_shows_the_moving_dots_and_its_label_until_it_ends(qtbot, ui_office):
    import threading

    window = _window(qtbot, ui_office, "sari")
    qtbot.waitUntil(lambda: window.ctx.worker.pending == 0, timeout=TIMEOUT)
    release = threading.Event()
    window.ctx.submit(release.wait, label="Menyiapkan laporan…")
    try:
        qtbot.waitUntil(lambda: window.busy.isVisible(), timeout=TIMEOUT)  # after 200 ms
        assert window.busy_label.text() == "Menyiapkan laporan…"
        first = window.busy.lit
        qtbot.waitUntil(lambda: window.busy.lit != first, timeout=2_000)  # it moves
    finally:
        release.set()
    qtbot.waitUntil(lambda: not window.busy.isVisible(), timeout=TIMEOUT)
    assert window.busy_label.text() == ""
    window.ctx.worker.shutdown()
