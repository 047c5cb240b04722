"""NIK (Nomor Induk Kependudukan): cleaning, checking and decoding the 16-digit number.

Layout (DOMAIN.md, "Identity numbers and places"):
    PP KK CC DDMMYY SSSS
    province(2) regency(2) kecamatan(2) of first registration,
    birth date DDMMYY (women: day + 40), serial from 0001.
An NIK never changes when a person moves, so any real province code is accepted, not
only Balangan's 6311.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.identity.provinces import is_province_code

NIK_LENGTH = 16

# Characters a person may type or paste between digits. NFKC already turns NBSP, narrow
# NBSP and full-width digits into plain ones; format characters (category "Cf": zero-width
# space/joiners, bidi marks such as U+200E and U+202A..U+202E, BOM, soft hyphen) and dashes
# (category "Pd", e.g. U+2011 non-breaking hyphen) are dropped by category.
_EXTRA_SEPARATORS = frozenset(".\u2212\u00b7\u2027")  # dot, minus sign, middle dots

_MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)


@dataclass(frozen=True)
class NikInfo:
    """What an NIK says about its holder, plus warnings about entered data that disagrees."""

    nik: str  # 16 digits, cleaned
    province_code: str  # "63"
    regency_code: str  # "6311"
    kecamatan_code: str  # "631105"
    birth_date: datetime.date
    sex: str  # "L" or "P"
    serial: str  # "0001"
    warnings: tuple[str, ...] = ()


def clean_digits(text: str) -> str:
    """Remove the separators a person may type or paste: spaces, NBSP, dots, dashes,
    zero-width and bidi marks. Full-width digits become ASCII. Anything else (letters,
    slashes...) is kept so the caller can say what is wrong."""
    out = []
    for ch in unicodedata.normalize("NFKC", text):
        if ch.isspace() or ch in _EXTRA_SEPARATORS:
            continue
        if unicodedata.category(ch) in ("Cf", "Pd"):
            continue
        out.append(ch)
    return "".join(out)


def mask_nik(nik: str) -> str:
    """NIK (or KK number) as it may appear in logs and audit summaries: only the last 4 digits."""
    return ("*" * 12 + nik[-4:]) if nik else ""


def format_date_id(value: datetime.date) -> str:
    """A date the Indonesian way, e.g. "15 Februari 2020"."""
    return f"{value.day} {tr(_MONTHS[value.month - 1])} {value.year}"


def normalize_sex(value: str) -> str:
    """Map what forms and people write for sex to "L" (laki-laki) or "P" (perempuan)."""
    key = value.strip().upper().replace("-", " ").replace(".", "")
    if key in {"L", "LK", "LAKI", "LAKI LAKI", "PRIA", "M", "MALE"}:
        return "L"
    if key in {"P", "PR", "PEREMPUAN", "WANITA", "F", "FEMALE"}:
        return "P"
    raise InvalidInput(tr("Jenis kelamin harus L (laki-laki) atau P (perempuan)."))


def _sex_word(sex: str) -> str:
    return tr("laki-laki") if sex == "L" else tr("perempuan")


def require_digits(text: str, label: str, length: int) -> str:
    """Clean `text` and insist on exactly `length` ASCII digits; `label` names the number."""
    digits = clean_digits(text or "")
    if not digits:
        raise InvalidInput(tr("{label} belum diisi.", label=label))
    bad = [ch for ch in dict.fromkeys(digits) if ch not in "0123456789"]
    if bad:
        shown = ", ".join(f"“{ch}”" for ch in bad[:5])
        raise InvalidInput(
            tr("{label} hanya boleh berisi angka, tetapi ada {chars} di dalamnya.",
               label=label, chars=shown)
        )
    if len(digits) != length:
        raise InvalidInput(
            tr("{label} harus {length} angka, yang diketik {count} angka.",
               label=label, length=length, count=len(digits))
        )
    return digits


def check_region_prefix(digits: str, label: str) -> None:
    """Check the 6-digit region part (province, regency, kecamatan) at the start of `digits`."""
    province = digits[:2]
    if not is_province_code(province):
        raise InvalidInput(
            tr("Kode provinsi {code} di awal {label} tidak dikenal; periksa 2 angka pertama.",
               code=province, label=label)
        )
    if digits[2:4] == "00":
        raise InvalidInput(
            tr("Kode kabupaten/kota di {label} (angka ke-3 dan ke-4) tidak boleh 00.", label=label)
        )
    if digits[4:6] == "00":
        raise InvalidInput(
            tr("Kode kecamatan di {label} (angka ke-5 dan ke-6) tidak boleh 00.", label=label)
        )


def _birth_date(day_raw: int, month: int, yy: int, *, hint: datetime.date | None,
                today: datetime.date) -> tuple[datetime.date, str]:
    """Decode DDMMYY of an NIK into (birth date, sex), choosing the century."""
    if not 1 <= month <= 12:
        raise InvalidInput(
            tr("Bulan lahir di NIK ({month:02d}) tidak ada; harus 01 sampai 12.", month=month)
        )
    if 1 <= day_raw <= 31:
        day, sex = day_raw, "L"
    elif 41 <= day_raw <= 71:
        day, sex = day_raw - 40, "P"
    else:
        raise InvalidInput(
            tr("Tanggal lahir di NIK ({day:02d}) tidak mungkin: laki-laki 01–31, "
               "perempuan 41–71 (tanggal + 40).", day=day_raw)
        )
    # Century: an entered birth date with the same two-digit year settles it; otherwise
    # take 20YY unless that lies after `today`, then 19YY.
    if hint is not None and hint.year % 100 == yy and hint <= today:
        year = hint.year
    elif (2000 + yy, month, day) <= (today.year, today.month, today.day):
        year = 2000 + yy
    else:
        year = 1900 + yy
    try:
        born = datetime.date(year, month, day)
    except ValueError as exc:
        raise InvalidInput(
            tr("Tanggal lahir di NIK tidak ada di kalender: {day} {month} {year}.",
               day=day, month=tr(_MONTHS[month - 1]), year=year)
        ) from exc
    if born > today:
        raise InvalidInput(
            tr("Tanggal lahir di NIK ({date}) masih di masa depan.", date=format_date_id(born))
        )
    return born, sex


def parse_nik(text: str, *, birth_date: datetime.date | None = None, sex: str | None = None,
              today: datetime.date | None = None) -> NikInfo:
    """Check and decode an NIK as typed or pasted (spaces, dots, dashes are ignored).

    Raises InvalidInput (message in Bahasa Indonesia) when the number cannot be a real NIK:
    not 16 digits, letters, unknown province, regency/kecamatan 00, impossible birth date,
    birth date after `today` (default: the current date), serial 0000.
    When `birth_date` or `sex` (L/P) were entered separately and disagree with the NIK, the
    result carries a warning in `.warnings` instead of failing.
    """
    today = today or datetime.date.today()
    digits = require_digits(text, tr("NIK"), NIK_LENGTH)
    check_region_prefix(digits, tr("NIK"))
    born, nik_sex = _birth_date(int(digits[6:8]), int(digits[8:10]), int(digits[10:12]),
                                hint=birth_date, today=today)
    serial = digits[12:]
    if serial == "0000":
        raise InvalidInput(tr("Nomor urut di NIK (4 angka terakhir) tidak boleh 0000."))

    warnings: list[str] = []
    if birth_date is not None and birth_date != born:
        warnings.append(
            tr("Tanggal lahir di NIK ({nik_date}) berbeda dengan tanggal lahir yang diisi "
               "({entered}).", nik_date=format_date_id(born), entered=format_date_id(birth_date))
        )
    if sex is not None and normalize_sex(sex) != nik_sex:
        warnings.append(
            tr("Jenis kelamin di NIK ({nik_sex}) berbeda dengan yang diisi ({entered}).",
               nik_sex=_sex_word(nik_sex), entered=_sex_word(normalize_sex(sex)))
        )
    return NikInfo(
        nik=digits,
        province_code=digits[:2],
        regency_code=digits[:4],
        kecamatan_code=digits[:6],
        birth_date=born,
        sex=nik_sex,
        serial=serial,
        warnings=tuple(warnings),
    )


def is_valid_nik(text: str, *, today: datetime.date | None = None) -> bool:
    """True when `text` is a well-formed NIK (see `parse_nik`)."""
    try:
        parse_nik(text, today=today)
    except InvalidInput:
        return False
    return True


def region_digits(kecamatan_code: str) -> str:
    """Turn a kecamatan code ("63.11.05" or "631105") into 6 checked digits."""
    digits = require_digits(kecamatan_code, tr("Kode kecamatan"), 6)
    check_region_prefix(digits, tr("kode kecamatan"))
    return digits


def check_serial(serial: int) -> str:
    """A serial number 1..9999 as 4 digits."""
    if isinstance(serial, bool) or not isinstance(serial, int) or not 1 <= serial <= 9999:
        raise InvalidInput(tr("Nomor urut harus 1 sampai 9999."))
    return f"{serial:04d}"


def make_nik(*, kecamatan_code: str, birth_date: datetime.date, sex: str, serial: int) -> str:
    """Build the NIK for a person (inverse of `parse_nik`); used for demo data and tests."""
    region = region_digits(kecamatan_code)
    day = birth_date.day + (40 if normalize_sex(sex) == "P" else 0)
    date_part = f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
    return f"{region}{date_part}{check_serial(serial)}"
