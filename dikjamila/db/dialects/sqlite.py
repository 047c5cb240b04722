"""Everything SQLite-specific: connection pragmas, write locking, FTS5 search, online backup,
whether an outbox runner still runs (one PC: its process).

Kept in one module so another server (PostgreSQL) can be added beside it without touching
the rest of the code.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import column, event, func, select, table, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from dikjamila.db.dialects.claimants import alive_here, hold_here
from dikjamila.db.dialects.search_terms import search_terms

BUSY_TIMEOUT_MS = 15_000
#: How often a waiting writer asks for the lock again.
POLL_SECONDS = 0.002


def configure_engine(engine: Engine) -> None:
    """WAL, foreign keys, busy timeout; explicit BEGIN so writers take the lock up front.

    NOTE: pysqlite's own transaction handling starts transactions lazily and would let two
    processes both read, then both try to write: the second fails with "database is locked"
    whatever the busy timeout. Writers therefore run `BEGIN IMMEDIATE` (execution option
    `sqlite_write=True`), which waits on the busy timeout instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection):
        if conn.get_execution_options().get("sqlite_write", False):
            _begin_immediate(conn)
        else:
            conn.exec_driver_sql("BEGIN")


def _begin_immediate(conn: Connection) -> None:
    """Take the write lock, asking again every few milliseconds until BUSY_TIMEOUT_MS.

    NOTE: SQLite's own busy handler sleeps ever longer between tries (up to 100 ms), so a
    writer waiting behind a long run of short transactions (an import's batches) keeps
    missing the sub-millisecond gaps between them and waited up to 4-5 s in the intake
    benchmark. Asking every 2 ms gets it in at the next gap.
    """
    raw = conn.connection.driver_connection
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        while time.monotonic() < deadline:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(POLL_SECONDS)
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # the last try: its error reaches the caller as SQLAlchemy's
    finally:
        raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A write transaction with foreign keys off (table rebuilds must not cascade deletes)."""
    with engine.connect() as conn:
        # Through the raw connection: a SQLAlchemy statement would open a transaction first,
        # and inside a transaction SQLite ignores this pragma.
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.execution_options(**write_options()).begin():
                yield conn
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left {len(broken)} broken foreign keys: {broken[:3]}")
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def write_options() -> dict:
    """Execution options for a connection/session that will write."""
    return {"sqlite_write": True}


FTS_TABLE = "request_search"

_PHONE_EXPR = (
    "replace(new.applicant_phone, '+', '') || CASE WHEN new.applicant_phone LIKE '+62%' "
    "THEN ' 0' || substr(new.applicant_phone, 4) ELSE '' END"
)
_VALUES = (
    "new.number, new.applicant_name || ' ' || new.subject_name, "
    f"new.applicant_nik || ' ' || new.subject_nik, {_PHONE_EXPR}"
)


def create_search_index(conn: Connection, *, prefixes: str = "") -> None:
    """Create the FTS5 index over number, names, NIKs and phone, its triggers, and fill it.

    `prefixes` (e.g. "2 3 4 5 6") adds FTS5 prefix indexes: a prefix query of those lengths
    ("6311*", "0812*") then reads one index entry instead of every matching term.
    """
    prefix_option = f", prefix = '{prefixes}'" if prefixes else ""
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
        f"number, names, niks, phones, tokenize = 'unicode61 remove_diacritics 2'{prefix_option})"
    )
    conn.exec_driver_sql(
        f"CREATE TRIGGER IF NOT EXISTS requests_search_ai AFTER INSERT ON requests BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, number, names, niks, phones) VALUES (new.id, {_VALUES}); END"
    )
    conn.exec_driver_sql(
        f"CREATE TRIGGER IF NOT EXISTS requests_search_ad AFTER DELETE ON requests BEGIN "
        f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER IF NOT EXISTS requests_search_au AFTER UPDATE OF number, applicant_name, "
        "subject_name, applicant_nik, subject_nik, applicant_phone ON requests BEGIN "
        f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id; "
        f"INSERT INTO {FTS_TABLE}(rowid, number, names, niks, phones) VALUES (new.id, {_VALUES}); END"
    )
    values = _VALUES.replace("new.", "")
    conn.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}(rowid, number, names, niks, phones) "
        f"SELECT id, {values} FROM requests"
    )


def drop_search_index(conn: Connection) -> None:
    for trigger in ("requests_search_ai", "requests_search_ad", "requests_search_au"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH string: every typed term must match as a prefix. None if nothing to match."""
    terms = search_terms(query)
    if not terms:
        return None
    # Quoting each term makes FTS5 syntax characters in user input inert.
    return " AND ".join('"' + t.replace('"', '""') + '"*' for t in terms)


