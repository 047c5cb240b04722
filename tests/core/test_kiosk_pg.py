"""A kiosk on its own PostgreSQL login (`dikjamila kiosk grant`): what the database lets it do,
and store and forward cut off by killing the delivering process at random points."""

from __future__ import annotations

import hashlib
import io
import itertools
import multiprocessing as mp
import os
import random
import signal
import time
from contextlib import redirect_stdout
from dataclasses import replace

import psycopg
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from dikjamila.auth.roles import Actor
from dikjamila.cli.main import main as cli_main
from dikjamila.config import load_settings, office_paths, save_settings
from dikjamila.db.models import Attachment, Request
from dikjamila.kiosk.delivery import deliver_pending
from dikjamila.kiosk.station import KioskStation
from tests.pg_support import copied_pg_office

from .kiosk_support import filled_draft, kiosk_dir

SUBMISSIONS, KILLS = 50, 10
SYSTEM = Actor.system("whatsapp")
_names = itertools.count(1)


@pytest.fixture
def pg_office(pg_server, pg_staffed_template, tmp_path):
    with copied_pg_office(pg_server, pg_staffed_template, tmp_path / "kantor") as office:
        yield office


@pytest.fixture
def granted(pg_office, pg_server):
    """Two kiosk logins made with `dikjamila kiosk grant`: name → the kiosk's office_db_url."""
    names = [f"kios_t{os.getpid()}_{next(_names)}" for _ in range(2)]
    urls = {}
    for name in names:
        out = io.StringIO()
        with redirect_stdout(out):
            assert cli_main(["kiosk", "grant", name, "--data-dir", str(pg_office.paths.data_dir)]) == 0
        printed = out.getvalue()
        assert "hanya ditampilkan sekali" in printed
        urls[name] = printed.strip().splitlines()[-1]
        assert make_url(urls[name]).username == name
    yield urls
    database = make_url(pg_office.db.url).database
    for name in names:
        pg_server.admin(f'DROP OWNED BY "{name}"', database=database)
        pg_server.admin(f'DROP ROLE IF EXISTS "{name}"')


def _as(url: str):
    return create_engine(url)


def test_the_kiosk_login_may_insert_and_ask_a_status_but_read_nothing(pg_office, granted, tmp_path):
    (mine, url), (_other, other_url) = granted.items()
    station = KioskStation.open(kiosk_dir(tmp_path / "kios", office_db_url=url))
    other = KioskStation.open(kiosk_dir(tmp_path / "kios2", office_db_url=other_url, kiosk_desa="Juai"))
    try:
        mine_receipt = station.submit(filled_draft(station, tmp_path / "a", 1))
        other.submit(filled_draft(other, tmp_path / "b", 2, phone="0813-5000-2222"))
        assert station.deliver().delivered == 1 and other.deliver().delivered == 1  # its INSERTs work
        assert len(pg_office.desk(SYSTEM).take_kiosk_submissions().taken) == 2
        assert station.status(mine_receipt.kiosk_number, "7890").status_text == "Sudah diterima kantor"
    finally:
        station.close()
        other.close()

    engine = _as(url)
    try:
        for table in ("requests", "attachments", "audit_events", "users", "blob_chunks", "kiosk_submissions",
                      "kiosk_chunks", "kiosk_status_tries", "outbox_items", "meta"):
            with engine.connect() as conn, pytest.raises(ProgrammingError) as refused:
                conn.execute(text(f"SELECT * FROM {table} LIMIT 1"))
            assert isinstance(refused.value.orig, psycopg.errors.InsufficientPrivilege), table
        with engine.connect() as conn, pytest.raises(ProgrammingError) as refused:
            conn.execute(text("SELECT phone_last4 FROM kiosk_status"))  # not even its own rows' digits
        assert isinstance(refused.value.orig, psycopg.errors.InsufficientPrivilege)
        for statement in ("UPDATE kiosk_submissions SET take_error = 'x'", "DELETE FROM kiosk_seals",
                          "INSERT INTO requests (uuid) VALUES ('x')", "CREATE TABLE mine (x int)"):
            with engine.connect() as conn, pytest.raises(ProgrammingError) as refused:
                conn.execute(text(statement))
            assert isinstance(refused.value.orig, psycopg.errors.InsufficientPrivilege), statement
        with engine.connect() as conn:  # its own status row only: the other kiosk's are not there for it
            rows = conn.execute(text("SELECT kiosk_role, kiosk_number, status FROM kiosk_status")).all()
            assert rows == [(mine, mine_receipt.kiosk_number, "baru")]
        with engine.connect() as conn, pytest.raises(ProgrammingError) as refused:  # rows in another's name
            conn.execute(text("INSERT INTO kiosk_seals (submission_uuid, kiosk_role, file_count, sealed_at) "
                              "VALUES ('x', :other, 0, now())"), {"other": _other})
        assert isinstance(refused.value.orig, psycopg.errors.InsufficientPrivilege)
        with engine.connect() as conn:
            found = conn.execute(text("SELECT * FROM kiosk_status_check(:n, '7890')"),
                                 {"n": mine_receipt.kiosk_number}).one()
            assert (found.r_found, found.r_status) == (True, "baru")
    finally:
        engine.dispose()
    with pg_office.db.reading() as session:  # and nothing of it is granted to everyone
        assert session.scalar(text(
            "SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = 'PUBLIC' "
            "AND table_name LIKE 'kiosk%'")) == 0
        assert not session.scalar(text("SELECT has_function_privilege('public', "
                                       "'kiosk_status_check(text, text)', 'EXECUTE')"))


