"""WhatsApp conversations for the demo office (issue 8, item 8): the service's real flow.

Residents' messages and photos arrive through `Desk.store_incoming`, the path the live
WhatsApp worker's `incoming` events take (their files written where a worker writes them, in
`<data>/whatsapp/incoming/demo/`), so routing makes the requests, marks and automatic replies
it makes in a real office. Sends go through the outbox as the runner does them (`claim_next`,
`record_outcome`, `record_receipt`), with made-up server ids. Afterwards the demo holds:

- four residents whose messages became new requests, service "belum dipilih" with the
  suggested one shown, their photos on the checklist waiting for the operator;
- in "Pesan masuk belum ditangani": a sender WhatsApp names only by a LID, a voice note, and
  a question that came while automatic creation was switched off;
- on existing requests: replies with their ticks, two issued PDFs sent (those requests are
  now `terkirim`), a "berkas kurang" notice answered with a photo, a message that failed, a
  resident writing after the request closed and one with two open requests.

Only the outbox's times are set afterwards (it stamps "now"; a live office has its own times
by itself), as `office_demo._spread_timestamps` does for closed requests.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import update

from dikjamila.auth.roles import Actor
from dikjamila.db.models import OutboxItem
from dikjamila.demo.paperwork import (
    date_id,
    document_pdf,
    document_photo,
    issued_document_pdf,
)
from dikjamila.demo.people import random_person
from dikjamila.desk import InboxFilter, InboxRow, IncomingInfo, NewRequest
from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from dikjamila.identity import kecamatan, make_nik, normalize_phone, villages
from dikjamila.lifecycle import Status
from dikjamila.office import Office
from dikjamila.whatsapp.transports.base import SendOutcome, SendStatus
from dikjamila.whatsapp.worker.incoming_files import store_incoming
from dikjamila.whatsapp.worker.paths import incoming_dir

LINK = Actor.system("whatsapp")  # the WhatsApp link's own actor, as in `whatsapp.service`
ACCOUNT = ""  # the demo office names no number of its own: a single link
PHOTO_SIZE = (1000, 750)  # WhatsApp shrinks photos anyway; smaller is quicker to draw
File = tuple[bytes, str, str, str]  # bytes, name, mime, the worker's kind
OPEN_WORK = (Status.DIPERIKSA, Status.BERKAS_KURANG, Status.DIPROSES, Status.BARU, Status.TERBIT, Status.TERKIRIM)

# What a resident of an existing request first wrote, by service (typos and all).
ASKED = {
    "akta_kelahiran": "assalamualaikum pak, mau bikin akte lahir anak sy. berkas nya sdh sy fotokan",
    "kk_perubahan": "pagi pak, mau ubah data kk, nambah anak sy yg baru lahir",
    "kk_baru": "assalamualaikum, sy baru menikah mau bikin kk sendiri pisah dr ortu",
    "kk_hilang_rusak": "pak kk sy rusak kena banyu, mau cetak ulang bisa kah",
    "akta_kematian": "mau urus akta kematian alm abah sy pak",
    "pindah": "mau bikin surat pindah ke tabalong pak, ikut suami",
    "datang": "sy pindahan dr banjarmasin mau masuk kk di paringin",
    "akta_perkawinan": "selamat pagi, mau urus akta perkawinan kami",
    "akta_perceraian": "mau urus akta cerai pak, putusan pengadilan sdh ada",
    "perubahan_nama": "mau ganti nama sesuai penetapan pengadilan",
    "pengakuan_pengesahan_anak": "mau urus pengesahan anak sy pak",
}


@dataclass(frozen=True)
class ConversationSummary:
    received: int  # messages that arrived
    new_requests: int  # requests routing made from them
    files: int  # photos and PDFs that went onto a checklist
    unhandled: int  # left in "Pesan masuk belum ditangani"
    sent: int  # outbox items that went out
    failed: int


@dataclass(frozen=True)
class _Fate:
    """What the demo's "phone" reports for one outbox item."""

    at: datetime  # the server's time of the send
    ticks: str = "read"  # "sent" | "delivered" | "read" | "failed"
    error: str = ""


