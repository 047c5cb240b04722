"""Rows for the report tests: requests, complaints, survey answers and outbox items spread
over October-December 2026, with rows on each edge of November (office time, WITA).

Inserted through the models in one write transaction (the desk has no way to set past
`terbit` times or berkas_kurang waits). Seeded, so a failure repeats.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from dikjamila.db.models import Complaint, OutboxItem, Request, SurveyResponse
from dikjamila.desk.records import CHANNELS
from dikjamila.lifecycle import Status

# November 2026 in WITA (UTC+8), written out by hand: 1 Nov 00:00 WITA .. 1 Dec 00:00 WITA.
NOV_START = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
NOV_END = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
SPAN_START = datetime(2026, 10, 20, tzinfo=UTC)
SPAN_END = datetime(2026, 12, 12, tzinfo=UTC)
EPSILON = timedelta(microseconds=1)
KECAMATAN = [f"63.11.0{i}" for i in range(1, 9)] + ["", "63.11.99"]
ISSUED = (Status.TERBIT, Status.TERKIRIM, Status.SELESAI)


def _when(rng: random.Random) -> datetime:
    return SPAN_START + (SPAN_END - SPAN_START) * rng.random()


def fill(office, *, seed: int = 9, requests: int = 400) -> None:
    """Add the rows to `office` (see the module docstring)."""
    rng = random.Random(seed)
    services = [s.code for s in office.catalog.all()] + [""]
    niks = [f"63110{rng.randrange(10**10, 10**11)}" for _ in range(60)]
    phones = [f"+62812{rng.randrange(10**6, 10**7)}" for _ in range(40)]
    edges = [NOV_START, NOV_START - EPSILON, NOV_END - EPSILON, NOV_END]
    with office.db.writing() as session:
        for i in range(requests):
            received = edges[i] if i < len(edges) else _when(rng)
            status = rng.choice(list(Status))
            issued = waited = None
            if status in ISSUED:
                total = timedelta(hours=rng.uniform(0.2, 120))
                issued = received + total
                if rng.random() < 0.35:
                    waited = int(total.total_seconds() * rng.uniform(0, 0.9))
            if i == 10:  # issued exactly when November ends: December's
                issued, waited = NOV_END, None
            if i == 11:  # issued at the very last instant of November
                issued, waited = NOV_END - EPSILON, 3600
            nik = rng.choice(niks) if rng.random() < 0.7 else ""
            phone = rng.choice(phones) if rng.random() < 0.7 else ""
            session.add(Request(
                number=f"T-{i:05d}", service_code=rng.choice(services), applicant_name=f"Pemohon {i}",
                applicant_nik=nik, applicant_phone=phone, kecamatan_code=rng.choice(KECAMATAN),
                channel=rng.choice(CHANNELS), status=status, received_at=received, updated_at=received,
                due_at=received + timedelta(hours=rng.choice((24, 48, 72, 168))), issued_at=issued,
                incomplete_seconds=waited or 0,
                closed_at=(issued or received) + timedelta(hours=1) if status in (Status.SELESAI, Status.DITOLAK)
                else None))
        # Two requests late by the clock but on time once the wait for the resident is taken off.
        for j, (hours, waited_h) in enumerate(((30, 8), (30, 5))):
            received = NOV_START + timedelta(days=3 + j)
            session.add(Request(
                number=f"W-{j}", service_code="akta_kelahiran", applicant_name="Tunggu", applicant_nik="",
                applicant_phone="", kecamatan_code="63.11.05", channel="whatsapp", status=Status.TERBIT,
                received_at=received, updated_at=received, due_at=received + timedelta(hours=24),
                issued_at=received + timedelta(hours=hours), incomplete_seconds=waited_h * 3600))
        for i in range(50):
            received = edges[i] if i < len(edges) else _when(rng)
            resolved = rng.random() < 0.7
            resolved_at = received + timedelta(hours=rng.uniform(1, 400)) if resolved else None
            if i == 5:
                received, resolved, resolved_at = NOV_START + timedelta(days=1), True, NOV_END
            session.add(Complaint(body=f"Pengaduan {i}", received_at=received, channel="whatsapp",
                                  status="resolved" if resolved else rng.choice(("open", "assigned")),
                                  resolved_at=resolved_at))
        for i in range(80):
            answered = edges[i] if i < len(edges) else _when(rng)
            scores = [rng.choice((2, 3, 3, 4, 4)) for _ in range(9)]
            session.add(SurveyResponse(answered_at=answered, source="operator",
                                       **{f"u{k + 1}": v for k, v in enumerate(scores)}))
        blobs = [f"{n:064x}" for n in range(25)]
        for i in range(120):
            at = edges[i] if i < len(edges) else _when(rng)
            server_time = at if rng.random() < 0.7 else None
            updated = at if server_time is None else at + timedelta(hours=rng.uniform(0, 72))
            session.add(OutboxItem(
                recipient=rng.choice(phones[:15]), template="dokumen_terbit",
                blob_sha256=rng.choice(blobs) if rng.random() < 0.75 else None,
                state=rng.choice(("queued", "sending", "sent", "delivered", "read", "failed", "uncertain",
                                  "handed_over", "cancelled", "sent", "delivered")),
                idempotency_key=f"key-{i}", created_at=at, updated_at=updated, server_time=server_time))