def test_the_status_function_slows_one_kiosk_not_the_others(pg_office, granted, tmp_path):
    (_mine, url), (_other, other_url) = granted.items()
    station = KioskStation.open(kiosk_dir(tmp_path / "kios", office_db_url=url))
    other = KioskStation.open(kiosk_dir(tmp_path / "kios2", office_db_url=other_url, kiosk_desa="Juai"))
    try:
        receipt = station.submit(filled_draft(station, tmp_path / "a", 1))
        station.deliver()
        [number] = pg_office.desk(SYSTEM).take_kiosk_submissions().taken
        assert station.status(number, "7890").found
        for _ in range(5):
            assert not station.status(number, "1234").found
        slowed = station.status(receipt.kiosk_number, "7890")
        assert not slowed.found and 590 <= slowed.wait_seconds <= 600
        assert other.status(number, "7890").found  # another kiosk is not held up
    finally:
        station.close()
        other.close()


def _deliver_in_child(folder: str, ready) -> None:
    station = KioskStation.open(folder)
    ready.set()
    deliver_pending(station)
    station.close()


def _context():
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    return ctx


def test_store_and_forward_survives_being_killed_at_random_points(pg_office, granted, tmp_path):
    """Done when: 50 submissions made offline, delivery killed (SIGKILL) at up to 10 random points
    and resumed → exactly 50 requests, every file's sha256 equal, nothing pending, photos gone."""
    url = next(iter(granted.values()))
    folder = kiosk_dir(tmp_path / "kios", office_db_url="postgresql+psycopg://kios@127.0.0.1:1/kantor")
    station = KioskStation.open(folder)
    expected: dict[str, set[str]] = {}
    for n in range(SUBMISSIONS):
        draft = filled_draft(station, tmp_path / "foto", n + 1, big=n % 10 == 0)
        expected[station.submit(draft).uuid] = {f.sha256 for f in draft.files}
    offline = station.deliver()
    assert not offline.reached and offline.pending == SUBMISSIONS
    station.close()

    paths = office_paths(folder)
    save_settings(paths, replace(load_settings(paths), office_db_url=url))  # the line is back
    rng, ctx = random.Random(11), _context()
    kills = 0
    for _ in range(KILLS):
        ready = ctx.Event()
        child = ctx.Process(target=_deliver_in_child, args=(str(folder), ready))
        child.start()
        assert ready.wait(60)
        time.sleep(rng.uniform(0.0, 0.12))  # the whole delivery takes ~0.7 s
        if child.is_alive():
            os.kill(child.pid, signal.SIGKILL)
        child.join(30)
        kills += child.exitcode == -signal.SIGKILL
    assert kills >= 5  # most runs were really cut off
    with pg_office.db.reading() as session:  # … while delivering (here ~23 of the 50 got through)
        assert session.scalar(text("SELECT count(*) FROM kiosk_seals")) > 0

    station = KioskStation.open(folder)
    try:
        report = station.deliver()
        assert report.reached and report.pending == 0 and station.pending_count() == 0
        assert list(station.store.iter_blobs()) == []  # the photos were removed from the kiosk
    finally:
        station.close()

    taken = pg_office.desk(SYSTEM).take_kiosk_submissions()
    assert len(taken.taken) == SUBMISSIONS and taken.problems == []
    with pg_office.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Request).where(Request.channel == "kiosk")) == SUBMISSIONS
        got: dict[str, set[str]] = {}
        for uuid, sha in session.execute(select(Request.uuid, Attachment.blob_sha256).join(
                Attachment, Attachment.request_id == Request.id)):
            got.setdefault(uuid, set()).add(sha)
    assert got == expected
    for sha in set().union(*expected.values()):
        assert hashlib.sha256(pg_office.store.read_bytes(sha)).hexdigest() == sha
