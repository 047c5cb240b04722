"""The executor for long jobs (`ui.executor`): real threads, real Qt, a real office."""

from __future__ import annotations

import logging
import threading
import time
from itertools import pairwise

import pytest

pytest.importorskip("pytestqt")

from dikjamila.errors import InvalidInput  # noqa: E402
from ui.executor import Cancelled, Executor  # noqa: E402

TIMEOUT = 10_000  # ms


@pytest.fixture
def executor(qtbot):
    executor = Executor()
    yield executor
    executor.shutdown(timeout=5)


def _stepping_job(seconds: float, *, reached_end: threading.Event | None = None,
                  stopped: threading.Event | None = None):
    """A job of about `seconds`: small steps, progress after each, a cancellation check before."""

    def job(state):
        steps = int(seconds / 0.01)
        try:
            for step in range(steps):
                state.raise_if_cancelled()
                time.sleep(0.01)
                state.progress((step + 1) / steps, f"langkah {step + 1} dari {steps}")
        except Cancelled:
            if stopped is not None:
                stopped.set()
            raise
        if reached_end is not None:
            reached_end.set()
        return steps

    return job


def test_long_job_does_not_hold_up_desk_calls(qtbot, ui_office, make_ctx):
    ctx = make_ctx(ui_office)
    progress, done = [], []
    task = ctx.executor.start(_stepping_job(3.0), done.append, on_progress=lambda f, _t: progress.append(f),
                              label="impor")
    qtbot.waitUntil(lambda: bool(progress), timeout=TIMEOUT)  # the long job is under way

    answers, errors = [], []
    calls = [ctx.desk.status_counts, lambda: ctx.desk.inbox(), ctx.desk.status_counts,
             lambda: ctx.desk.inbox(limit=50), ctx.desk.status_counts, lambda: ctx.desk.inbox()]
    for call in calls:
        # On the GUI thread, when the answer arrives: is the long job still running?
        ctx.submit(call, lambda result: answers.append((result, task.finished)), errors.append)
    qtbot.waitUntil(lambda: len(answers) + len(errors) == len(calls), timeout=TIMEOUT)

    assert errors == []
    assert [still_running for _, still_running in answers] == [False] * len(calls)
    assert not task.finished and done == []
    assert isinstance(answers[0][0], dict)  # real answers: status counts, inbox pages
    qtbot.waitUntil(lambda: bool(done), timeout=TIMEOUT)  # and the long job still ran to its end
    assert done == [300] and progress[-1] == 1.0


def test_cancel_stops_the_job_and_no_callback_follows(qtbot, executor):
    reached_end, stopped = threading.Event(), threading.Event()
    done, errors, progress = [], [], []
    task = executor.start(_stepping_job(3.0, reached_end=reached_end, stopped=stopped),
                          done.append, errors.append, lambda f, _t: progress.append(f))
    qtbot.waitUntil(lambda: bool(progress), timeout=TIMEOUT)  # progress arrived before the cancel
    task.cancel()
    delivered = len(progress)
    qtbot.waitUntil(lambda: task.finished and executor.pending == 0, timeout=TIMEOUT)
    assert task.cancelled
    assert stopped.is_set() and not reached_end.is_set()  # the job saw it and stopped early
    assert done == [] and errors == [] and len(progress) == delivered


def test_cancelled_job_that_finishes_anyway_gets_no_callbacks(qtbot, executor):
    """A job that never checks: it runs to its end, but its result and progress are dropped."""
    started, go_on = threading.Event(), threading.Event()
    done, errors, progress = [], [], []

    def stubborn(state):
        state.progress(0.1, "mulai")
        started.set()
        go_on.wait(TIMEOUT / 1000)
        state.progress(1.0, "selesai")
        return "hasil"

    task = executor.start(stubborn, done.append, errors.append, lambda f, _t: progress.append(f))
    qtbot.waitUntil(lambda: progress == [0.1], timeout=TIMEOUT)
    assert started.is_set()
    task.cancel()
    go_on.set()
    qtbot.waitUntil(lambda: task.finished and executor.pending == 0, timeout=TIMEOUT)
    assert done == [] and errors == [] and progress == [0.1]


