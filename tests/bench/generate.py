"""Build a large office database for the inbox benchmark.

    python -m tests.bench.generate [--rows 1000000] [--db PATH] [--seed 7]

The schema, indexes, FTS5 table and triggers are the real ones: the data dir is opened once
with `Office.open`, which runs the Alembic migrations. Requests are then bulk-inserted with
raw sqlite3 (executemany, big transactions, no journal, no fsync); the FTS triggers fill
`request_search` exactly as they do for requests made through the desk. The file is built
under a temporary name and renamed when complete, so a half-built file is never reused.

Distribution (seeded, reproducible):
- ids rise with `received_at`, spread over ~3 years up to now, more on weekdays and in
  office hours (WITA), with a gentle growth trend;
- 14 services (the SOP catalog), weighted towards KTP-el, KK and birth certificates;
- 8 kecamatan (63.11.01..08) and their villages; channel mostly WhatsApp;
- statuses by age: the newest month mostly open, older requests mostly `selesai` /
  `terkirim`, with a tail of stale open ones (~2% `baru`, a few % each other open status);
- applicant names from ~200 given names and ~200 family names; "Aminah" is in ~20% of rows
  (the "common word" case of STYLE.md); NIK prefixes follow the kecamatan (so `631105`
  matches ~1/8 of rows); phones are E.164 `+628...` over 17 mobile prefixes;
- numbers `BLG-YYYYMMDD-NNNN` (office day, per-day counter; `number_counters` is filled);
- 5 users (dummy password hash: nobody can log in as them) as assignees.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DIR = REPO / "bench-data"
DB_NAME = "dikjamila.sqlite3"
YEARS = 3
BATCH = 100_000

COMMON_NAME = "Aminah"
COMMON_SHARE = 0.20
# Forms the common name takes in a given-name position; all hold the token "aminah".
COMMON_FORMS = ("Aminah", "Siti Aminah", "Siti Aminah", "Nur Aminah", "Aminah")

GIVEN_NAMES = (
    "Muhammad", "Ahmad", "Akhmad", "Abdul", "Rahmadi", "Rahmat", "Rizky", "Fauzi", "Hadi",
    "Mahdiannor", "Saifullah", "Riduan", "Jumberi", "Syahrani", "Rusdiansyah", "Fahrurrazi",
    "Hairul", "Anwar", "Zainuddin", "Yani", "Husin", "Aliansyah", "Gani", "Ridwan", "Ilham",
    "Arbain", "Norhadi", "Rahmatullah", "Anang", "Yusuf", "Hamdani", "Syarifuddin", "Khairil",
    "Fathurrahman", "Sidik", "Masransyah", "Nurdin", "Supriyadi", "Wahyu", "Budi", "Agus",
    "Arsyad", "Iberahim", "Saberi", "Hidayatullah", "Fadli", "Rizal", "Irwansyah", "Bahrudin",
    "Taufik", "Hendra", "Joko", "Slamet", "Sugeng", "Bambang", "Hasbi", "Mukhlis", "Rusli",
    "Syamsul", "Jailani", "Marzuki", "Kaderi", "Ismail", "Ibrahim", "Ramli", "Salman", "Sulaiman",
    "Zulkifli", "Mansyur", "Abdullah", "Hamid", "Hasanuddin", "Kasim", "Darmawan", "Eko",
    "Fajar", "Gunawan", "Heri", "Imam", "Junaidi", "Kurnia", "Lukman", "Mulyadi", "Nasrullah",
    "Rudi", "Samsudin", "Tarmizi", "Usman", "Wawan", "Yudi", "Zakaria", "Baihaqi", "Fikri",
    "Habibi", "Irfan", "Jamal", "Khairani", "Luthfi", "Mahfuz", "Najib", "Qomaruddin",
    "Siti", "Noor", "Hayati", "Norliani", "Rusmilawati", "Fitriani", "Salasiah", "Mahmudah",
    "Rahmah", "Khadijah", "Nurul", "Hidayah", "Aulia", "Rahmi", "Rabiatul", "Adawiyah", "Masitah",
    "Normila", "Hafsah", "Jamilah", "Maulida", "Aida", "Syarifah", "Rina", "Fatimah", "Kamariah",
    "Raudah", "Nurhasanah", "Laila", "Erna", "Wahyuni", "Dewi", "Yuliana", "Annisa", "Mariani",
    "Rusmini", "Halimah", "Nadia", "Zahra", "Ainun", "Rahmawati", "Normalasari", "Mariam",
    "Khatimah", "Wulan", "Mardiana", "Hasanah", "Jubaidah", "Rukayah", "Saniah", "Mursidah",
    "Nurlaila", "Aisyah", "Zubaidah", "Hamidah", "Rosidah", "Nafisah", "Masrah", "Fauziah",
    "Herlina", "Lina", "Yanti", "Sri", "Endang", "Sumiati", "Suryani", "Lestari", "Ratna",
    "Indah", "Nurjannah", "Hikmah", "Husna", "Zainab", "Maimunah", "Marlina", "Sarah", "Nisa",
    "Risma", "Salma", "Amelia", "Putri", "Ayu", "Intan", "Mawar", "Melati", "Puspita", "Rosita",
    "Selvi", "Tuti", "Umi", "Vina", "Widya", "Yulia", "Zulaikha", "Hajrah", "Nursiah", "Sapiah",
    "Anisah", "Baiti", "Darliana", "Ernawati",
)

FAMILY_NAMES = (
    "Rahman", "Hidayat", "Syahputra", "Fadillah", "Ramadhan", "Hasan", "Effendi", "Saputra",
    "Maulana", "Anshari", "Rahmani", "Hairani", "Aditya", "Nugroho", "Firdaus", "Arifin", "Hakim",
    "Mubarak", "Setiawan", "Pratama", "Kurniawan", "Ilmi", "Ramadhani", "Hidayati", "Safitri",
    "Wulandari", "Handayani", "Maulidya", "Fitria", "Anggraini", "Sari", "Rahmadani", "Amalia",
    "Apriliani", "Nurjanah", "Azizah", "Iskandar", "Santoso", "Wibowo", "Susanto", "Purnomo",
    "Hartono", "Gunadi", "Sutrisno", "Prasetyo", "Wijaya", "Halim", "Lubis", "Nasution",
    "Siregar", "Harahap", "Tanjung", "Sinaga", "Pane", "Hamzah", "Bakri", "Yunus", "Zulkarnain",
    "Munawar", "Salim", "Basri", "Jafar", "Kadir", "Latif", "Mansur", "Nawawi", "Qadri",
    "Rasyid", "Sahid", "Thamrin", "Umar", "Wahid", "Yahya", "Zaini", "Asmuni", "Bahri",
    "Chairani", "Darmansyah", "Fachrudin", "Ghazali", "Hamsyah", "Idris", "Juhri", "Kamal",
    "Lutfi", "Majid", "Noorhadi", "Ompu", "Pahrudin", "Qosim", "Rafiq", "Syukur", "Tajudin",
    "Ubaidillah", "Wardani", "Yusran", "Zamzam", "Abidin", "Busra", "Daud", "Fahmi", "Gazali",
    "Hanafi", "Ilyas", "Jauhari", "Khalid", "Mahyuni", "Naim", "Rafi", "Sahlan", "Tamim",
    "Wahab", "Yamani", "Zuhdi", "Asnawi", "Baderi", "Dahlan", "Ilhami", "Muslim", "Rosyadi",
    "Subhan", "Syahbani", "Usman", "Amrullah", "Badrun", "Fuadi", "Hasbullah", "Jamhari",
    "Kusuma", "Mahmud", "Nasir", "Rachman", "Sofyan", "Tohir", "Zainal", "Alamsyah", "Barkati",
    "Fikriansyah", "Hendrawan", "Irawan", "Juliansyah", "Kartika", "Lestiani", "Mulyani",
    "Novita", "Oktaviani", "Permata", "Rahayu", "Septiani", "Utami", "Widyawati", "Yuliani",
    "Zahrani", "Agustina", "Damayanti", "Febriani", "Herawati", "Indriani", "Juwita",
    "Kurniasih", "Lisnawati", "Marlinda", "Nuraini", "Purwanti", "Rosmini", "Susilawati",
    "Triana", "Wahyuningsih", "Yusnita", "Aryani", "Fatmawati", "Hariyani", "Kustiah",
    "Mahrita", "Noviani", "Rusdiana", "Sulistiawati", "Warsiah", "Arbaiyah", "Hermawati",
    "Jumiati", "Masliani", "Norhayati", "Rusnawati", "Sunarti", "Wardiah", "Zaleha", "Halidah",
    "Riswanti", "Mulkiah", "Rabiah", "Sadiah", "Hafizah",
)

SERVICE_WEIGHTS = {
    "ktp_baru": 14, "ktp_hilang_rusak_perubahan": 10, "kk_baru": 9, "kk_perubahan": 14,
    "kk_hilang_rusak": 5, "akta_kelahiran": 16, "akta_kematian": 6, "akta_perkawinan": 3,
    "akta_perceraian": 1, "kia": 8, "pindah": 6, "datang": 5, "perubahan_nama": 1,
    "pengakuan_pengesahan_anak": 2,
}
SUBJECT_SERVICES = {"akta_kelahiran", "kia", "akta_kematian", "pengakuan_pengesahan_anak"}
CHANNEL_WEIGHTS = {"whatsapp": 70, "walk_in": 15, "kiosk": 10, "import": 5}
KECAMATAN_WEIGHTS = {  # roughly by population
    "63.11.01": 14, "63.11.02": 16, "63.11.03": 9, "63.11.04": 15,
    "63.11.05": 13, "63.11.06": 11, "63.11.07": 12, "63.11.08": 10,
}
# Statuses of the newest ~month (most still open) and of older requests (most closed,
# a tail of stale open ones); overall ~2% baru and a few % of each other open status.
FRESH_DAYS = 30
FRESH_STATUS = {"baru": 22, "diperiksa": 20, "berkas_kurang": 14, "diproses": 16, "terbit": 10,
                "terkirim": 8, "selesai": 8, "ditolak": 2}
OLD_STATUS = {"baru": 1.4, "diperiksa": 2.6, "berkas_kurang": 3.6, "diproses": 2.4, "terbit": 1.8,
              "terkirim": 20, "selesai": 64, "ditolak": 4.2}
CLOSED = {"selesai", "ditolak"}
COMPLETE = {"diproses", "terbit", "terkirim", "selesai"}
REJECT_REASONS = ("Berkas tidak sesuai persyaratan.", "Pemohon tidak melengkapi berkas dalam 14 hari.",
                  "Data NIK tidak ditemukan.", "Permohonan ganda.")
MOBILE_PREFIXES = ("811", "812", "813", "821", "822", "823", "851", "852", "853",
                   "838", "877", "878", "895", "896", "897", "898", "899")
OTHER_REGIONS = ("630101", "630201", "630303", "630405", "630502", "630604", "630707",
                 "630808", "630902", "631001", "637101", "637202")
USERS = (  # (id, username, full name, role)
    (1, "supervisor", "Hj. Rusmilawati", "supervisor"),
    (2, "operator1", "Ahmad Fauzi", "operator"),
    (3, "operator2", "Norliani", "operator"),
    (4, "operator3", "Gusti Rahmat", "operator"),
    (5, "operator4", "Siti Khadijah", "operator"),
)
DUMMY_HASH = "!bench-user-no-login"

_COLUMNS = (
    "id", "uuid", "number", "service_code", "sop_version", "applicant_name", "applicant_phone",
    "applicant_nik", "subject_name", "subject_nik", "facts_json", "kecamatan_code", "village_code",
    "channel", "status", "complete", "assignee_id", "received_at", "updated_at", "due_at",
    "closed_at", "reject_reason", "row_version",
)
INSERT_SQL = (f"INSERT INTO requests ({', '.join(_COLUMNS)}) "
              f"VALUES ({', '.join('?' * len(_COLUMNS))})")


def default_db_path(rows: int) -> Path:
    return DEFAULT_DIR / f"inbox-{rows}" / DB_NAME


def office_args(db_path: Path) -> tuple[Path, str]:
    """(data dir, database URL) for `Office.open` on the benchmark file."""
    return db_path.parent, f"sqlite:///{db_path}"


def existing_rows(db_path: Path) -> int | None:
    """Row count of a finished benchmark database at `db_path`, or None."""
    if not db_path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT count(*) FROM requests").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _ts(dt: datetime) -> str:
    """The text SQLAlchemy stores for a naive-UTC DateTime on SQLite."""
    return f"{dt:%Y-%m-%d %H:%M:%S.%f}"


def _arrivals(rng: random.Random, n: int, end: datetime) -> list[datetime]:
    """`n` sorted arrival instants (aware UTC) over YEARS years before `end`."""
    days = YEARS * 365
    first = end.date() - timedelta(days=days - 1)  # the last day is today
    weights = []
    for i in range(days):
        d = first + timedelta(days=i)
        trend = 0.7 + 0.6 * i / days
        weights.append(trend * (0.25 if d.weekday() >= 5 else 1.0))
    picked = rng.choices(range(days), weights=weights, k=n)
    wita_midnight0 = datetime(first.year, first.month, first.day, tzinfo=UTC) - timedelta(hours=8)
    out = []
    limit = end.timestamp()
    base = wita_midnight0.timestamp()
    for d in picked:
        if rng.random() < 0.8:  # office hours 07:30-16:00 WITA
            sec = rng.uniform(7.5 * 3600, 16 * 3600)
        else:  # WhatsApp messages at any hour
            sec = rng.uniform(0, 86400)
        t = base + d * 86400 + sec
        out.append(min(t, limit - rng.uniform(1, 3600)))
    out.sort()
    return [datetime.fromtimestamp(round(t, 6), UTC) for t in out]


class _People:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def name(self, *, common_ok: bool = True) -> str:
        rng = self.rng
        if common_ok and rng.random() < COMMON_SHARE:
            given = rng.choice(COMMON_FORMS)
        else:
            given = rng.choice(GIVEN_NAMES)
            if rng.random() < 0.3:
                second = rng.choice(GIVEN_NAMES)
                if second != given:
                    given = f"{given} {second}"
        if rng.random() < 0.75:
            return f"{given} {rng.choice(FAMILY_NAMES)}"
        return given

    def nik(self, region: str, born: date, female: bool) -> str:
        day = born.day + (40 if female else 0)
        return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{self.rng.randint(1, 9999):04d}"

    def birth(self, received: date, min_age: int, max_age: int) -> date:
        age_days = self.rng.randint(min_age * 365 + 1, max_age * 365 + 300)
        return received - timedelta(days=age_days)

    def phone(self) -> str:
        rng = self.rng
        rest = rng.randint(7, 9)
        return f"+62{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10 ** rest):0{rest}d}"


def _rows(rng: random.Random, n: int, end: datetime, catalog_hours: dict[str, int],
          villages_by_kec: dict[str, list[str]]):
    """Yield lists of row tuples (BATCH at a time), ids 1..n rising with received_at."""
    people = _People(rng)
    services = list(SERVICE_WEIGHTS)
    service_w = list(SERVICE_WEIGHTS.values())
    kecs = list(KECAMATAN_WEIGHTS)
    kec_w = list(KECAMATAN_WEIGHTS.values())
    channels = list(CHANNEL_WEIGHTS)
    channel_w = list(CHANNEL_WEIGHTS.values())
    statuses = list(OLD_STATUS)
    fresh_w = [FRESH_STATUS[s] for s in statuses]
    old_w = [OLD_STATUS[s] for s in statuses]
    user_ids = [u[0] for u in USERS]
    counters: Counter[str] = Counter()
    fresh_from = end - timedelta(days=FRESH_DAYS)
    arrivals = _arrivals(rng, n, end)
    batch = []
    for i, received in enumerate(arrivals, start=1):
        wita_day = (received + timedelta(hours=8)).strftime("%Y%m%d")
        counters[wita_day] += 1
        number = f"BLG-{wita_day}-{counters[wita_day]:04d}"
        service = rng.choices(services, service_w)[0]
        kec = rng.choices(kecs, kec_w)[0]
        village = rng.choice(villages_by_kec[kec])
        channel = rng.choices(channels, channel_w)[0]
        status = rng.choices(statuses, fresh_w if received >= fresh_from else old_w)[0]
        rdate = received.date()
        female = rng.random() < 0.55
        region = kec.replace(".", "") if rng.random() < 0.95 else rng.choice(OTHER_REGIONS)
        name = people.name()
        nik = people.nik(region, people.birth(rdate, 17, 80), female)
        subject_name = subject_nik = ""
        if service in SUBJECT_SERVICES:
            subject_name = f"{people.name(common_ok=False).split()[0]} {name.split()[-1]}"
            if service == "kia":
                subject_nik = people.nik(region, people.birth(rdate, 0, 16), rng.random() < 0.5)
            elif service == "akta_kematian":
                subject_nik = people.nik(region, people.birth(rdate, 40, 90), rng.random() < 0.5)
        assignee = None if status == "baru" else rng.choice(user_ids)
        # Later events fall between arrival and now: a fraction of the time left, at most ~5 days.
        left = (end - received).total_seconds()
        closed_at = None
        if status in CLOSED:
            updated = received + timedelta(seconds=min(left, 432_000) * rng.uniform(0.05, 1.0))
            closed_at = _ts(updated.replace(tzinfo=None))
        elif status == "baru":
            updated = received
        else:
            updated = received + timedelta(seconds=min(left, 21_600) * rng.uniform(0.1, 1.0))
        due = received + timedelta(hours=catalog_hours[service])
        batch.append((
            i, str(uuid.UUID(int=rng.getrandbits(128), version=4)), number, service,
            None if status == "baru" else 1, name, people.phone(), nik, subject_name, subject_nik,
            "{}", kec, village, channel, status, 1 if status in COMPLETE else 0, assignee,
            _ts(received.replace(tzinfo=None)), _ts(updated.replace(tzinfo=None)),
            _ts(due.replace(tzinfo=None)), closed_at,
            rng.choice(REJECT_REASONS) if status == "ditolak" else "", 1,
        ))
        if len(batch) >= BATCH:
            yield batch, counters
            batch = []
    if batch:
        yield batch, counters


def generate(db_path: Path, rows: int, *, seed: int = 7, quiet: bool = False) -> dict:
    """Build the database at `db_path` (replacing a partial one). Returns figures."""
    from dikjamila.identity import villages
    from dikjamila.office import Office
    from dikjamila.sop import load_catalog

    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    db_path = db_path.resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    partial = db_path.with_name(db_path.name + ".partial")
    for p in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"), Path(f"{partial}-journal")):
        p.unlink(missing_ok=True)
    started = time.perf_counter()

    office = Office.open(db_path.parent, db_url=f"sqlite:///{partial}")  # real migrations
    office.close()

    catalog = load_catalog()
    hours = {code: catalog.get(code).target_hours or 24 for code in catalog.codes()}
    missing = set(SERVICE_WEIGHTS) - set(hours)
    if missing:
        raise SystemExit(f"services not in the SOP catalog: {sorted(missing)}")
    villages_by_kec: dict[str, list[str]] = {}
    for v in villages():
        villages_by_kec.setdefault(v.kecamatan_code, []).append(v.code)

    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    rng = random.Random(seed)
    conn = sqlite3.connect(partial, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -2000000")  # 2 GB: every index stays in memory
        conn.execute("PRAGMA temp_store = MEMORY")
        now = _ts(end.replace(tzinfo=None))
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO users (id, username, full_name, role, password_hash, active, created_at) "
            "VALUES (?, ?, ?, ?, ?, 1, ?)", [(*u, DUMMY_HASH, now) for u in USERS])
        conn.execute("COMMIT")
        counters: Counter[str] = Counter()
        done = 0
        for batch, counters in _rows(rng, rows, end, hours, villages_by_kec):
            conn.execute("BEGIN")
            conn.executemany(INSERT_SQL, batch)
            conn.execute("COMMIT")
            done += len(batch)
            say(f"  {done:>9,} rows  {time.perf_counter() - started:6.1f} s")
        conn.execute("BEGIN")
        conn.executemany("INSERT OR REPLACE INTO number_counters (day, last) VALUES (?, ?)",
                         sorted(counters.items()))
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")  # the app's mode (persistent in the file)
    finally:
        conn.close()
    os.replace(partial, db_path)
    seconds = time.perf_counter() - started
    size = db_path.stat().st_size
    say(f"generated {rows:,} requests in {seconds:.1f} s; {db_path} is {size / 1e6:.0f} MB")
    return {"seconds": seconds, "bytes": size, "reused": False}


def ensure(db_path: Path | None, rows: int, *, seed: int = 7, quiet: bool = False) -> tuple[Path, dict]:
    """The benchmark database with `rows` requests, generated unless already there."""
    db_path = (db_path or default_db_path(rows)).resolve()
    have = existing_rows(db_path)
    if have == rows:
        size = db_path.stat().st_size
        if not quiet:
            print(f"reusing {db_path} ({have:,} requests, {size / 1e6:.0f} MB)", flush=True)
        return db_path, {"seconds": None, "bytes": size, "reused": True}
    if have is not None:
        print(f"{db_path} holds {have:,} requests, not {rows:,}: regenerating", flush=True)
        for p in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
            p.unlink(missing_ok=True)
    return db_path, generate(db_path, rows, seed=seed, quiet=quiet)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None,
                        help=f"SQLite file (default: bench-data/inbox-ROWS/{DB_NAME})")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--force", action="store_true", help="regenerate even if the file exists")
    args = parser.parse_args(argv)
    db_path = (args.db or default_db_path(args.rows)).resolve()
    if args.force:
        for p in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
            p.unlink(missing_ok=True)
    ensure(db_path, args.rows, seed=args.seed)


if __name__ == "__main__":
    main()
