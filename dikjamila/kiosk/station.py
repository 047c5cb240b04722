"""A village kiosk: `KioskStation` implements what the kiosk screen asks (`api.KioskStationApi`).

A kiosk is a normal Dik Jamila data dir (settings.toml with the `kiosk_*` keys and
`office_db_url`) with a folder `kios/` of its own: its database (`local_db`) and the files
residents handed in (`kios/berkas`, an attachment store: every photo and PDF is checked there
exactly as the office checks it). Nothing the screen does waits on the office: a submission is
stored here in one transaction and delivered later (`delivery.deliver_pending`); only the status
check asks the office, with short timeouts.

Files of a draft are kept until it is submitted or the screen removes them; a file is deleted
only when no pending submission and no open draft holds the same content.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid as uuidlib
from collections import Counter
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, update

from dikjamila.config import Paths, Settings, load_settings, office_paths
from dikjamila.db.types import utcnow
from dikjamila.errors import InvalidInput, NotFound
from dikjamila.files import AttachmentStore
from dikjamila.i18n import tr
from dikjamila.kiosk import identity_check, local_db, numbers, sop_view
from dikjamila.kiosk.api import (
    KioskDocument,
    KioskDraft,
    KioskFile,
    KioskQuestion,
    KioskReceipt,
    KioskService,
    StatusAnswer,
)
from dikjamila.kiosk.local_db import DELIVERED, PENDING
from dikjamila.kiosk.office_link import OfficeLink
from dikjamila.kiosk.pin import verify_pin
from dikjamila.kiosk.service_texts import service_line
from dikjamila.kiosk.status_check import StatusCheck
from dikjamila.kiosk.surveys import survey_row
from dikjamila.sop import Sop, load_catalog

log = logging.getLogger(__name__)

#: Files left in `kios/berkas` by a crash (no submission holds them) are removed after this long.
STALE_FILE_S = 3600
#: Wrong PINs in a row before the PIN pad waits.
PIN_TRIES, PIN_WAIT_S = 5, 30


class KioskStation:
    """Open with `KioskStation.open(data_dir)`; `close()` when done. Safe to call from two threads
    (the screen's worker and the delivery job)."""

    def __init__(self, paths: Paths, settings: Settings):
        self.paths = paths
        self.settings = settings
        self.desa = numbers.desa_code(settings.kiosk_desa)
        self.folder = paths.data_dir / "kios"
        self.db = local_db.open_local(self.folder)
        self.store = AttachmentStore(self.folder / "berkas", max_bytes=settings.max_attachment_mb * 1024 * 1024,
                                     max_pixels=settings.max_image_megapixels * 1_000_000)
        self.office = OfficeLink(paths, settings, local_name=f"kios-{self.desa.lower()}")
        self.catalog = load_catalog(_sop_dir(paths, settings))
        self._drafts: Counter[str] = Counter()  # sha256 → files of open drafts holding it
        self._lock = threading.Lock()
        self._pin_wrong: list[float] = []
        self._status = StatusCheck(self)
        self._sweep_stale_files()

    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None) -> KioskStation:
        paths = office_paths(data_dir)
        return cls(paths, load_settings(paths))

    def close(self) -> None:
        self.office.close()
        self.db.close()

    # -- the service, its questions and documents --------------------------------------------
    def services(self) -> list[KioskService]:
        out = []
        for sop in self.catalog.all():
            description, icon = service_line(sop.code, sop.name)
            out.append(KioskService(sop.code, sop.name, description, icon, sop.result))
        return out

    def questions(self, service_code: str) -> list[KioskQuestion]:
        return sop_view.questions(self._sop(service_code))

    def documents(self, service_code: str, answers: dict[str, bool]) -> list[KioskDocument]:
        return sop_view.documents(self._sop(service_code), answers)

    def check_identity(self, name: str, phone: str, nik: str) -> dict[str, str]:
        return identity_check.problems(name, phone, nik)

    # -- files --------------------------------------------------------------------------------
    def add_file(self, draft: KioskDraft, document_code: str, source: Path) -> KioskFile:
        """Copy and check `source` (decodes fully, within the size limits, a kind the document
        takes); a refused file leaves nothing behind."""
        wanted = {d.code: d for d in self.documents(draft.service_code, draft.answers)}.get(document_code)
        if wanted is None:
            raise InvalidInput(tr("Dokumen itu tidak diminta untuk layanan ini."))
        with self._lock:  # NOTE: held while copying: a delivery must not delete this content meanwhile
            blob = self.store.put_file(Path(source))
            if refusal := _unfit(blob, wanted):
                if not blob.already_stored:
                    self.store.discard(blob.sha256)
                raise InvalidInput(refusal)
            self._drafts[blob.sha256] += 1
        file = KioskFile(document_code, self.store.path(blob.sha256), blob.sha256, blob.size, blob.kind,
                         blob.original_name)
        draft.files.append(file)
        return file

    def remove_file(self, draft: KioskDraft, file: KioskFile) -> None:
        """Take `file` off the draft; its copy is deleted unless something else holds the same content."""
        if file in draft.files:
            draft.files.remove(file)
        with self._lock:
            if self._drafts[file.sha256] > 0:
                self._drafts[file.sha256] -= 1
            self._discard_unheld([file.sha256])

    def missing(self, draft: KioskDraft) -> list[str]:
        return sop_view.missing(self._sop(draft.service_code), draft.answers,
                                [(f.document_code, f.kind) for f in draft.files])

    # -- submitting -----------------------------------------------------------------------------
    def submit(self, draft: KioskDraft) -> KioskReceipt:
        """Store the submission and its files' list in one transaction and make its receipt."""
        from dikjamila.documents.kiosk_receipt import kiosk_receipt_pdf

        sop = self._sop(draft.service_code)
        person = identity_check.applicant(draft.applicant_name, draft.applicant_phone, draft.applicant_nik)
        if gaps := self.missing(draft):
            raise InvalidInput(tr("Berkas belum lengkap: {items}.", items="; ".join(gaps)))
        for file in draft.files:
            if not self.store.exists(file.sha256):
                raise InvalidInput(tr("Berkas {name} tidak ada lagi di kios; ambil ulang fotonya.",
                                      name=file.original_name))
        labels = {d.code: d.label for d in self.documents(draft.service_code, draft.answers)}
        handed_in = list(dict.fromkeys(labels.get(f.document_code, f.document_code) for f in draft.files))
        uid, created = str(uuidlib.uuid4()), utcnow()
        with self.db.writing() as session:
            number = numbers.kiosk_number(self.desa, local_db.next_serial(session))
            session.execute(local_db.submissions.insert().values(
                uuid=uid, kiosk_number=number, service_code=sop.code,
                facts_json=json.dumps(sop_view.facts_of(sop, draft.answers)), applicant_name=person.name,
                applicant_phone=person.phone, applicant_nik=person.nik, created_at=created, state=PENDING,
                head_sent=False, attempts=0, last_error=""))
            if draft.files:
                session.execute(local_db.submission_files.insert(), [
                    {"submission_uuid": uid, "file_no": n, "document_code": f.document_code, "sha256": f.sha256,
                     "size": f.size, "kind": f.kind, "original_name": f.original_name, "sent": False}
                    for n, f in enumerate(draft.files)])
            # Made before the commit: a receipt that cannot be made stores nothing (the number is given back).
            pdf = kiosk_receipt_pdf(
                office_name=self.settings.office_name, office_address=self.settings.office_address,
                kiosk_number=number, service_name=sop.name, applicant_name=person.name,
                phone_masked=identity_check.mask_phone(person.phone), created_at=created, documents=handed_in,
                paper=self.settings.kiosk_paper)
        with self._lock:  # the pending submission holds the files now, not the draft
            for file in draft.files:
                if self._drafts[file.sha256] > 0:
                    self._drafts[file.sha256] -= 1
        log.info("kiosk submission %s stored (%s, %d files)", number, sop.code, len(draft.files))
        return KioskReceipt(number, uid, created, pdf)

    # -- status, survey -------------------------------------------------------------------------
    def status(self, number: str, phone_last4: str) -> StatusAnswer:
        return self._status.ask(number, phone_last4)

    def record_survey(self, number: str, phone_last4: str, scores: dict[str, int]) -> None:
        row = survey_row(number, phone_last4, scores)
        if self.own_pending(row["number"]):
            raise InvalidInput(tr("Permohonan {number} belum selesai; survei dapat diisi setelah dokumennya "
                                  "diterima.", number=row["number"]))
        with self.db.writing() as session:
            session.execute(local_db.surveys.insert().values(**row))

    # -- the office -----------------------------------------------------------------------------
    def deliver(self):
        """Deliver what waits here (see `delivery.deliver_pending`); for the screen's timer."""
        from dikjamila.kiosk.delivery import deliver_pending

        return deliver_pending(self)

    def last_reached(self) -> datetime | None:
        with self.db.reading() as session:
            return local_db.last_reached(session)

    def pending_count(self) -> int:
        with self.db.reading() as session:
            return session.scalar(select(func.count()).select_from(local_db.submissions)
                                  .where(local_db.submissions.c.state == PENDING)) or 0

    def check_pin(self, pin: str) -> bool:
        """True for the admin PIN. After 5 wrong ones in a row the pad waits 30 seconds."""
        now = time.monotonic()
        if len(self._pin_wrong) >= PIN_TRIES and now - self._pin_wrong[-1] < PIN_WAIT_S:
            raise InvalidInput(tr("Terlalu banyak PIN salah. Coba lagi dalam {n} detik.",
                                  n=int(PIN_WAIT_S - (now - self._pin_wrong[-1])) + 1))
        if not self.settings.kiosk_admin_pin_hash:
            log.warning("kiosk: no admin PIN is set (kiosk_admin_pin_hash); leaving kiosk mode is refused")
        if verify_pin(self.settings.kiosk_admin_pin_hash, str(pin)):
            self._pin_wrong.clear()
            return True
        self._pin_wrong = [*self._pin_wrong[-(PIN_TRIES - 1):], now]
        return False

    # -- for delivery and the status check ------------------------------------------------------
    def pending_uuids(self) -> list[str]:
        with self.db.reading() as session:
            return list(session.scalars(select(local_db.submissions.c.uuid).where(
                local_db.submissions.c.state == PENDING).order_by(local_db.submissions.c.created_at)))

    def own_pending(self, number: str) -> bool:
        with self.db.reading() as session:
            return session.scalar(select(local_db.submissions.c.uuid).where(
                local_db.submissions.c.kiosk_number == number, local_db.submissions.c.state == PENDING)) is not None

    def note_reached(self) -> None:
        with self.db.writing() as session:
            local_db.mark_reached(session, utcnow())

    def note_problem(self, uuid: str, message: str) -> None:
        subs = local_db.submissions
        with self.db.writing() as session:
            session.execute(update(subs).where(subs.c.uuid == uuid).values(
                attempts=subs.c.attempts + 1, last_error=message[:2000]))

    def mark_delivered(self, uuid: str) -> None:
        """The office has sealed it: delivered, and the office's contact remembered, in one transaction."""
        subs = local_db.submissions
        now = utcnow()
        with self.db.writing() as session:
            session.execute(update(subs).where(subs.c.uuid == uuid).values(state=DELIVERED, delivered_at=now))
            local_db.mark_reached(session, now)

    def remove_delivered_files(self) -> None:
        """The office has them: delete the delivered submissions' files here, and forget who
        handed them in (the number and service stay, for the record)."""
        subs, files = local_db.submissions, local_db.submission_files
        with self.db.reading() as session:
            done = list(session.scalars(select(subs.c.uuid).where(subs.c.state == DELIVERED,
                                                                  subs.c.files_removed_at.is_(None))))
        for uid in done:
            with self._lock:
                with self.db.reading() as session:
                    shas = list(session.scalars(select(files.c.sha256).where(files.c.submission_uuid == uid)))
                # NOTE: the files first, the rows after: stopped in between (power cut, killed),
                # the next run finds the rows still there and finishes. The other order left the
                # photos on the kiosk for good once the rows were gone.
                self._discard_unheld(shas)
                with self.db.writing() as session:
                    session.execute(files.delete().where(files.c.submission_uuid == uid))
                    session.execute(update(subs).where(subs.c.uuid == uid).values(
                        files_removed_at=utcnow(), applicant_name="", applicant_phone="", applicant_nik="",
                        facts_json="{}"))

    # -- helpers --------------------------------------------------------------------------------
    def _sop(self, service_code: str) -> Sop:
        if not service_code:
            raise InvalidInput(tr("Pilih layanan dulu."))
        try:
            return self.catalog.get(service_code)
        except NotFound as exc:
            raise InvalidInput(exc.message) from exc

    def _discard_unheld(self, shas: list[str]) -> None:
        """Delete the content no open draft and no waiting submission holds (caller holds the lock).
        A delivered submission holds nothing: the office has its files."""
        files, subs = local_db.submission_files, local_db.submissions
        with self.db.reading() as session:
            held = set(session.scalars(select(files.c.sha256).join(subs, subs.c.uuid == files.c.submission_uuid)
                                       .where(files.c.sha256.in_(shas), subs.c.state != DELIVERED)))
        for sha in set(shas) - held:
            if self._drafts[sha] <= 0:
                self.store.discard(sha)

    def _sweep_stale_files(self) -> None:
        """Files a crash left behind (a draft that was never submitted), once they are old."""
        cutoff = time.time() - STALE_FILE_S
        with self._lock:
            stale = [sha for sha in self.store.iter_blobs() if self.store.path(sha).stat().st_mtime < cutoff]
            if stale:
                self._discard_unheld(stale)


def _unfit(blob, wanted: KioskDocument) -> str:
    """Why a checked file does not do for the document (a photo where a PDF is asked, a PDF
    locked with a password), or ""."""
    if blob.kind == "pdf" and blob.pages is None:
        return tr("PDF {name} terkunci kata sandi; pilih berkas lain.", name=blob.original_name)
    if blob.kind not in wanted.kinds:
        return tr("{label} harus berupa foto.", label=wanted.label) if wanted.kinds == ("image",) else \
            tr("{label} harus berupa PDF.", label=wanted.label)
    return ""


def _sop_dir(paths: Paths, settings: Settings) -> Path | None:
    folder = Path(settings.sop_override_dir) if settings.sop_override_dir else paths.default_sop_dir
    return folder if folder.is_dir() else None
