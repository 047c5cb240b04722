"""Everything PostgreSQL-specific: text search (tsvector + GIN), the audit chain's lock order,
the office number's advisory lock, and each outbox runner's (kept in `pg_claimants`).

Search finds what SQLite's FTS5 finds: every typed term is the start of a word of the number,
the names, the NIKs or the phone numbers (local and international form), in any case and with
or without diacritics. The words live in a `tsvector` column of `requests` (`search_doc`, kept
by a trigger) under a GIN index. Every word also stores its first 2-6 characters as words of
their own (FTS5's `prefix = '2 3 4 5 6'`): "amin", a NIK prefix "631105" or a phone prefix
"0812" is then one exact index entry (12 ms for 124,000 matches), not a merge of every word that
starts with it (~110 ms for "aminah:*"), and the planner knows how common it is.

How a search is planned follows from how many rows match, which PostgreSQL knows from the
column's statistics (the most common words, NIK and phone prefixes among them): a common word
("aminah", 20% of rows) walks the index of the sort column (id, name, due time) and tests each
row until a page is full; a rare one reads its matches from the GIN index and sorts those.

A name word sorted by name ("aminah" by name) is the hard case: its matches sit together in
name order, so the walk passes ~44,000 other names first. Migration 0011's covering index
`(applicant_name, id) INCLUDE (search_doc)` makes that walk index-only (the inbox asks for the
page's ids first, then their rows): 151/1,824 ms (p50/p95) became ~20-35 ms when the index is in
memory. Counts of a common word stay slow (100-450 ms): GIN cannot count without reading the
rows; they carry no target.
"""

from __future__ import annotations