def add_conversations(office: Office, *, seed: int, now: datetime, staff: dict[str, Actor]) -> ConversationSummary:
    """Add the WhatsApp side to a demo office built up to `now`; the same seed, the same demo."""
    talk = _Conversations(office, seed=seed, now=now, staff=staff)
    talk.documents_sent()
    talk.missing_answered()
    talk.failed_notice()
    talk.after_close()
    talk.two_open()
    talk.new_residents()
    talk.unhandled()
    talk.backdate()
    return ConversationSummary(talk.received, len(talk.created), talk.files, talk.link.unhandled_count(),
                               talk.sent, talk.failed)


class _Conversations:
    def __init__(self, office: Office, *, seed: int, now: datetime, staff: dict[str, Actor]):
        self.office, self.now, self.staff = office, now, staff
        self.today = now.astimezone(WITA).date()
        self.rng = random.Random(f"{seed}:whatsapp")
        self.link = office.desk(LINK)
        self.folder = incoming_dir(office.paths.data_dir) / "demo"
        self.by_id = {a.id: a for a in staff.values()}
        self.plan: dict[int, _Fate] = {}
        self.times: dict[int, tuple[datetime, datetime, datetime]] = {}  # queued, attempted, last change
        self.used: set[int] = set()
        self.created: set[int] = set()
        self.received = self.files = self.sent = self.failed = 0
        self.serial = self.rng.randint(40, 300)  # the residents' phones number their files WA0001...

    # -- the worker's side: messages in, sends out ---------------------------------------------
    def receive(self, phone: str, name: str, at: datetime, text: str = "", *, file: File | None = None,
                lid: str = "") -> IncomingInfo:
        wa_id = "3A" + self.rng.randbytes(9).hex().upper()
        event = {"event": "incoming", "message_id": wa_id, "chat": phone, "sender": phone, "sender_lid": lid,
                 "push_name": name, "at": at.astimezone(UTC).isoformat(), "text": text, "quoted_id": "", "file": None,
                 "file_error": ""}
        if file is not None:
            data, file_name, mime, kind = file
            path = store_incoming(self.folder, data, message_id=wa_id, name=file_name, at=at)
            event["file"] = {"path": str(path), "name": file_name, "mime": mime, "size": len(data), "kind": kind}
        info = self.link.store_incoming(event, account=ACCOUNT)
        self.received += 1
        if info.request_id is not None and info.file_kind in ("image", "pdf"):
            self.files += 1
        return info

    def drain(self) -> None:
        """Send everything queued, as the runner would; unplanned items (the automatic
        "permohonan diterima") go out a moment after the message they answer."""
        while (message := self.link.claim_next(accounts=(ACCOUNT,), transport="linked", paced=False).message):
            fate = self.plan.pop(message.item_id, None) or _Fate(
                self.clamp((message.last_incoming_at or self.now) + self.secs(20, 70), 1),
                self.rng.choice(["read", "read", "delivered"]))
            queued = fate.at - self.secs(4, 40)
            if fate.ticks == "failed":
                self.link.record_outcome(message.item_id, SendOutcome(SendStatus.FAILED_PERMANENT, error=fate.error))
                self.times[message.item_id] = (queued, fate.at, fate.at)
                self.failed += 1
                continue
            wa_id = "3EB0" + self.rng.randbytes(8).hex().upper()
            self.link.record_outcome(message.item_id, SendOutcome(
                SendStatus.SENT, message_id=wa_id, server_time=fate.at, sha256=message.document_sha256))
            last = fate.at
            for kind in ("delivered", "read")[:("sent", "delivered", "read").index(fate.ticks)]:
                self.link.record_receipt([wa_id], kind)
                last = self.clamp(last + self.secs(5, 1800), 0.5)
            self.times[message.item_id] = (queued, fate.at - self.secs(1, 3), last)
            self.sent += 1

    def backdate(self) -> None:
        with self.office.db.writing() as session:
            for item_id, (queued, attempted, last) in self.times.items():
                session.execute(update(OutboxItem).where(OutboxItem.id == item_id).values(
                    created_at=queued, last_attempt_at=attempted, updated_at=max(last, attempted)))

    # -- helpers ---------------------------------------------------------------------------------
    def secs(self, low: float, high: float) -> timedelta:
        return timedelta(seconds=self.rng.uniform(low, high))

    def clamp(self, at: datetime, minutes: float) -> datetime:
        """`at`, but at least `minutes` before now (nothing in the demo happens in the future)."""
        return min(at, self.now - timedelta(minutes=minutes))

    def candidates(self, *statuses: str, older_than_hours: float = 0, whatsapp: bool | None = True) -> list[InboxRow]:
        rows = self.office.desk(self.staff["hasan"]).inbox(InboxFilter(statuses=statuses), limit=500).rows
        latest = self.now - timedelta(hours=older_than_hours)
        return [r for r in rows if r.service_code and r.applicant_phone and r.id not in self.used
                and r.received_at <= latest and (whatsapp is None or (r.channel == "whatsapp") == whatsapp)]

    def desk_for(self, row: InboxRow):
        """The desk of the operator holding the request (anyone may answer an unclaimed one)."""
        return self.office.desk(self.by_id.get(row.assignee_id) or self.staff["sari"])

    def push_name(self, full_name: str) -> str:
        words = [w for w in full_name.split() if w not in ("H.", "Hj.")]
        return " ".join(words[:2]) + self.rng.choice(["", "", "", " 🌻", " Paringin", " 🙏"])

    def photo(self, at: datetime, title: str, holder: str, number: str = "", lines: tuple[str, ...] = ()) -> File:
        self.serial += self.rng.randint(1, 5)
        data = document_photo(title, holder=holder, number=number, lines=lines, rng=self.rng,
                              orientation=self.rng.choice((1, 1, 1, 6)), size=PHOTO_SIZE)
        return data, f"IMG-{at.astimezone(WITA):%Y%m%d}-WA{self.serial:04d}.jpg", "image/jpeg", "image"

    def office_hour(self, hour: int, *, skip: int = 0) -> datetime:
        """`hour`:xx WITA on the latest Monday to Thursday (office hours) before now, `skip` such days back."""
        day = self.today
        while True:
            at = datetime.combine(day, time(hour, self.rng.randint(0, 59)), tzinfo=WITA)
            if day.weekday() <= 3 and at < self.now - timedelta(hours=1):
                if skip == 0:
                    return at
                skip -= 1
            day -= timedelta(days=1)

    def nik(self, person, village) -> str:
        return make_nik(kecamatan_code=village.kecamatan_code.replace(".", ""), birth_date=person.birth_date,
                        sex=person.sex, serial=self.rng.randint(1, 9999))

    def resident(self, *, sex: str | None = None, low: int = 20, high: int = 60):
        person = random_person(self.rng, sex=sex, min_age=low, max_age=high, today=self.today)
        return person, normalize_phone(person.phone).e164, self.push_name(person.name)

    # -- existing requests get their conversations ----------------------------------------------
    def documents_sent(self) -> None:
        """Two issued PDFs go out: the resident asked, the office answered, the document followed."""
        done = 0
        # Requests that came by WhatsApp first; a small demo may need one from the counter
        # (its document goes to the number the resident gave there) or one still `diproses`.
        rows = [row for whatsapp in (True, False) for status in (Status.TERBIT, Status.DIPROSES)
                for row in self.candidates(status, older_than_hours=4, whatsapp=whatsapp)]
        for row in rows:
            if row.id in self.used or (row.status == Status.DIPROSES and not self.issue(row)):
                continue
            desk = self.desk_for(row)
            check = desk.document_check(row.id)
            if check.attachment_id is None or check.problem or not check.has_text:
                continue
            self.used.add(row.id)
            name = self.push_name(row.applicant_name)
            if row.channel == "whatsapp":
                asked = row.received_at - self.secs(120, 600)
                msg = self.receive(row.applicant_phone, name, asked, ASKED.get(row.service_code, ASKED["kk_perubahan"]))
                reply = ("Waalaikumsalam Bapak/Ibu, berkas sudah kami terima dan sedang kami periksa. "
                         f"Nomor permohonan *{row.number}*. Mohon ditunggu 🙏")
                self.plan[desk.reply_to_message(msg.id, reply)] = _Fate(self.clamp(asked + self.secs(600, 3000), 90))
            desk.record_preview(check.attachment_id)
            went = self.clamp(row.received_at + timedelta(hours=self.rng.uniform(2, 6)), self.rng.uniform(30, 80))
            self.plan[desk.send_issued_document(row.id)] = _Fate(went, "read" if done == 0 else "delivered")
            self.drain()
            if done == 0:
                self.receive(row.applicant_phone, name, self.clamp(went + self.secs(600, 2400), 10),
                             "alhamdulillah sdh masuk pak, makasih banyak 🙏🙏")
            done += 1
            if done == 2:
                return

    def issue(self, row: InboxRow) -> bool:
        """A small demo has few requests at `terbit`: one still `diproses` gets its document."""
        sop = self.office.catalog.get(row.service_code)
        if sop.ends_in_pickup or len(row.applicant_nik) != 16:
            return False
        desk = self.desk_for(row)
        subject = desk.get_request(row.id, record_view=False).subject_name or row.applicant_name
        pdf = issued_document_pdf(sop.name, holder=subject, nik=row.applicant_nik, number=row.number,
                                  issued_on=self.today)
        desk.attach_file(row.id, pdf, f"{row.service_code}-{row.number}.pdf", role="issued", origin="issued")
        desk.advance(row.id, Status.TERBIT.value)
        return True

    def missing_answered(self) -> None:
        """A "berkas kurang" notice, read, then answered with a photo of what was missing."""
        for row in self.candidates(Status.BERKAS_KURANG, older_than_hours=8):
            desk = self.desk_for(row)
            report = desk.check(row.id, as_of=self.today)
            missing = report.missing()
            if report.complete or not report.missing_message or not missing:
                continue
            self.used.add(row.id)
            name = self.push_name(row.applicant_name)
            asked = row.received_at - self.secs(120, 600)
            self.receive(row.applicant_phone, name, asked, ASKED.get(row.service_code, ASKED["kk_perubahan"]))
            noticed = self.clamp(row.received_at + self.secs(2400, 9000), 240)
            self.plan[desk.queue_message(row.id, report.missing_message, purpose="berkas_kurang")] = _Fate(noticed)
            self.drain()
            label = missing[0].label.split("(")[0].split(" atau ")[0].strip()
            answered = self.clamp(noticed + timedelta(hours=self.rng.uniform(1, 6)), 30)
            title = textwrap.shorten(label.upper(), 60, placeholder="")
            self.receive(row.applicant_phone, name, answered, f"ini {label.lower()} nya pak",
                         file=self.photo(answered, title, row.applicant_name, row.applicant_nik))
            self.receive(row.applicant_phone, name, answered + self.secs(30, 90), "mohon dicek pak 🙏")
            return

    def failed_notice(self) -> None:
        """A notice to a number typed at the counter that has no WhatsApp: the outbox shows it failed."""
        rows = self.candidates(Status.BERKAS_KURANG, Status.DIPERIKSA, older_than_hours=3, whatsapp=False)
        for row in rows + self.candidates(Status.BERKAS_KURANG, Status.DIPERIKSA, older_than_hours=3):
            desk = self.desk_for(row)
            text = desk.check(row.id, as_of=self.today).missing_message
            if not text:
                continue
            self.used.add(row.id)
            at = self.clamp(row.received_at + self.secs(1800, 9000), 60)
            error = tr("Nomor {to} tidak terdaftar di WhatsApp.", to=row.applicant_phone)
            self.plan[desk.queue_message(row.id, text, purpose="berkas_kurang")] = _Fate(at, "failed", error)
            self.drain()
            return

    def after_close(self) -> None:
        """A resident writes again after the request closed: "pesan setelah selesai"."""
        reader = self.office.desk(self.staff["hasan"])
        for row in self.candidates(Status.SELESAI):
            closed = reader.get_request(row.id, record_view=False).closed_at
            if closed is None or not self.now - timedelta(days=6) <= closed <= self.now - timedelta(hours=2):
                continue
            self.used.add(row.id)
            at = closed + min(timedelta(hours=self.rng.uniform(3, 30)), (self.now - closed) / 2)
            msg = self.receive(row.applicant_phone, self.push_name(row.applicant_name), at,
                               "makasih pak dokumen nya sdh sy print 🙏 mau tanya lg, kalau bikin kia "
                               "utk anak sy yg umur 4 th syarat nya apa aja ya")
            reply = ("Sama-sama Bapak/Ibu. Untuk KIA anak di bawah 5 tahun: foto akta kelahiran anak, KK, "
                     "dan KTP-el kedua orang tua. Silakan kirim ke nomor ini 🙏")
            self.plan[self.desk_for(row).reply_to_message(msg.id, reply)] = _Fate(
                self.clamp(at + self.secs(900, 5400), 20), "delivered")
            self.drain()
            return

    def two_open(self) -> None:
        """A resident with a request in progress also applied at the counter, then writes."""
        for row in self.candidates(*OPEN_WORK, older_than_hours=30):
            desk = self.desk_for(row)
            first = desk.get_request(row.id, record_view=False)
            second = "kk_perubahan" if first.service_code == "kia" else "kia"
            child = random_person(self.rng, min_age=1, max_age=4, today=self.today)
            counter = self.office.desk(self.staff["noor"]).create_request(NewRequest(
                service_code=second, applicant_name=first.applicant_name, channel="walk_in",
                applicant_phone=first.applicant_phone, applicant_nik=first.applicant_nik, subject_name=child.name,
                kecamatan_code=first.kecamatan_code, village_code=first.village_code,
                facts={"subject_birth_date": child.birth_date.isoformat(), "marital_status": "belum_kawin"},
                received_at=self.now - timedelta(hours=self.rng.uniform(20, 28))))
            self.used.update((row.id, counter.id))
            what = "kia anak sy" if second == "kia" else "kk yg sy ajukan di kantor"
            self.receive(first.applicant_phone, self.push_name(first.applicant_name),
                         self.now - timedelta(minutes=self.rng.uniform(40, 150)),
                         f"pak, yg {what} kemarin sdh jadi kah? sama permohonan {first.number} sdh sampai mana ya")
            return

    # -- new residents: messages that become requests --------------------------------------------
    def new_residents(self) -> None:
        village = self.rng.choice(villages())
        kec = kecamatan(village.kecamatan_code).name
        # A mother asks for her baby's birth certificate, with two photos.
        mother, phone, name = self.resident(sex="P", low=20, high=34)
        father = random_person(self.rng, sex="L", min_age=23, max_age=40, today=self.today)
        born = self.today - timedelta(days=self.rng.randint(3, 12))
        at = self.office_hour(9, skip=1)
        self.receive(phone, name, at, f"Assalamualaikum pak/bu, mau bikin akte lahir anak sy. lahir tgl {born.day} "
                                      f"kmrn di puskesmas {kec}")
        self.receive(phone, name, at + self.secs(40, 90), "ini surat lahir dr bidan", file=self.photo(
            at, "SURAT KETERANGAN KELAHIRAN", f"Bayi Ny. {mother.name}", f"445/{self.rng.randint(20, 400)}/PKM",
            (f"Tanggal Lahir: {date_id(born)}", f"Nama Ibu: {mother.name}", f"Nama Ayah: {father.name}")))
        self.receive(phone, name, at + self.secs(100, 160), "ini kk nya",
                     file=self.photo(at, "KARTU KELUARGA", father.name, self.nik(father, village)))
        self.record(self.receive(phone, name, at + self.secs(200, 300), "buku nikah nyusul y pak, lg dicari dulu 🙏"))
        self.drain()
        # A man lost his family card: a police letter and his KTP.
        man, phone, name = self.resident(sex="L", low=25, high=50)
        at = self.office_hour(10)
        self.receive(phone, name, at, "pagi pak. kk sy hilang waktu pindahan rumah kmrn, mau urus kk lg gmn caranya ya")
        self.receive(phone, name, at + self.secs(60, 200), "surat kehilangan dr polsek", file=self.photo(
            at, "SURAT TANDA PENERIMAAN LAPORAN KEHILANGAN", man.name, f"STPL/{self.rng.randint(10, 99)}/Sek {kec}",
            ("Barang hilang: Kartu Keluarga", f"Tanggal Lapor: {date_id(at.astimezone(WITA).date())}")))
        self.record(self.receive(phone, name, at + self.secs(220, 320), "ktp sy",
                                 file=self.photo(at, "KARTU TANDA PENDUDUK", man.name, self.nik(man, village))))
        self.drain()
        # A death reported late in the evening (the "di luar jam layanan" reply), with a PDF.
        _, phone, name = self.resident(low=30, high=55)
        deceased = random_person(self.rng, sex="L", min_age=60, max_age=85, today=self.today)
        at = datetime.combine(self.today - timedelta(days=1), time(21, self.rng.randint(5, 50)), tzinfo=WITA)
        died = self.today - timedelta(days=self.rng.randint(4, 20))
        self.receive(phone, name, at, f"assalamualaikum, maaf malam2 mengganggu. abah sy meninggal dunia tgl "
                                      f"{died.day}, mau urus akta kematian nya. syaratnya apa aja ya pak")
        letter = document_pdf("SURAT KETERANGAN KEMATIAN", holder=deceased.name,
                              number=f"474.3/{self.rng.randint(5, 90)}/{village.name[:3].upper()}",
                              lines=(f"Meninggal: {date_id(died)}", f"Tempat: Desa {village.name}"), dated=died)
        self.receive(phone, name, at + self.secs(60, 120), file=(letter, "Surat Keterangan Kematian.pdf",
                                                                 "application/pdf", "document"))
        self.record(self.receive(phone, name, at + self.secs(130, 200), "itu surat dr pembakal"))
        self.drain()
        # A young man moving away for work, writing within the last hours.
        mover, phone, name = self.resident(sex="L", low=19, high=30)
        at = self.now - timedelta(minutes=self.rng.uniform(60, 120))
        self.receive(phone, name, at, "min mau tanya, sy mau pindah ke banjarmasin krn kerja. bikin surat pindah "
                                      "nya bisa lewat wa kah?")
        self.receive(phone, name, at + self.secs(50, 100), "ktp sy",
                     file=self.photo(at, "KARTU TANDA PENDUDUK", mover.name, self.nik(mover, village)))
        self.record(self.receive(phone, name, at + self.secs(120, 200), "kk nya nanti sy fotokan, lg di rumah ortu"))
        self.drain()

    def record(self, last: IncomingInfo) -> None:
        if last.request_id is not None:
            self.created.add(last.request_id)

    def unhandled(self) -> None:
        """Messages that wait for an operator: no number, a voice note, automatic creation off."""
        admin, settings = self.staff["admin"], self.office.settings
        # NOTE: an office may switch automatic creation off; the demo does so for a moment,
        # so that two of these stay in the list as they would there.
        self.office.update_settings(admin, replace(settings, intake_auto_create=False))
        try:
            _, _, name = self.resident(sex="P", low=25, high=50)
            self.receive("", name, self.now - timedelta(hours=self.rng.uniform(4, 6)),
                         f"assalamualaikum, ktp sy patah jd dua pak 🙏 bisa diganti kah? sy org "
                         f"{kecamatan(self.rng.choice(villages()).kecamatan_code).name}",
                         lid=f"{self.rng.randint(10 ** 13, 10 ** 14 - 1)}@lid")
            _, phone, name = self.resident(sex="L", low=50, high=70)
            at = self.now - timedelta(hours=self.rng.uniform(2, 3))
            self.serial += 1
            voice = b"OggS\x00\x02" + self.rng.randbytes(9000)
            self.receive(phone, name, at, file=(voice, f"PTT-{at.astimezone(WITA):%Y%m%d}-WA{self.serial:04d}.opus",
                                                "audio/ogg; codecs=opus", "audio"))
            self.receive(phone, name, at + self.secs(20, 60), "maaf pak sy kd pandai mengetik, dengar vn sy ja")
            _, phone, name = self.resident(sex="P", low=22, high=35)
            self.receive(phone, name, self.now - timedelta(minutes=self.rng.uniform(20, 45)),
                         "permisi, ini benar nomor wa disdukcapil balangan kah? mau tanya syarat bikin kia "
                         "anak umur 3 th apa aja ya")
        finally:
            self.office.update_settings(admin, settings)
