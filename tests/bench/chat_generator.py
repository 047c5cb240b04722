"""Generated intake data for `bench_intake`: WhatsApp chat exports and live incoming events.

    python -m tests.bench.chat_generator [--out DIR] [--photos 2000]   # writes (or reuses) the files

What it writes (seeded, reproducible; Indonesian Android export format, as
tests/chat_export_support.py: "01/12/26 10.00 - Name: text", a file as "IMG-....jpg (file
terlampir)" with its caption on the next line, the office's side "Disdukcapil Balangan"):

- `long_chat`: one chat between the office and one resident over about two years. It is
  made of episodes of 3-15 messages (the resident writes a few lines and sends, or says the
  photos were left out, the office answers, the resident follows up), minutes apart inside an
  episode, hours or days between episodes (never under 40 minutes, so each episode is its own
  submission for the 30-minute conversation window). Exported "tanpa media": a photo is
  "<Media tidak disertakan>". A few messages are multi-line, a few were deleted.
- `batch_chats`: the same kind of chat with many residents, one export each (about 800
  messages over 3-9 months each), as an office imports them one after another. Half the
  residents are saved contacts (a name), half appear as their number.
- `photo_zip`: a .zip export of one chat in which the resident sends `photos` photos
  (1600x1200 JPEG at quality 85: a document page with text lines over a light background, with
  noise so it does not compress to nothing: about 580 KB, 8 ms to decode with Pillow here),
  2-8 per episode, half with a caption. Generating 2,000 takes about half a minute on two
  cores, so the zip (1.2 GB) is cached under `bench-data/intake/` (git-ignored) and reused.
- `live_events`: `incoming` events as the WhatsApp worker emits them
  (tests/whatsapp_support.py `incoming_event`), from `senders` different numbers over one
  office morning: each sender writes a burst of 1-5 messages seconds to minutes apart, some
  come back later; events are in arrival order.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.bench.generate import DEFAULT_DIR, FAMILY_NAMES, GIVEN_NAMES, MOBILE_PREFIXES

OFFICE = "Disdukcapil Balangan"
DATA_DIR = DEFAULT_DIR / "intake"
PHOTO_SIZE = (1600, 1200)
PHOTO_QUALITY = 85
MIN_EPISODE_GAP = timedelta(minutes=40)  # > the 30-minute conversation window
WITA_OFFSET = timedelta(hours=8)

# -- what people write ---------------------------------------------------------------------
OPENINGS = (
    "Assalamualaikum, mau tanya syarat buat akta kelahiran anak saya",
    "Selamat pagi pak, KK saya hilang. Bagaimana cara mengurus yang baru?",
    "Pak, KTP saya rusak, patah jadi dua. Mau cetak ulang",
    "Mau buat KIA untuk anak saya umur 5 tahun, syaratnya apa saja?",
    "Assalamualaikum, mohon info untuk mengurus akta kematian bapak saya",
    "Permisi, saya mau pindah domisili dari Banjarmasin ke Paringin",
    "Selamat siang, mau ubah status perkawinan di KK, sudah menikah bulan lalu",
    "Pak mau tanya, anak saya sudah 17 tahun, rekam KTP di mana ya?",
    "Assalamualaikum, mau tambah anggota keluarga di KK, anak baru lahir",
    "Pagi bu, nama ibu saya di KK salah tulis, mau dibetulkan",
    "Mau mengurus surat pindah keluar ke Kabupaten Tabalong",
    "Izin bertanya, untuk akta kelahiran yang terlambat bagaimana prosedurnya?",
)
FOLLOW_UPS = (
    "ini KK nya pak", "ini KTP saya", "surat keterangan lahir dari bidan", "buku nikah orang tua",
    "ok pak", "baik terima kasih", "sudah saya kirim ya pak", "kapan bisa diambil?",
    "Pak, sudah jadi belum?", "maaf baru balas pak", "iya betul", "siap pak",
    "alamat saya di Desa Batu Piring RT 03", "nomor HP ini saja pak yang dihubungi",
    "terima kasih banyak pak 🙏", "👍", "yang kemarin sudah bisa diambil kah?",
    "fotonya kurang jelas ya pak? saya foto ulang", "besok saya ke kantor jam 9",
    "apakah bisa diwakilkan suami?", "oh begitu, baik pak",
)
CAPTIONS = ("ini KK nya", "KTP suami", "KTP istri", "surat keterangan lahir", "buku nikah",
            "akta kelahiran lama", "surat kehilangan dari polsek", "surat pengantar desa", "")
OFFICE_REPLIES = (
    "Waalaikumsalam. Silakan kirim foto KK dan KTP orang tua.",
    "Baik, berkas sudah kami terima.\nMohon ditunggu, akan kami periksa.",
    "Mohon maaf, foto KK kurang jelas. Mohon difoto ulang di tempat yang terang.",
    "Syaratnya:\n1. KK asli\n2. KTP-el orang tua\n3. Surat keterangan lahir dari bidan/rumah sakit",
    "Dokumen sudah jadi, bisa diambil di kantor Disdukcapil Balangan hari kerja jam 08.00-15.00.",
    "Baik Pak/Bu, permohonan sedang kami proses.",
    "Untuk KTP hilang, mohon lampirkan surat kehilangan dari kepolisian.",
    "Terima kasih, sama-sama.",
    "Mohon kirim juga NIK yang bersangkutan.",
    "Berkas sudah lengkap, estimasi selesai 3 hari kerja.",
)
DELETED = "Pesan ini dihapus"
OMITTED = "<Media tidak disertakan>"


@dataclass(frozen=True)
class Line:
    at: datetime  # office time (WITA), naive, minute precision
    sender: str
    text: str  # may hold "\n"; a file: "NAME (file terlampir)" + "\n" + caption


def render(lines: list[Line]) -> str:
    notice = ("Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini yang dapat "
              "membaca atau mendengarkannya.")
    out = [f"{lines[0].at:%d/%m/%y %H.%M} - {notice}\n"] if lines else []
    out += [f"{x.at:%d/%m/%y %H.%M} - {x.sender}: {x.text}\n" for x in lines]
    return "".join(out)


def _nik(rng: random.Random) -> str:
    return f"631105{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}{rng.randint(1, 9999):04d}"


def phone_number(rng: random.Random) -> str:
    """E.164 Indonesian mobile number."""
    return f"+62{rng.choice(MOBILE_PREFIXES)}{rng.randint(1000000, 99999999):08d}"


def as_written(e164: str) -> str:
    """How an export writes a contact saved by number only: "+62 812-3456-7890"."""
    rest = e164[3:]
    return f"+62 {rest[:3]}-{rest[3:7]}-{rest[7:]}"


def person(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"


class PhotoNames:
    """WhatsApp's names for received photos: IMG-YYYYMMDD-WA0000.jpg, counted per day."""

    def __init__(self):
        self.per_day: dict[str, int] = {}
        self.names: list[str] = []

    def next(self, at: datetime) -> str:
        day = at.strftime("%Y%m%d")
        n = self.per_day.get(day, 0)
        self.per_day[day] = n + 1
        name = f"IMG-{day}-WA{n:04d}.jpg"
        self.names.append(name)
        return name


