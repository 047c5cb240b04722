"""PostgreSQL: is an outbox runner alive, on whichever PC it runs? (see `claimants`)

Each run of a runner holds a session-level advisory lock on its claimant's key, on a connection
of its own, for as long as it runs. Another runner's recovery tries to take that lock: getting
it proves the claimant gone (the server let go of it when its connection closed or its process
ended in any way); the lock is let go again at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.orm import Session

from dikjamila.db.pg_changes import libpq_params
from dikjamila.errors import UserError
from dikjamila.i18n import tr

log = logging.getLogger(__name__)

# An arbitrary constant naming "an outbox runner still runs" among the office's advisory locks
# (apart from postgresql.LINK_LOCK_CLASS, "DJWA").
CLAIMANT_LOCK_CLASS = 0x44_4A_4F_42  # "DJOB"
_APP_PREFIX = "dikjamila-outbox:"
# NOTE: a PC that loses power keeps its lock (this one, and the WhatsApp number's) until the server notices the dead connection: by
# default after some two hours of TCP silence. Set for this connection: about a minute.
KEEPALIVES = "-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3"


def hold_claimant(url: str, claimant: str) -> Callable[[], None]:
    """Keep the runner `claimant` provably alive to every PC; returns the function that lets go.

    Raises UserError when the server cannot be reached.
    """
    import psycopg

    conn = None
    try:
        conn = psycopg.connect(**libpq_params(url), autocommit=True, connect_timeout=10,
                               application_name=(_APP_PREFIX + claimant)[:63], options=KEEPALIVES)
        row = conn.execute(f"SELECT pg_try_advisory_lock({CLAIMANT_LOCK_CLASS}, hashtext(%s))",
                           (claimant,)).fetchone()
    except psycopg.Error as exc:
        if conn is not None:
            conn.close()
        log.warning("outbox claimant lock: the database could not be reached: %s", exc)
        raise UserError(tr("Server basis data tidak bisa dihubungi; pesan WhatsApp menunggu sampai "
                           "tersambung lagi.")) from exc
    if not (row and row[0]):
        # NOTE: a live claimant whose name has the same hash (1 in 4 billion) holds the key: ours
        # then looks alive while that one runs, and dead if that one ends first.
        log.warning("outbox claimant %s shares its lock key with another runner", claimant)
    return conn.close


def claimant_alive(session: Session, claimant: str) -> bool:
    """Does the runner `claimant` still hold its lock? "" (claimed before claimants existed) has
    none and counts as gone."""
    if not claimant:
        return False
    key = {"name": claimant}
    if session.scalar(text(f"SELECT pg_try_advisory_lock({CLAIMANT_LOCK_CLASS}, hashtext(:name))"), key):
        session.execute(text(f"SELECT pg_advisory_unlock({CLAIMANT_LOCK_CLASS}, hashtext(:name))"), key)
        return False
    return True
