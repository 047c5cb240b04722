"""Portable fallbacks for servers without a dialect module of their own (e.g. PostgreSQL).

Text search is a LIKE over the searched columns: correct everywhere, slow on big tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, or_
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from dikjamila.db.dialects.claimants import alive_here, hold_here
from dikjamila.db.dialects.search_terms import search_terms
from dikjamila.errors import UserError
from dikjamila.i18n import tr

_COLUMNS = ("number", "applicant_name", "subject_name", "applicant_nik", "subject_nik", "applicant_phone")


def configure_engine(engine: Engine) -> None:
    """Nothing to set: server defaults are right."""


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """One transaction for the whole migration (transactional DDL where the server has it)."""
    with engine.begin() as conn:
        yield conn


def write_options() -> dict:
    return {}


def create_search_index(conn: Connection, *, prefixes: str = "") -> None:
    """No separate index: searches scan the columns."""


def drop_search_index(conn: Connection) -> None:
    """Nothing was created."""


def restrict_to_text(stmt, query: str, id_column):
    """Limit `stmt` to rows where every typed term appears in a searched column."""
    terms = search_terms(query)
    table = id_column.table
    for term in terms:
        pattern = f"%{term}%"
        stmt = stmt.where(or_(*(func.lower(table.c[c]).like(pattern) for c in _COLUMNS)))
    return stmt, id_column


def text_id_select(query: str):
    """No separate text index: callers restrict the columns instead."""
    return None


def count_text(session, query: str) -> int | None:
    return None


def sorted_text_condition(session, query: str, id_column) -> None:
    """None: `restrict_to_text` serves every sort."""


def backup_to(engine: Engine, destination: Path) -> None:
    raise UserError(
        tr("Cadangan dari program hanya untuk basis data SQLite; gunakan alat cadangan server (pg_dump).")
    )


def database_file(engine: Engine) -> Path | None:
    return None


def checkpoint(conn: Connection) -> None:
    """Nothing to do."""


# -- outbox claimants ------------------------------------------------------------------------

def hold_claimant(url: str, claimant: str) -> Callable[[], None]:
    """Nothing to hold beyond this process itself (see `claimants`); returns the let-go."""
    return hold_here(claimant)


def claimant_alive(session: Session, claimant: str) -> bool:
    """Is the runner `claimant` alive? Only a runner of this PC can be proven so; one of
    another PC counts as dead (its items become `uncertain`, as before claimants existed)."""
    return alive_here(claimant)
