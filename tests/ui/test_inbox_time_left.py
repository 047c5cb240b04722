"""The inbox's "Sisa waktu" column: counted while the office still has work to do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from dikjamila.lifecycle import Status
from ui.inbox.row_display import time_left_text

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def _row(status: Status, due_in: timedelta):
    return SimpleNamespace(status=status, due_at=NOW + due_in)


def test_open_work_counts_down_and_then_up_in_red():
    assert time_left_text(_row(Status.DIPROSES, timedelta(hours=5, minutes=10)), NOW) == ("sisa 5 jam", False)
    assert time_left_text(_row(Status.TERBIT, -timedelta(days=3, hours=1)), NOW) == ("lewat 3 hari", True)


def test_a_sent_finished_or_rejected_request_is_no_longer_late():
    for status in (Status.TERKIRIM, Status.SELESAI, Status.DITOLAK):
        assert time_left_text(_row(status, -timedelta(days=4)), NOW) == ("—", False)
