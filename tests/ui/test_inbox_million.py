"""On a 1,000,000-request database the inbox opens having fetched only its first page.

The database is the benchmark's (tests/bench/generate.py): built once (about two minutes,
~0.9 GB in bench-data/), reused afterwards.
"""

from __future__ import annotations

import pytest

from dikjamila.office import Office
from tests.bench import generate
from ui.context import AppContext
from ui.inbox.panel import InboxPanel
from ui.worker import DbWorker

ROWS = 1_000_000


@pytest.fixture(scope="module")
def million_office():
    db_path, _ = generate.ensure(None, ROWS, quiet=True)
    data_dir, url = generate.office_args(db_path)
    office = Office.open(data_dir, url)
    yield office
    office.close()


@pytest.mark.slow
def test_the_inbox_of_a_million_requests_fetches_only_what_is_shown(qtbot, million_office):
    office = million_office
    username = office.db.engine.connect().exec_driver_sql("SELECT username FROM users LIMIT 1").scalar()
    worker = DbWorker()
    try:
        panel = InboxPanel(AppContext(office, office.actor_for(username), worker))
        qtbot.addWidget(panel)
        panel.resize(1366, 700)
        panel.show()
        panel.start()
        qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=20_000)
        qtbot.waitUntil(lambda: "(" in panel.tabs.tabText(0), timeout=60_000)
        assert panel.tabs.tabText(0) == "Semua (1.000.000)"
        qtbot.wait(300)  # give a greedy view the chance to ask for more than it shows
        assert panel.model.rows_fetched == panel.model.page_size == 200
        assert panel.model.rowCount() == 200
        # Scrolling to the end of what is loaded fetches exactly one more page.
        panel.table.scrollToBottom()
        qtbot.waitUntil(lambda: panel.model.rowCount() == 400, timeout=20_000)
        qtbot.wait(300)
        assert panel.model.rows_fetched == 400
        # A search on the whole table is one page too, newest first.
        panel.search.setText("aminah")
        qtbot.waitUntil(lambda: panel.model.rows_fetched == 600, timeout=20_000)
        ids = [panel.model.row_at(r).id for r in range(panel.model.rowCount())]
        assert len(ids) == 200 and ids == sorted(ids, reverse=True)
    finally:
        worker.shutdown()
