"""Creating requests, from any channel, with their human number."""

from __future__ import annotations

import json
from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dikjamila.auth.roles import Permission, Role
from dikjamila.changes import ChangeKind
from dikjamila.db.models import NumberCounter, Request
from dikjamila.db.types import utcnow
from dikjamila.desk.base import db_call, mask_nik
from dikjamila.desk.completeness import CompletenessOps
from dikjamila.desk.records import Channel, NewRequest, RequestDetail
from dikjamila.desk.timezone import WITA
from dikjamila.desk.validation import clean_fields
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.lifecycle import Status


class IntakeOps(CompletenessOps):
    @db_call
    def create_request(self, new: NewRequest) -> RequestDetail:
        """Register a request. Its number is `<prefix>-YYYYMMDD-NNNN` in office time."""
        self._require(Permission.CREATE_REQUEST)
        if self.actor.role == Role.KIOSK and new.channel != Channel.KIOSK:
            raise InvalidInput(tr("Kios hanya dapat membuat permohonan lewat saluran kios."))
        values = asdict(new)
        received = values.pop("received_at") or utcnow()
        fields, _warnings = clean_fields(values, catalog=self.catalog)
        due = self._due_at(received, fields["service_code"])
        with self.db.writing() as session:
            number = self._next_number(session, received)
            req = Request(
                number=number, service_code=fields["service_code"],
                applicant_name=fields["applicant_name"], applicant_phone=fields.get("applicant_phone", ""),
                applicant_nik=fields.get("applicant_nik", ""), subject_name=fields.get("subject_name", ""),
                subject_nik=fields.get("subject_nik", ""), kk_number=fields.get("kk_number", ""),
                facts_json=json.dumps(fields.get("facts") or {}, ensure_ascii=False, default=str),
                kecamatan_code=fields.get("kecamatan_code", ""), village_code=fields.get("village_code", ""),
                channel=fields["channel"], status=Status.BARU, received_at=received, updated_at=utcnow(),
                due_at=due, row_version=1,
            )
            session.add(req)
            session.flush()
            self._recheck(session, req, audit=False)
            self._changed(session, ChangeKind.REQUEST, req.id)
            self._audit(session, "request.create", "request", req.id, {
                "number": number, "service": req.service_code, "channel": req.channel,
                "applicant": req.applicant_name, "nik": mask_nik(req.applicant_nik),
            })
            return self._detail(session, req)

    def _next_number(self, session, received) -> str:
        """The day's next serial, unique and without gaps however many PCs create at once.

        The day's counter row is locked (FOR UPDATE) until the request is committed: a second
        writer waits for it and then reads the new value; a rollback gives the number back.
        NOTE: on PostgreSQL two PCs may both find no row for a new day; the loser's insert
        fails on the primary key inside a savepoint and it locks the winner's row instead.
        (SQLite drops FOR UPDATE: its writers already run one at a time.)
        """
        day = received.astimezone(WITA).strftime("%Y%m%d")
        locked = (select(NumberCounter).where(NumberCounter.day == day)
                  .with_for_update().execution_options(populate_existing=True))
        counter = session.scalar(locked)
        if counter is None:
            try:
                with session.begin_nested():
                    session.add(NumberCounter(day=day, last=0))
            except IntegrityError:
                pass
            counter = session.scalars(locked).one()
        counter.last += 1
        session.flush()
        return f"{self.settings.request_number_prefix}-{day}-{counter.last:04d}"
