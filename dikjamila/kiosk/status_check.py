"""The kiosk's status check: a number (the kiosk's `KIOS-…` or the office's) and the last 4
digits of the resident's phone → the status in plain words and what happens next, nothing else.

This kiosk's own submissions that have not reached the office yet are answered here; every
other number is asked of the office (`office_status`), which keeps the count of wrong tries.
Both places slow repeated wrong tries down the same way (`throttle`). An office that cannot be
reached is said so, and counts as no try.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import select

from dikjamila.db.types import utcnow
from dikjamila.desk.survey_common import FINISHED
from dikjamila.errors import InvalidInput, UserError
from dikjamila.i18n import tr
from dikjamila.kiosk import local_db
from dikjamila.kiosk.api import StatusAnswer
from dikjamila.kiosk.numbers import clean_number
from dikjamila.kiosk.office_link import OfficeUnreachable
from dikjamila.kiosk.office_status import check_status
from dikjamila.kiosk.status_words import WAITING_HERE, status_words
from dikjamila.kiosk.throttle import WINDOW, wait_seconds

if TYPE_CHECKING:
    from dikjamila.kiosk.station import KioskStation

log = logging.getLogger(__name__)


class StatusCheck:
    def __init__(self, station: KioskStation):
        self.station = station

    def ask(self, number: str, phone_last4: str) -> StatusAnswer:
        number, last4 = clean_number(number), "".join(str(phone_last4).split())
        if not number:
            raise InvalidInput(tr("Nomor permohonan belum diisi."))
        if not (len(last4) == 4 and last4.isascii() and last4.isdigit()):
            raise InvalidInput(tr("Isi 4 angka terakhir nomor HP yang dipakai saat mendaftar."))
        if self.station.own_pending(number):
            return self._here(number, last4)
        try:
            with self.station.office.writing() as conn:
                answer = check_status(conn, self.station.office.kiosk_role(), number, last4)
        except OfficeUnreachable:
            return StatusAnswer(found=False, number=number, message=tr(
                "Kantor sedang tidak dapat dihubungi, jadi status belum bisa dilihat. Coba lagi nanti."))
        self.station.note_reached()
        if answer.wait_seconds:
            return _slowed(number, answer.wait_seconds)
        if not answer.found:
            return _not_found(number)
        return self._found(number, answer.status, answer.service_code)

    def _here(self, number: str, last4: str) -> StatusAnswer:
        """A submission still waiting at this kiosk: checked against its phone, tries counted here."""
        subs, tries = local_db.submissions, local_db.status_tries
        now = utcnow()
        with self.station.db.writing() as session:
            wrong = session.scalars(select(tries.c.at).where(tries.c.ok.is_(False), tries.c.at > now - WINDOW))
            if wait := wait_seconds(wrong, now):
                return _slowed(number, wait)
            phone = session.scalar(select(subs.c.applicant_phone).where(subs.c.kiosk_number == number))
            ok = bool(phone) and phone.endswith(last4)
            session.execute(tries.delete().where(tries.c.at < now - WINDOW))
            session.execute(tries.insert().values(at=now, ok=ok))
        return self._found(number, WAITING_HERE, "") if ok else _not_found(number)

    def _found(self, number: str, status: str, service_code: str) -> StatusAnswer:
        try:
            card = self.station.catalog.get(service_code).ends_in_pickup if service_code else False
        except UserError:  # an office's own service this kiosk does not know: words for a PDF
            log.info("kiosk: service %s is not in this kiosk's catalog", service_code)
            card = False
        text, step = status_words(status, card=card)
        return StatusAnswer(found=True, number=number, status_text=text, next_step=step,
                            finished=status in FINISHED)


def _not_found(number: str) -> StatusAnswer:
    return StatusAnswer(found=False, number=number, message=tr(
        "Nomor permohonan atau 4 angka terakhir nomor HP tidak cocok. Periksa lagi tanda terima Anda."))


def _slowed(number: str, wait: int) -> StatusAnswer:
    return StatusAnswer(found=False, number=number, wait_seconds=wait, message=tr(
        "Terlalu banyak percobaan yang salah. Coba lagi dalam {n} detik.", n=wait))