def _episode(rng: random.Random, start: datetime, resident: str, size: int,
             photos: PhotoNames | None, photo_count: int = 0) -> list[Line]:
    """One exchange of `size` messages from `start`: the resident writes (and sends photos,
    or, in an export without media, "<Media tidak disertakan>"), the office answers, the
    resident follows up. With `photos`, `photo_count` files are sent (captions on half)."""
    lines: list[Line] = []
    at = start
    resident_turn = True
    left_photos = photo_count
    while len(lines) < size:
        if resident_turn:
            run = min(size - len(lines), rng.randint(1, 5) + (left_photos if photos else 0))
            for k in range(run):
                at += timedelta(seconds=rng.randint(5, 150))
                if photos is not None and left_photos and (k > 0 or lines):
                    caption = rng.choice(CAPTIONS) if rng.random() < 0.5 else ""
                    text = f"{photos.next(at)} (file terlampir)" + (f"\n{caption}" if caption else "")
                    left_photos -= 1
                elif not lines and k == 0:
                    text = rng.choice(OPENINGS)
                elif photos is None and rng.random() < 0.12:
                    text = OMITTED
                elif rng.random() < 0.005:
                    text = DELETED
                elif rng.random() < 0.04:
                    text = f"NIK saya {_nik(rng)}\nnama {resident}"
                else:
                    text = rng.choice(FOLLOW_UPS)
                lines.append(Line(at.replace(second=0), resident, text))
        else:
            at += timedelta(minutes=rng.randint(1, 20))
            for _ in range(min(size - len(lines), rng.randint(1, 3))):
                at += timedelta(seconds=rng.randint(10, 90))
                lines.append(Line(at.replace(second=0), OFFICE, rng.choice(OFFICE_REPLIES)))
        resident_turn = not resident_turn
    # A photo quota not met because the episode was short: send the rest at the end.
    while photos is not None and left_photos:
        at += timedelta(seconds=rng.randint(5, 60))
        lines.append(Line(at.replace(second=0), resident, f"{photos.next(at)} (file terlampir)"))
        left_photos -= 1
    return lines


