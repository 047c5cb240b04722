"""Fill a data dir with a realistic demo office: staff, ~300 requests, photos and PDFs.

Everything goes through the desk, as a real office's would (so audit events, numbers and
checks are real). Only the timestamps of closed requests are spread over the past weeks
afterwards, which a live office would have by itself.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import or_, update

from dikjamila.auth.roles import Actor
from dikjamila.db.models import Request
from dikjamila.demo.conversations import ConversationSummary, add_conversations
from dikjamila.demo.paperwork import document_pdf, document_photo, issued_document_pdf
from dikjamila.demo.people import random_person
from dikjamila.demo.supervision import SupervisionSummary, add_supervision
from dikjamila.desk import NewRequest
from dikjamila.desk.timezone import WITA
from dikjamila.errors import UserError
from dikjamila.identity import make_nik, villages
from dikjamila.office import Office
from dikjamila.sop import FACTS, FactType

DEMO_PASSWORD = "demo-jamila"
STAFF = [
    ("admin", "Admin Disdukcapil", "admin"),
    ("hasan", "Hasan Basri", "supervisor"),
    ("sari", "Sari Rahmawati", "operator"),
    ("budi", "Budi Santoso", "operator"),
    ("noor", "Noor Aisyah", "operator"),
    ("kios.juai", "Kios Kecamatan Juai", "kiosk"),
]
# How often residents ask for each service (a guess for the demo, not a statistic).
SERVICE_WEIGHTS = {
    "akta_kelahiran": 18, "kk_perubahan": 14, "kk_baru": 10, "kia": 9, "ktp_hilang_rusak_perubahan": 9,
    "akta_kematian": 7, "pindah": 7, "datang": 6, "kk_hilang_rusak": 6, "ktp_baru": 5,
    "akta_perkawinan": 3, "akta_perceraian": 3, "perubahan_nama": 1, "pengakuan_pengesahan_anak": 1,
}
CHANNEL_WEIGHTS = {"whatsapp": 75, "walk_in": 12, "kiosk": 8, "import": 5}
REJECT_REASONS = [
    "Pemohon bukan penduduk Kabupaten Balangan; silakan mengurus di daerah asal.",
    "Data dalam surat keterangan tidak sesuai dengan KK; perlu klarifikasi di kantor.",
    "Permohonan ganda, sudah diproses dengan nomor lain.",
]
PERSONALISED = 12  # the newest requests get their own photos; older ones share a pool


@dataclass(frozen=True)
class DemoSummary:
    requests: int
    attachments: int
    by_status: dict[str, int]
    whatsapp: ConversationSummary | None = None
    supervision: SupervisionSummary | None = None


def _age_range(service: str) -> tuple[int, int]:
    return {"kia": (0, 16), "akta_kelahiran": (0, 0), "ktp_baru": (17, 19),
            "akta_kematian": (45, 90)}.get(service, (18, 70))


def _facts(rng: random.Random, service: str, birth: date, today: date) -> dict:
    facts: dict = {}
    for fact in FACTS.values():
        if fact.derived_from:
            continue
        if fact.type is FactType.BOOL:
            facts[fact.name] = rng.random() < (0.85 if fact.name == "applicant_is_subject" else 0.08)
        elif fact.type is FactType.ENUM:
            facts[fact.name] = rng.choice(fact.allowed)
    facts["subject_birth_date"] = birth.isoformat()
    facts["event_date"] = (today - timedelta(days=rng.randint(1, 25))).isoformat()
    facts["foundling"] = False
    facts["parents_married_registered"] = rng.random() < 0.9
    if service in ("kia", "akta_kelahiran"):
        facts["marital_status"] = "belum_kawin"
    if service == "ktp_baru":
        facts["marital_status"] = rng.choice(["belum_kawin", "kawin"])
    return facts


def _target_status(rng: random.Random, age_days: float, pickup: bool) -> str:
    if age_days < 1:
        return rng.choices(["baru", "diperiksa", "berkas_kurang"], [60, 25, 15])[0]
    if age_days < 3:
        return rng.choices(["diperiksa", "berkas_kurang", "diproses", "terbit", "ditolak"], [20, 25, 30, 20, 5])[0]
    done = "selesai" if pickup else rng.choice(["terkirim", "selesai"])
    return rng.choices([done, "terbit", "berkas_kurang", "ditolak"], [80, 7, 8, 5])[0]


class DemoBuilder:
    def __init__(self, office: Office, *, seed: int, today: date):
        self.office = office
        self.rng = random.Random(seed)
        self.today = today
        self.pool: dict[tuple[str, int], tuple[bytes, str]] = {}
        self.attachments = 0

    def staff(self) -> dict[str, Actor]:
        admin = None
        for username, name, role in STAFF:
            self.office.add_user(admin, username=username, full_name=name, role=role, password=DEMO_PASSWORD)
            if admin is None:
                admin = self.office.actor_for("admin")
        return {u: self.office.actor_for(u) for u, _, _ in STAFF}

    def _file_for(self, label: str, holder: str, nik: str, personal: bool) -> tuple[bytes, str]:
        as_pdf = self.rng.random() < 0.2
        if not personal:
            key = (label, int(as_pdf))  # NOTE: photos take ~0.15 s each; older requests share them
            if key not in self.pool:
                self.pool[key] = self._make_file(label, "Contoh Warga", "6311050101800001", as_pdf)
            return self.pool[key]
        return self._make_file(label, holder, nik, as_pdf)

    def _make_file(self, label: str, holder: str, nik: str, as_pdf: bool) -> tuple[bytes, str]:
        title = textwrap.shorten(label.split("(")[0].split(" atau ")[0].upper(), 60, placeholder="")
        if as_pdf:
            name = textwrap.shorten(label.split("(")[0], 40, placeholder="")
            return document_pdf(title, holder=holder, number=nik, dated=self.today), f"{name}.pdf"
        stamp = datetime.now(WITA).strftime("%Y-%m-%d at %H.%M.%S")
        photo = document_photo(title, holder=holder, number=nik, rng=self.rng,
                               orientation=self.rng.choice([1, 1, 1, 6]))
        return photo, f"WhatsApp Image {stamp}.jpeg"

    def _attach_missing(self, desk, req, *, leave_one: bool, personal: bool) -> None:
        sop = self.office.catalog.get(req.service_code)
        report = desk.check(req.id, as_of=self.today)
        second_choice = {c for g in sop.groups for option in g.one_of[1:] for c in option}
        todo = [i for i in report.items if i.state in ("missing", "invalid") and i.kind == "document"
                and not i.optional and i.code not in second_choice]
        if leave_one and todo:
            todo = todo[:-1]
        for item in todo:
            need = next((r.min_files for r in sop.requirements if r.code == item.code), 1)
            for _ in range(need):
                data, name = self._file_for(item.label, req.applicant_name, req.applicant_nik, personal)
                desk.attach_file(req.id, data, name, requirement_code=item.code, origin="whatsapp")
                self.attachments += 1

    def one_request(self, staff: dict[str, Actor], received: datetime, personal: bool) -> str:
        rng = self.rng
        service = rng.choices(list(SERVICE_WEIGHTS), list(SERVICE_WEIGHTS.values()))[0]
        sop = self.office.catalog.get(service)
        channel = rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
        village = rng.choice(villages())
        applicant = random_person(rng, min_age=20, max_age=65, today=self.today)
        lo, hi = _age_range(service)
        subject = random_person(rng, min_age=lo, max_age=hi, today=self.today)
        if service == "akta_kelahiran":
            subject = subject.__class__(subject.name, subject.sex, self.today - timedelta(days=rng.randint(3, 50)),
                                        subject.phone)
        kec_digits = village.kecamatan_code.replace(".", "")
        nik = make_nik(kecamatan_code=kec_digits, birth_date=applicant.birth_date, sex=applicant.sex,
                       serial=rng.randint(1, 9999))
        creator = staff["kios.juai"] if channel == "kiosk" else staff[rng.choice(["sari", "budi", "noor"])]
        desk = self.office.desk(creator)
        req = desk.create_request(NewRequest(
            service_code=service, applicant_name=applicant.name, channel=channel,
            applicant_phone=applicant.phone, applicant_nik=nik, subject_name=subject.name,
            kecamatan_code=village.kecamatan_code, village_code=village.code,
            facts=_facts(rng, service, subject.birth_date, self.today), received_at=received))
        age_days = (datetime.now(UTC) - received).total_seconds() / 86400
        target = _target_status(rng, age_days, sop.ends_in_pickup)
        operator = staff[rng.choice(["sari", "budi", "noor"])]
        desk = self.office.desk(operator)
        if target == "baru":
            if rng.random() < 0.5:
                self._attach_missing(desk, req, leave_one=True, personal=personal)
            return target
        desk.claim(req.id)
        desk.advance(req.id, "diperiksa")
        self._attach_missing(desk, req, leave_one=target in ("berkas_kurang", "diperiksa"), personal=personal)
        if target == "diperiksa":
            return target
        if target == "berkas_kurang":
            desk.advance(req.id, "berkas_kurang")
            return target
        if target == "ditolak":
            desk.reject(req.id, rng.choice(REJECT_REASONS))
            return target
        try:
            desk.advance(req.id, "diproses")
        except UserError:
            desk.advance(req.id, "berkas_kurang")  # facts make it ineligible: ask the resident
            return "berkas_kurang"
        if target == "diproses":
            return target
        if not sop.ends_in_pickup:
            pdf = issued_document_pdf(sop.name, holder=subject.name, nik=nik, number=req.number,
                                      issued_on=received.astimezone(WITA).date())
            desk.attach_file(req.id, pdf, f"{service}-{req.number}.pdf", role="issued", origin="issued")
            self.attachments += 1
        desk.advance(req.id, "terbit")
        if target == "terbit":
            return target
        if not sop.ends_in_pickup:
            desk.advance(req.id, "terkirim")
            if target == "terkirim":
                return target
        desk.advance(req.id, "selesai")
        return "selesai"


def build_demo(office: Office, *, count: int = 300, seed: int = 2020, days: int = 30,
               now: datetime | None = None) -> DemoSummary:
    """Create the demo staff and `count` requests received over the last `days` days, then
    the WhatsApp conversations (`demo.conversations`), which add a few requests of their own."""
    if not office.needs_first_admin():
        raise UserError("Folder data ini sudah berisi kantor; demo hanya dibuat di folder kosong.")
    now = now or datetime.now(UTC)
    builder = DemoBuilder(office, seed=seed, today=now.astimezone(WITA).date())
    staff = builder.staff()
    # Skewed towards recent days, so the open part of the inbox is well filled.
    times = sorted(now - timedelta(seconds=days * 86400 * builder.rng.random() ** 2) for _ in range(count))
    for i, received in enumerate(times):
        builder.one_request(staff, received, personal=i >= count - PERSONALISED)
    _spread_timestamps(office, builder.rng)
    # Complaints first: the conversations' sending run then delivers their notices too.
    supervision = add_supervision(office, seed=seed, staff=staff, now=now, days=days)
    whatsapp = add_conversations(office, seed=seed, now=now, staff=staff)
    desk = office.desk(staff["admin"])
    by_status = {status: n for status, n in desk.status_counts().items() if n}
    return DemoSummary(desk.count(), builder.attachments + whatsapp.files, by_status, whatsapp, supervision)


def _spread_timestamps(office: Office, rng: random.Random) -> None:
    """Closed requests closed some hours after arrival, not all at the moment the demo ran;
    issued ones issued before that (most within the day), some after a wait for the resident."""
    now = datetime.now(UTC)
    with office.db.writing() as session:
        for req in session.query(Request).where(or_(Request.closed_at.is_not(None), Request.issued_at.is_not(None))):
            issued = req.received_at + timedelta(hours=rng.choice([rng.uniform(1, 20)] * 4 + [rng.uniform(20, 60)]))
            waited = int(rng.uniform(3, 30) * 3600) if rng.random() < 0.15 else 0
            values: dict = {}
            if req.issued_at is not None:
                values["issued_at"] = min(issued + timedelta(seconds=waited), now)
                values["incomplete_seconds"] = waited
            if req.closed_at is not None:
                closed = max(values.get("issued_at", req.received_at), req.received_at) + timedelta(
                    hours=rng.uniform(0.5, 20))
                values.update(closed_at=min(closed, now), updated_at=min(closed, now))
            session.execute(update(Request).where(Request.id == req.id).values(**values))
