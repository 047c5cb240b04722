"""On PostgreSQL, change-log ids commit in order, so a watcher reading "after id N" misses none.

Without the lock, transaction A takes id 10, B takes 11 and commits first; a watcher that reads
11 moves its marker past 10, which commits later and is never seen.
"""

from __future__ import annotations

import threading
import time

import pytest

from dikjamila import changes
from dikjamila.changes import ChangeKind

pytestmark = pytest.mark.both_engines


def test_a_later_change_waits_for_the_earlier_one_to_commit(staffed_office, db_engine):
    db = staffed_office.db
    marker = None
    with db.reading() as session:
        marker = changes.latest(session)
    first_logged, release_first = threading.Event(), threading.Event()
    order: list[str] = []

    def first():
        with db.writing() as session:
            changes.record(session, ChangeKind.REQUEST, 1, "uji")
            session.flush()
            first_logged.set()
            release_first.wait(10)
            order.append("first commits")

    def second():
        first_logged.wait(10)
        with db.writing() as session:
            changes.record(session, ChangeKind.REQUEST, 2, "uji")
            session.flush()
            order.append("second logged")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    first_logged.wait(10)
    time.sleep(0.5)  # the second has had time to log and commit, were it not held back
    with db.reading() as session:
        assert changes.since(session, marker).changes == ()  # nothing visible out of order
    release_first.set()
    for t in threads:
        t.join(10)
    assert order == ["first commits", "second logged"]
    with db.reading() as session:
        seen = changes.since(session, marker)
    assert [c.entity_id for c in seen.changes] == ["1", "2"]