def _chat(rng: random.Random, resident: str, messages: int, start: datetime, span: timedelta,
          photos: PhotoNames | None = None, photo_total: int = 0) -> list[Line]:
    """Episodes of 3-15 messages until `messages` (or, with photos, until `photo_total`
    photos are placed), their gaps scaled so the chat spans about `span`."""
    sizes: list[int] = []
    per_episode: list[int] = []
    total = 0
    placed = 0
    while (placed < photo_total) if photos is not None else (total < messages):
        size = rng.randint(3, 15)
        if photos is None:
            size = min(size, messages - total)
            if messages - total - size < 3 and messages - total - size > 0:
                size = messages - total  # no tail shorter than an episode
            count = 0
        else:
            count = min(rng.randint(2, 8), photo_total - placed)
            size = max(size, count + 2)
        sizes.append(size)
        per_episode.append(count)
        total += size
        placed += count
    # Gaps between episodes: mostly hours, some a day or more; scaled to the span, never
    # shorter than MIN_EPISODE_GAP.
    raw = []
    for _ in sizes[1:]:
        pick = rng.random()
        hours = (rng.uniform(0.7, 3) if pick < 0.6 else rng.uniform(3, 10) if pick < 0.9
                 else rng.uniform(10, 36) if pick < 0.98 else rng.uniform(36, 96))
        raw.append(hours)
    busy = timedelta(minutes=25) * len(sizes)
    scale = max(0.0, (span - busy) / timedelta(hours=1)) / max(sum(raw), 1e-9)
    lines: list[Line] = []
    at = start
    for index, (size, count) in enumerate(zip(sizes, per_episode, strict=True)):
        if index:
            at = max(lines[-1].at + MIN_EPISODE_GAP, at + timedelta(hours=raw[index - 1] * scale))
        lines += _episode(rng, at, resident, size, photos, count)
    return lines


def long_chat(messages: int = 40_000, *, seed: int = 7) -> tuple[str, str, list[Line]]:
    """(file name, export text, lines): one resident, about two years, without media."""
    rng = random.Random(seed)
    resident = "Siti Rahmawati"
    lines = _chat(rng, resident, messages, datetime(2025, 1, 6, 8, 0), timedelta(days=730))
    return f"Chat WhatsApp dengan {resident}.txt", render(lines), lines


def batch_chats(chats: int = 50, messages: int = 800, *, seed: int = 11) -> list[tuple[str, str, list[Line]]]:
    """`chats` exports of `messages` each, one resident each (half saved by name, half a number)."""
    rng = random.Random(seed)
    out = []
    used: set[str] = set()
    for index in range(chats):
        resident = person(rng) if index % 2 == 0 else as_written(phone_number(rng))
        while resident in used:
            resident = person(rng)
        used.add(resident)
        start = datetime(2025, 1, 6, 8, 0) + timedelta(days=rng.randint(0, 450), minutes=rng.randint(0, 600))
        lines = _chat(rng, resident, messages, start, timedelta(days=rng.randint(90, 270)))
        out.append((f"Chat WhatsApp dengan {resident}.txt", render(lines), lines))
    return out