import logging
import re
import socket
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import (
    bindparam,
    column,
    event,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from dikjamila.db.dialects.pg_claimants import (  # noqa: F401 - this dialect's outbox claimants
    CLAIMANT_LOCK_CLASS,
    KEEPALIVES,
    claimant_alive,
    hold_claimant,
)
from dikjamila.db.dialects.search_terms import search_terms
from dikjamila.db.pg_changes import CHANGE_LOG_LOCK, libpq_params
from dikjamila.errors import UserError
from dikjamila.i18n import tr

log = logging.getLogger(__name__)

SEARCH_COLUMN = "search_doc"
SEARCH_INDEX = "ix_requests_search_doc"
PREFIX_LENGTHS = range(2, 7)  # the stored prefixes of every word


def _fold_table() -> tuple[str, str]:
    """Latin letters with diacritics and their bare letter (é → e), for SQL `translate`."""
    src, dst = [], []
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = unicodedata.normalize("NFKD", ch)[:1]
        if base != ch and base.isascii() and base.isalpha():
            src.append(ch)
            dst.append(base.lower())
    return "".join(src), "".join(dst)


_FOLD_FROM, _FOLD_TO = _fold_table()
_FOLD = str.maketrans(_FOLD_FROM, _FOLD_TO)


def configure_engine(engine: Engine) -> None:
    """Every statement planned with its values (`plan_cache_mode = force_custom_plan`).

    NOTE: psycopg prepares a statement from its 6th run on a connection, and PostgreSQL may
    then keep one generic plan made without the values: the same plan for "aminah" (200,000
    matches) and for a full NIK (one). Choosing the plan from the match count needs the value.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        with dbapi_conn.cursor() as cur:
            cur.execute("SET plan_cache_mode = force_custom_plan")
        dbapi_conn.commit()


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """One transaction for the whole migration (PostgreSQL's DDL is transactional)."""
    with engine.begin() as conn:
        yield conn


def write_options() -> dict:
    return {}


# -- text search ----------------------------------------------------------------------------

# The searched text of one row (`{r}`: NEW in the trigger, the table when filling). Phones as
# FTS5 has them: E.164 digits, and for +62 also the local form 08...
_DOC_TEXT = (
    "concat_ws(' ', {r}.number, {r}.applicant_name, {r}.subject_name, {r}.applicant_nik, {r}.subject_nik, "
    "replace({r}.applicant_phone, '+', ''), "
    "CASE WHEN {r}.applicant_phone LIKE '+62%' THEN '0' || substr({r}.applicant_phone, 4) END)"
)
_SEARCHED_COLUMNS = "number, applicant_name, subject_name, applicant_nik, subject_nik, applicant_phone"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ddl(conn: Connection, sql: str) -> None:
    # NOTE: psycopg reads `%` as a placeholder even in a statement without parameters.
    conn.exec_driver_sql(sql.replace("%", "%%"))


def create_search_index(conn: Connection, *, prefixes: str = "") -> None:
    """The `search_doc` column, its trigger and GIN index, filled from the existing rows.

    `prefixes` is FTS5's option (see migration 0004); here the prefixes are always stored
    (`PREFIX_LENGTHS`), so the query side never has to ask which were made.
    """
    del prefixes
    lengths = f"{PREFIX_LENGTHS.start}, {PREFIX_LENGTHS.stop - 1}"
    _ddl(
        conn,
        "CREATE OR REPLACE FUNCTION dikjamila_search_doc(doc text) RETURNS tsvector "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$ "
        "SELECT coalesce(array_to_tsvector(array_agg(lexeme)), ''::tsvector) "
        f"FROM regexp_split_to_table(translate(lower(doc), {_literal(_FOLD_FROM)}, {_literal(_FOLD_TO)}), "
        "'[^[:alnum:]]+') AS token, "
        "LATERAL (SELECT token UNION ALL SELECT left(token, n) "
        f"FROM generate_series({lengths}) AS n WHERE n < length(token)) AS p(lexeme) "
        "WHERE token <> '' $fn$"
    )
    _ddl(
        conn,
        "CREATE OR REPLACE FUNCTION dikjamila_requests_search() RETURNS trigger LANGUAGE plpgsql AS $fn$ "
        f"BEGIN NEW.{SEARCH_COLUMN} := dikjamila_search_doc({_DOC_TEXT.format(r='NEW')}); RETURN NEW; END $fn$"
    )
    _ddl(conn, f"ALTER TABLE requests ADD COLUMN IF NOT EXISTS {SEARCH_COLUMN} tsvector")
    _ddl(conn, "DROP TRIGGER IF EXISTS requests_search ON requests")
    _ddl(
        conn,
        f"CREATE TRIGGER requests_search BEFORE INSERT OR UPDATE OF {_SEARCHED_COLUMNS} ON requests "
        "FOR EACH ROW EXECUTE FUNCTION dikjamila_requests_search()"
    )
    _ddl(
        conn,
        f"UPDATE requests SET {SEARCH_COLUMN} = dikjamila_search_doc({_DOC_TEXT.format(r='requests')})"
    )
    _ddl(conn, f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON requests USING gin ({SEARCH_COLUMN})")
    # The planner's choice between walking a sort index and reading the matches rests on the
    # column's statistics (its most common words): have them now, not at autovacuum's next round.
    _ddl(conn, "ANALYZE requests")


def drop_search_index(conn: Connection) -> None:
    _ddl(conn, "DROP TRIGGER IF EXISTS requests_search ON requests")
    _ddl(conn, f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
    _ddl(conn, f"ALTER TABLE requests DROP COLUMN IF EXISTS {SEARCH_COLUMN}")
    _ddl(conn, "DROP FUNCTION IF EXISTS dikjamila_requests_search()")
    _ddl(conn, "DROP FUNCTION IF EXISTS dikjamila_search_doc(text)")


def tsquery_text(query: str) -> str | None:
    """The typed text as a `tsquery` (every term must match as a word start); None if empty.

    Terms are split into the words the index has (letters and digits only: whatever else was
    typed is inert). A term of a stored prefix length is one exact entry (a stored prefix or a
    whole word); longer ones, and single characters, match as prefixes (`:*`).
    """
    words = [w for term in search_terms(query) for w in re.split(r"[\W_]+", term.translate(_FOLD)) if w]
    if not words:
        return None
    parts = []
    for word in words:
        exact = len(word) in PREFIX_LENGTHS
        parts.append(_literal(word) + ("" if exact else ":*"))
    return " & ".join(parts)


def _matches(table_name: str, query: str):
    return literal_column(f"{table_name}.{SEARCH_COLUMN}").op("@@")(
        bindparam(None, query, type_=TSQUERY))


def restrict_to_text(stmt, query: str, id_column):
    """Limit `stmt` (a select over requests) to text matches; returns (stmt, order_column).

    One `search_doc @@ query` condition on the row itself: whatever the sort, PostgreSQL may
    walk that sort's index and test each row, or read the GIN index first (see the module).
    """
    expr = tsquery_text(query)
    if expr is None:
        return stmt, id_column
    return stmt.where(_matches(id_column.table.name, expr)), id_column


_requests = table("requests", column("id"))


def text_id_select(query: str) -> None:
    """None: counts restrict `requests` itself (a condition on the row plans best here)."""


def count_text(session, query: str) -> int | None:
    """How many requests match the text.

    NOTE: PostgreSQL reads each matching row (GIN has no index-only count): ~100-350 ms at
    100,000-350,000 matches in a million, a few ms for a rare word.
    """
    expr = tsquery_text(query)
    if expr is None:
        return None
    return session.scalar(select(func.count()).select_from(_requests).where(_matches("requests", expr)))


def sorted_text_condition(session, query: str, id_column) -> None:
    """None: the search condition on the row itself lets the planner choose, from the word's
    statistics, between walking the sort's index and reading the GIN matches (see the module)."""


# -- locks ----------------------------------------------------------------------------------

def before_audit(session: Session) -> None:
    """Take the office's write order before the audit chain's head row is locked.

    Writers log a change (the change-log lock, `pg_changes`) and append an audit event (the
    head row, locked by `audit`) in either order; one holding the head while waiting for that
    lock, and another the reverse, would deadlock. So an audit append takes the change-log lock
    first (held to commit; taking it again is free): the head's holder always has it already.
    """
    if not session.info.get("pg_audit_ordered"):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOG_LOCK})
        session.info["pg_audit_ordered"] = True


# An arbitrary constant naming "a linked WhatsApp number" among the office's advisory locks.
LINK_LOCK_CLASS = 0x44_4A_57_41  # "DJWA"
_APP_PREFIX = "dikjamila-wa:"


class LinkHeldElsewhere(UserError):
    """Another process (on this PC or another) runs the worker of this office number."""

    held_elsewhere = True


def hold_link_lock(url: str, account: str):
    """Lock the office number `account` for this worker's life; returns the connection holding it.

    A session-level advisory lock on a connection of its own: closing it (or the process
    ending in any way) releases it. Its `application_name` names this PC, so a refused worker
    can say where the number already runs. Raises LinkHeldElsewhere, or UserError when the
    server cannot be reached.
    """
    import psycopg

    host = socket.gethostname()
    app = f"{_APP_PREFIX}{account} {host}"[:63]
    try:
        conn = psycopg.connect(**libpq_params(url), autocommit=True, connect_timeout=10, application_name=app,
                               options=KEEPALIVES)
    except psycopg.Error as exc:
        log.warning("link lock: the database could not be reached: %s", exc)
        raise UserError(tr("Server basis data tidak bisa dihubungi untuk mengunci nomor WhatsApp {number}.",
                           number=account or "kantor")) from exc
    try:
        got = conn.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))",
                           (LINK_LOCK_CLASS, _APP_PREFIX + account)).fetchone()
        if got and got[0]:
            return conn
        holder = conn.execute(
            "SELECT a.application_name FROM pg_stat_activity a WHERE a.datname = current_database() "
            "AND a.pid <> pg_backend_pid() AND a.application_name LIKE %s "
            "AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.granted) "
            "LIMIT 1", (_APP_PREFIX + account.replace("%", "") + " %",)).fetchone()
    except BaseException:
        conn.close()
        raise
    conn.close()
    where = holder[0].rsplit(" ", 1)[-1] if holder else ""
    raise LinkHeldElsewhere(tr(
        "Penghubung WhatsApp untuk nomor {number} sudah berjalan di PC {pc}. Hanya satu penghubung per "
        "nomor untuk seluruh kantor; hentikan dulu di PC itu.",
        number=account or "kantor", pc=where or tr("lain")))


# -- backups and files ---------------------------------------------------------------------

def backup_to(engine: Engine, destination: Path) -> None:
    raise UserError(tr("Cadangan dari program hanya untuk basis data SQLite; gunakan alat cadangan server (pg_dump)."))


def database_file(engine: Engine) -> Path | None:
    return None


def checkpoint(conn: Connection) -> None:
    """Nothing to do."""
