"""The office's own id: a random id kept in its database, so that what the office writes outside
it (the folder backup's manifests) can say which office wrote it.

Made the first time it is asked for, then never changed. It lives in the database (the `meta`
table), so a copy of the database — a restored backup, a move to a server — is the same office
and carries the same id; a second office (another data dir) gets one of its own.
"""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dikjamila.db.database import Database
from dikjamila.db.models import MetaValue

KEY = "office_id"


def office_id(db: Database) -> str:
    """This office's id (uuid4, 32 hex digits), stored the first time it is asked for."""
    with db.reading() as session:
        if known := _stored(session):
            return known
    try:
        with db.writing() as session:
            # NOTE: asked again inside the write transaction: another caller may have stored one
            # since (on SQLite writers queue behind BEGIN IMMEDIATE, so the later one sees it).
            made = _stored(session)
            if not made:
                made = uuid.uuid4().hex
                session.merge(MetaValue(key=KEY, value=made))
    except IntegrityError:
        # A server takes no lock up front: of two first callers, the later insert fails on the
        # key, and the id the other stored is the office's.
        with db.reading() as session:
            made = _stored(session)
        if not made:
            raise
    return made


def _stored(session: Session) -> str:
    row = session.get(MetaValue, KEY)
    return row.value if row is not None else ""