def photo_chat(photos: int = 2000, *, seed: int = 13) -> tuple[str, str, list[Line], list[str]]:
    """(chat entry name, export text, lines, photo names in order) of the photo zip."""
    rng = random.Random(seed)
    resident = "Rudi Hartono"
    names = PhotoNames()
    lines = _chat(rng, resident, 0, datetime(2025, 3, 3, 8, 0), timedelta(days=730), names, photos)
    return f"Chat WhatsApp dengan {resident}.txt", render(lines), lines, names.names


# -- photos --------------------------------------------------------------------------------
class PhotoMaker:
    """1600x1200 JPEGs of a document page: unique content per index, noise like a phone photo."""

    def __init__(self, size: tuple[int, int] = PHOTO_SIZE):
        from PIL import Image
        self.size = size
        self.noise = [Image.effect_noise(size, sigma) for sigma in (8.0, 10.0, 12.0)]

    def __call__(self, index: int) -> bytes:
        from PIL import Image, ImageChops, ImageDraw
        rng = random.Random(index * 7919 + 1)
        w, h = self.size
        base = Image.new("RGB", self.size, (rng.randint(190, 235), rng.randint(190, 235), rng.randint(175, 225)))
        draw = ImageDraw.Draw(base)
        left, top = rng.randint(30, 140), rng.randint(30, 140)
        draw.rectangle([left, top, w - rng.randint(30, 140), h - rng.randint(30, 140)], fill=(rng.randint(232, 250),) * 3)
        y = top + 90
        while y < h - 170:
            x = left + 60
            while x < w - 230:
                length = rng.randint(30, 150)
                draw.rectangle([x, y, x + length, y + rng.randint(10, 15)], fill=(rng.randint(25, 90),) * 3)
                x += length + rng.randint(10, 28)
            y += rng.randint(26, 42)
        draw.text((left + 60, top + 40), f"KARTU KELUARGA No. 6311{index:012d}", fill=(0, 0, 0))
        noise = ImageChops.offset(self.noise[index % len(self.noise)], rng.randint(0, w), rng.randint(0, h))
        photo = ImageChops.add(base, Image.merge("RGB", (noise, noise, noise)), scale=1.0, offset=-128)
        out = io.BytesIO()
        photo.save(out, "JPEG", quality=PHOTO_QUALITY)
        return out.getvalue()


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def photo_zip(photos: int = 2000, *, folder: Path = DATA_DIR, seed: int = 13, quiet: bool = False) -> Path:
    """The cached photo export (written on first use, under a temporary name until complete)."""
    path = folder / f"photos-{photos}-q{PHOTO_QUALITY}-s{seed}.zip"
    if path.is_file():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    chat_name, text, _lines, names = photo_chat(photos, seed=seed)
    partial = path.with_suffix(".partial")
    maker = PhotoMaker()
    t0 = time.perf_counter()
    if not quiet:
        print(f"generating {photos:,} photos into {path} (cached afterwards)…", flush=True)
    with zipfile.ZipFile(partial, "w") as archive, ThreadPoolExecutor(max_workers=_cores()) as pool:
        archive.writestr(zipfile.ZipInfo(chat_name, (2026, 12, 1, 10, 0, 0)), text.encode("utf-8"),
                         compress_type=zipfile.ZIP_DEFLATED)
        # Pillow releases the GIL while it encodes: threads use every core.
        for done, (name, data) in enumerate(zip(names, pool.map(maker, range(len(names))), strict=True), start=1):
            archive.writestr(zipfile.ZipInfo(name, (2026, 12, 1, 10, 0, 0)), data, compress_type=zipfile.ZIP_STORED)
            if not quiet and done % 250 == 0:
                print(f"  {done:,}/{photos:,} ({time.perf_counter() - t0:.0f} s)", flush=True)
    os.replace(partial, path)
    if not quiet:
        print(f"  done in {time.perf_counter() - t0:.0f} s, {path.stat().st_size / 1e6:.0f} MB", flush=True)
    return path


def write_text_exports(folder: Path, *, long_messages: int, chats: int, chat_messages: int) -> tuple[Path, list[Path]]:
    """The long chat and the batch as .txt exports in `folder` (cheap; rewritten each run)."""
    folder.mkdir(parents=True, exist_ok=True)
    name, text, _lines = long_chat(long_messages)
    long_path = folder / "long" / name
    long_path.parent.mkdir(exist_ok=True)
    long_path.write_text(text, encoding="utf-8")
    batch = []
    for index, (name, text, _lines) in enumerate(batch_chats(chats, chat_messages)):
        path = folder / "batch" / f"{index:03d}" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        batch.append(path)
    return long_path, batch


