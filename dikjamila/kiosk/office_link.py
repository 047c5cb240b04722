"""The kiosk's way to the office's database, opened on first use, never waiting long for it.

`office_db_url` names the office's PostgreSQL with the kiosk's own login (`dikjamila kiosk
grant`): connecting gives up after `CONNECT_TIMEOUT_S` and a statement after
`STATEMENT_TIMEOUT_MS`, so a village line that drops never hangs the kiosk. Empty, the office is
the kiosk data dir's own SQLite file (the demo, a one-PC office), which must exist already: a
kiosk never makes an office.

Every failure to reach or use the office is an `OfficeUnreachable` with an Indonesian message;
the driver's English goes to the log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from dikjamila.config import Paths, Settings, database_url
from dikjamila.db.database import Database
from dikjamila.errors import UserError
from dikjamila.i18n import tr

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 60_000


class OfficeUnreachable(UserError):
    """The office's database cannot be reached or refused the kiosk; nothing was changed there."""


class OfficeLink:
    def __init__(self, paths: Paths, settings: Settings, local_name: str):
        self.paths = paths
        self.settings = settings
        self._local_name = local_name  # the kiosk's name on a SQLite office (no logins there)
        self._db: Database | None = None
        self._role: str | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return self.settings.office_db_url or database_url(self.paths, self.settings)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One transaction on the office's database, committed on leaving the block."""
        db = self._open()
        try:
            with db.writing() as session:
                yield session.connection()
        except OfficeUnreachable:
            raise
        except (SQLAlchemyError, OSError) as exc:
            log.warning("the office's database refused or dropped the kiosk", exc_info=True)
            self._forget()
            refused = isinstance(exc, DBAPIError) and not isinstance(exc, OperationalError) \
                and not exc.connection_invalidated
            raise OfficeUnreachable(tr("Basis data kantor menolak kiriman kios ini (hak akses). Hubungi petugas "
                                       "TI kantor; data tetap tersimpan di kios.") if refused else
                                    tr("Kantor belum dapat dihubungi; data tetap tersimpan di kios dan "
                                       "dikirim lagi nanti.")) from exc

    def kiosk_role(self) -> str:
        """This kiosk's name at the office: its database login (PostgreSQL), else its own name."""
        return self._role or self.reach()

    def reach(self) -> str:
        """Contact the office now (OfficeUnreachable if it does not answer); the kiosk's name there."""
        sqlite = make_url(self.url).get_backend_name() == "sqlite"
        with self.writing() as conn:
            role = self._local_name if sqlite else str(conn.scalar(text("SELECT current_user")))
            if sqlite:
                conn.execute(text("SELECT 1"))
        self._role = role
        return role

    def close(self) -> None:
        self._forget()

    def _open(self) -> Database:
        with self._lock:
            if self._db is not None:
                return self._db
            url = make_url(self.url)
            try:
                if url.get_backend_name() == "sqlite":
                    if not url.database or not Path(url.database).is_file():
                        raise OfficeUnreachable(tr("Basis data kantor di PC ini belum ada ({path}).",
                                                   path=url.database))
                    self._db = Database(str(url), backup_dir=self.paths.backups_dir)
                else:
                    query = {"connect_timeout": str(CONNECT_TIMEOUT_S),
                             "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"}
                    self._db = Database(url.update_query_dict(query).render_as_string(hide_password=False),
                                        run_migrations=False)
            except UserError as exc:
                raise OfficeUnreachable(exc.message) from exc
            except (SQLAlchemyError, OSError, ValueError) as exc:
                log.warning("the office's database could not be opened", exc_info=True)
                raise OfficeUnreachable(tr("Kantor belum dapat dihubungi; data tetap tersimpan di kios dan "
                                           "dikirim lagi nanti.")) from exc
            return self._db

    def _forget(self) -> None:
        """Drop the pool after a failure: the next try connects afresh."""
        with self._lock:
            db, self._db = self._db, None
        if db is not None:
            db.close()