def restrict_to_text(stmt, query: str, id_column):
    """Limit `stmt` (a select over requests) to text matches; returns (stmt, order_column).

    The FTS rowid is the request id, so ordering by the FTS rowid lets SQLite walk the
    full-text index newest-first and stop after one page instead of sorting all matches.
    """
    expr = match_expression(query)
    if expr is None:
        return stmt, id_column
    stmt = stmt.join(_fts, _fts.c.rowid == id_column).where(
        text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=expr)
    )
    return stmt, _fts.c.rowid


_fts = table(FTS_TABLE, column("rowid"))


def text_id_select(query: str):
    """`SELECT rowid FROM request_search WHERE … MATCH ?`: the ids of requests matching the text."""
    expr = match_expression(query)
    if expr is None:
        return None
    return select(_fts.c.rowid).where(text(f"{FTS_TABLE} MATCH :fts_ids").bindparams(fts_ids=expr))


def count_text(session, query: str) -> int | None:
    """How many requests match the text, counted in the text index alone."""
    ids = text_id_select(query)
    if ids is None:
        return None
    return session.scalar(select(func.count()).select_from(ids.subquery()))


# From this many matches a word is common: a page of it sorted by name, due time, ... is found
# faster by walking that sort's index than by sorting every match.
COMMON_MATCHES = 10_000


def sorted_text_condition(session, query: str, id_column):
    """For a page sorted by anything but arrival: `id IN (text matches)`, or None when the
    text is rare (then the page joins the matches and sorts them, see `restrict_to_text`).

    NOTE: "aminah" (200,000 of a million) sorted by name took 0.2-10 s as a join: SQLite read
    every match's row and sorted them in a temp B-tree. Written as `id + 0 IN (...)` (the `+ 0`
    keeps SQLite from looking the matches up by rowid), SQLite builds the set of matching ids
    once (~25 ms) and walks the sort's covering index, testing each id, until the page is
    full: ~45 ms whatever the match count. A rare word would walk the whole index that way, so
    the first COMMON_MATCHES matches are counted first (under 1 ms): fewer, and sorting wins.
    The walk is slow when the matches all sit far along the sort (a first name, sorted by name,
    beginning late in the alphabet): it passes every earlier entry (~0.4 us each).
    """
    ids = text_id_select(query)
    if ids is None:
        return None
    if session.scalar(ids.limit(1).offset(COMMON_MATCHES - 1)) is None:
        return None
    return (id_column + 0).in_(ids)


def backup_to(engine: Engine, destination: Path) -> None:
    """A consistent copy of the live database, taken with SQLite's online backup API."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(destination)
        try:
            raw.driver_connection.backup(target)
        finally:
            target.close()
    finally:
        raw.close()


def database_file(engine: Engine) -> Path | None:
    """The SQLite file behind the engine, or None for an in-memory database."""
    name = engine.url.database
    if not name or name == ":memory:":
        return None
    return Path(name)


def checkpoint(conn: Connection) -> None:
    conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


# -- outbox claimants ------------------------------------------------------------------------

def hold_claimant(url: str, claimant: str) -> Callable[[], None]:
    """Nothing to hold beyond this process itself (see `claimants`); returns the let-go."""
    return hold_here(claimant)


def claimant_alive(session: Session, claimant: str) -> bool:
    """Is the runner `claimant` alive? One PC by design: its process must still run here."""
    return alive_here(claimant)