# -- live events ---------------------------------------------------------------------------
def live_events(count: int = 1000, senders: int = 300, *, seed: int = 17,
                start: datetime = datetime(2026, 12, 1, 0, 0, tzinfo=UTC),
                photo_files: list[Path] | None = None, photo_share: float = 0.0) -> list[dict]:
    """`count` incoming events from `senders` numbers over one morning (08.00-12.00 WITA from
    `start`'s day, given in UTC), in arrival order. Each sender first writes a burst of 1-5
    messages (a quarter write one); the rest are later bursts of senders coming back.
    With `photo_files`, about `photo_share` of the messages carry one of them."""
    rng = random.Random(seed)
    phones: list[str] = []
    seen: set[str] = set()
    while len(phones) < senders:
        number = phone_number(rng)
        if number not in seen:
            seen.add(number)
            phones.append(number)
    names = {p: person(rng).split()[0] if rng.random() < 0.8 else "" for p in phones}
    bursts: list[tuple[str, int]] = []  # (phone, size)
    total = 0
    for phone in phones:
        size = 1 if rng.random() < 0.25 else rng.randint(2, 5)
        bursts.append((phone, size))
        total += size
    while total > count:  # trim the first bursts to the wanted count
        phone, size = bursts.pop()
        total -= size
    while total < count:
        size = min(rng.randint(1, 5), count - total)
        bursts.append((rng.choice(phones), size))
        total += size
    morning = start.replace(hour=0, minute=0, second=0, microsecond=0)  # 08.00 WITA
    window = 4 * 3600
    timed: list[tuple[float, str, int, int]] = []  # (seconds, phone, burst, position)
    first_of: dict[str, float] = {}
    for number, (phone, size) in enumerate(bursts):
        begin = rng.uniform(0, window * 0.8)
        if phone in first_of:  # coming back: after their first burst
            begin = first_of[phone] + rng.uniform(600, window * 0.5)
        else:
            first_of[phone] = begin
        t = begin
        for position in range(size):
            timed.append((t, phone, number, position))
            t += rng.uniform(3, 120)
    timed.sort()
    events = []
    for index, (seconds, phone, burst, position) in enumerate(timed):
        text = rng.choice(OPENINGS) if position == 0 else rng.choice(FOLLOW_UPS)
        file = None
        if photo_files and rng.random() < photo_share:
            file = photo_files[index % len(photo_files)]
            text = rng.choice(CAPTIONS)
        at = morning + timedelta(seconds=seconds)
        events.append({
            "event": "incoming", "message_id": f"3EB0{rng.getrandbits(64):016X}{index:04X}", "chat": phone,
            "sender": phone, "sender_lid": "", "push_name": names[phone], "at": at.isoformat(), "text": text,
            "quoted_id": "",
            "file": ({"path": str(file), "name": file.name, "mime": "image/jpeg", "size": file.stat().st_size,
                      "kind": "image"} if file else None),
            "file_error": ""})
    return events


def photos_on_disk(zip_path: Path, folder: Path, count: int) -> list[Path]:
    """`count` photos of the zip written as files (what the worker downloads before an event)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    with zipfile.ZipFile(zip_path) as archive:
        for info in [i for i in archive.infolist() if i.filename.endswith(".jpg")][:count]:
            path = folder / info.filename
            if not path.is_file():
                path.write_bytes(archive.read(info))
            out.append(path)
    return out


def iter_zip_photos(zip_path: Path) -> Iterator[bytes]:
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            if info.filename.endswith(".jpg"):
                yield archive.read(info)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    parser.add_argument("--photos", type=int, default=2000)
    args = parser.parse_args(argv)
    long_path, batch = write_text_exports(args.out, long_messages=40_000, chats=50, chat_messages=800)
    print(long_path, f"{long_path.stat().st_size / 1e6:.1f} MB;", len(batch), "batch exports")
    print(photo_zip(args.photos, folder=args.out))


if __name__ == "__main__":
    main()
