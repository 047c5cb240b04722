"""The demo office's supervision data: complaints and IKM survey answers.

Made through the desk (audit events, outbox notices and checks are real); only their dates are
spread over the demo's weeks afterwards, as a live office would have them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from dikjamila.auth.roles import Actor
from dikjamila.db.models import Complaint, Request, SurveyResponse
from dikjamila.office import Office

COMPLAINTS = [
    ("whatsapp", "Sudah 3 hari belum ada kabar soal akta kelahiran anak saya."),
    ("walk_in", "Petugas loket kurang ramah waktu saya tanya syarat KK."),
    ("phone", "Nomor WhatsApp layanan lama membalas di hari Jumat."),
    ("whatsapp", "PDF KK yang dikirim tidak bisa dibuka di HP saya."),
    ("social", "Mohon jam layanan Sabtu untuk warga yang bekerja."),
    ("whatsapp", "Nama ibu di KIA anak saya salah ketik."),
    ("walk_in", "Antrean di kecamatan panjang, blangko KTP habis."),
    ("kiosk", "Layar kios di desa sering mati."),
]
RESOLUTIONS = {
    "selesai": "Sudah kami perbaiki dan dokumen baru sudah dikirim. Terima kasih atas masukannya.",
    "dijelaskan": "Sudah kami jelaskan jadwal dan prosedurnya kepada Bapak/Ibu; tidak ada perubahan data.",
}
# How residents answer (a plausible spread for the demo, mostly "baik" and "sangat baik").
SCORE_WEIGHTS = [2, 6, 52, 40]


@dataclass(frozen=True)
class SupervisionSummary:
    complaints: int
    resolved: int
    survey_responses: int


def add_supervision(office: Office, *, seed: int, staff: dict[str, Actor], now: datetime,
                    days: int) -> SupervisionSummary:
    rng = random.Random(seed + 9)
    supervisor, operators = staff["hasan"], [staff[u] for u in ("sari", "budi", "noor")]
    with office.db.reading() as session:
        finished = list(session.execute(select(Request.id, Request.closed_at, Request.applicant_phone).where(
            Request.status.in_(["selesai", "terkirim"]))))
        linked = session.scalars(select(Request.id).order_by(Request.id.desc()).limit(40)).all()
    resolved = 0
    for i, (channel, text) in enumerate(COMPLAINTS):
        desk = office.desk(rng.choice(operators))
        request_id = rng.choice(linked) if linked and rng.random() < 0.6 else None
        info = desk.record_complaint(channel=channel, text=text, request_id=request_id,
                                     phone="" if request_id else f"08125{rng.randint(100000, 999999)}",
                                     complainant="" if request_id else "Warga Paringin")
        received = now - timedelta(days=days * rng.random() ** 1.5)
        if i % 4 != 3:  # most are resolved: the office's standard is 91%
            office.desk(supervisor).assign_complaint(info.id, operators[i % 3].id)
            outcome = rng.choice(list(RESOLUTIONS))
            office.desk(supervisor).resolve_complaint(info.id, outcome=outcome, resolution=RESOLUTIONS[outcome])
            resolved += 1
        with office.db.writing() as session:
            session.execute(update(Complaint).where(Complaint.id == info.id).values(
                received_at=received, resolved_at=_resolved_at(session, info.id, received, rng, now)))
    answered = 0
    for request_id, closed_at, _phone in finished:
        if rng.random() > 0.55:
            continue
        scores = rng.choices([1, 2, 3, 4], SCORE_WEIGHTS, k=9)
        office.desk(rng.choice(operators)).record_survey(request_id, scores, source=rng.choice(
            ["whatsapp", "whatsapp", "operator", "kiosk"]))
        at = min((closed_at or now) + timedelta(hours=rng.uniform(1, 30)), now)
        with office.db.writing() as session:
            session.execute(update(SurveyResponse).where(SurveyResponse.request_id == request_id)
                            .values(answered_at=at))
        answered += 1
    return SupervisionSummary(len(COMPLAINTS), resolved, answered)


def _resolved_at(session, complaint_id: int, received: datetime, rng: random.Random, now: datetime):
    resolved = session.scalar(select(Complaint.resolved_at).where(Complaint.id == complaint_id))
    if resolved is None:
        return None
    return min(received + timedelta(hours=rng.uniform(2, 60)), now)