def test_failure_gives_an_indonesian_message_and_is_logged(qtbot, executor, caplog):
    caplog.set_level(logging.ERROR, logger="ui.executor")
    messages, threads = [], []

    def broken(_state):
        raise ValueError("indeks di luar batas")

    def refused(_state):
        raise InvalidInput("NIK harus 16 angka.")

    def on_error(message):
        threads.append(threading.current_thread())
        messages.append(message)

    executor.start(broken, on_error=on_error, label="impor rusak")
    qtbot.waitUntil(lambda: len(messages) == 1, timeout=TIMEOUT)
    assert messages[0].startswith("Terjadi kesalahan tak terduga (ValueError).")
    assert "hubungi petugas TI" in messages[0]
    assert threads == [threading.main_thread()]  # callbacks run on the GUI thread
    logged = [r for r in caplog.records if "impor rusak" in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info and logged[0].exc_info[0] is ValueError

    caplog.clear()
    executor.start(refused, on_error=on_error, label="nik salah")
    qtbot.waitUntil(lambda: len(messages) == 2, timeout=TIMEOUT)
    assert messages[1] == "NIK harus 16 angka."  # a user error reads as it is, no traceback logged
    assert caplog.records == []


def test_failure_without_on_error_reaches_the_error_signal(qtbot, executor):
    def broken(_state):
        raise OSError(13, "Permission denied")

    with qtbot.waitSignal(executor.error, timeout=TIMEOUT) as blocker:
        executor.start(broken, label="baca berkas")
    assert blocker.args == ["Berkas tidak dapat dibaca atau ditulis: Permission denied"]


def test_progress_is_throttled_and_the_last_value_arrives(qtbot, executor):
    events = []
    reports = 100_000

    def chatty(state):
        for i in range(1, reports + 1):
            state.progress(i / reports, f"{i}")
            if i % 1000 == 0:
                time.sleep(0.01)  # about a second in all, so the GUI thread gets many chances
        return "selesai"

    executor.start(chatty, lambda result: events.append(("done", result)),
                   on_progress=lambda fraction, text: events.append(("progress", fraction, text,
                                                                      time.monotonic())))
    qtbot.waitUntil(lambda: bool(events) and events[-1][0] == "done", timeout=TIMEOUT)
    progress = [e for e in events if e[0] == "progress"]
    assert 1 <= len(progress) < 200
    assert events[-2][:3] == ("progress", 1.0, str(reports)) and events[-1] == ("done", "selesai")
    # At most one delivery per ~50 ms (the last one may be flushed early, just before on_done).
    times = [e[3] for e in progress[:-1]]
    assert all(later - earlier >= 0.04 for earlier, later in pairwise(times))


def test_shutdown_stops_a_cooperative_job_quickly(qtbot, executor):
    reached_end, stopped = threading.Event(), threading.Event()
    progress = []
    task = executor.start(_stepping_job(5.0, reached_end=reached_end, stopped=stopped),
                          on_progress=lambda f, _t: progress.append(f))
    qtbot.waitUntil(lambda: bool(progress), timeout=TIMEOUT)
    began = time.perf_counter()
    assert executor.shutdown(timeout=3) is True
    assert time.perf_counter() - began < 1.0
    assert task.finished and stopped.is_set() and not reached_end.is_set()


def test_shutdown_returns_within_its_timeout_while_a_job_ignores_it(qtbot):
    executor = Executor(max_threads=1)
    started, release = threading.Event(), threading.Event()
    queued_ran = threading.Event()

    def stubborn(_state):
        started.set()
        release.wait(TIMEOUT / 1000)

    try:
        task = executor.start(stubborn)
        queued = executor.start(lambda _state: queued_ran.set())  # waits for the only thread
        qtbot.waitUntil(started.is_set, timeout=TIMEOUT)
        began = time.perf_counter()
        assert executor.shutdown(timeout=0.3) is False  # the job is still running
        assert time.perf_counter() - began < 1.5
        assert task.cancelled and queued.cancelled
        late = executor.start(lambda _state: queued_ran.set())
        assert late.cancelled  # nothing starts after shutdown
    finally:
        release.set()
        assert executor.shutdown(timeout=5) is True
    assert task.finished and not queued_ran.is_set()


def test_session_close_shuts_the_executor_down(qtbot, ui_office, make_ctx):
    ctx = make_ctx(ui_office)
    reached_end, stopped = threading.Event(), threading.Event()
    progress = []
    task = ctx.executor.start(_stepping_job(5.0, reached_end=reached_end, stopped=stopped),
                              on_progress=lambda f, _t: progress.append(f))
    qtbot.waitUntil(lambda: bool(progress), timeout=TIMEOUT)
    ctx.close()
    assert task.finished and stopped.is_set() and not reached_end.is_set()
