"""Read-side of the desk: inbox pages, tab counts, one request, its history."""

from __future__ import annotations

from sqlalchemy import select

from dikjamila import audit, changes
from dikjamila.auth.roles import Permission
from dikjamila.changes import ChangeSet
from dikjamila.db.models import Request, User
from dikjamila.desk.base import DeskBase, db_call
from dikjamila.desk.inbox import count_matching, inbox_page, status_counts
from dikjamila.desk.records import (
    Cursor,
    InboxFilter,
    InboxPage,
    RequestDetail,
    UserInfo,
)
from dikjamila.errors import NotFound
from dikjamila.i18n import tr


class QueryOps(DeskBase):
    @db_call
    def inbox(self, flt: InboxFilter = InboxFilter(), *, sort: str = "received", descending: bool = True,
              limit: int = 200, after: Cursor | None = None) -> InboxPage:
        """One page of requests matching `flt`; pass `page.next_cursor` as `after` for the next."""
        self._require(Permission.VIEW_INBOX)
        with self.db.reading() as session:
            return inbox_page(session, self.db.dialect, flt, sort=sort, descending=descending,
                                          limit=limit, after=after)

    @db_call
    def status_counts(self, flt: InboxFilter = InboxFilter()) -> dict[str, int]:
        self._require(Permission.VIEW_INBOX)
        with self.db.reading() as session:
            return status_counts(session, self.db.dialect, flt)

    @db_call
    def count(self, flt: InboxFilter = InboxFilter()) -> int:
        self._require(Permission.VIEW_INBOX)
        with self.db.reading() as session:
            return count_matching(session, self.db.dialect, flt)

    @db_call
    def get_request(self, request_id: int, *, record_view: bool = True) -> RequestDetail:
        """A request with its files and notes. Opening it is recorded: it shows personal data."""
        self._require(Permission.VIEW_REQUEST)
        if record_view:
            with self.db.writing() as session:
                req = self._load(session, request_id)
                self._audit(session, "request.view", "request", req.id, {})
                return self._detail(session, req)
        with self.db.reading() as session:
            return self._detail(session, self._load(session, request_id))

    @db_call
    def find_number(self, number: str) -> int:
        """The id of the request with this human number."""
        self._require(Permission.VIEW_INBOX)
        with self.db.reading() as session:
            found = session.scalar(select(Request.id).where(Request.number == number.strip().upper()))
        if found is None:
            raise NotFound(tr("Permohonan nomor {number} tidak ditemukan.", number=number))
        return found

    @db_call
    def history(self, request_id: int) -> list[audit.AuditRecord]:
        self._require(Permission.VIEW_REQUEST)
        with self.db.reading() as session:
            return audit.history(session, "request", request_id)

    @db_call
    def changes_since(self, marker: int) -> ChangeSet:
        """What changed after `marker` (-1: start watching from now). Cheap enough to poll:
        one range read on the change log's primary key. Views are not changes."""
        with self.db.reading() as session:
            return changes.since(session, marker)

    @db_call
    def users(self) -> list[UserInfo]:
        self._require(Permission.VIEW_INBOX)
        with self.db.reading() as session:
            return [UserInfo(u.id, u.username, u.full_name, u.role, u.active)
                    for u in session.scalars(select(User).order_by(User.full_name))]
