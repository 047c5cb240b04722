"""The resident's name, WhatsApp number and NIK as typed on the kiosk's keypad, checked live.

The NIK and phone rules are the office's own (`dikjamila.identity`): what a kiosk accepts, the
desk accepts. Each problem is one Indonesian sentence per field, for the screen to show under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone, parse_nik

MAX_NAME = 200


@dataclass(frozen=True)
class Applicant:
    """Checked and normalised: the name with single spaces, the phone in E.164, the NIK's 16 digits."""

    name: str
    phone: str
    nik: str


def problems(name: str, phone: str, nik: str) -> dict[str, str]:
    """Problems by field ("name", "phone", "nik"); {} when all three are fine."""
    found: dict[str, str] = {}
    if problem := _name_problem(name):
        found["name"] = problem
    for field, check, value in (("phone", normalize_phone, phone), ("nik", parse_nik, nik)):
        try:
            check(value)
        except InvalidInput as exc:
            found[field] = exc.message
    return found


def applicant(name: str, phone: str, nik: str) -> Applicant:
    """The checked applicant; InvalidInput naming every problem otherwise."""
    found = problems(name, phone, nik)
    if found:
        raise InvalidInput(" ".join(found.values()))
    return Applicant(" ".join(name.split()), normalize_phone(phone).e164, parse_nik(nik).nik)


def _name_problem(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if not cleaned:
        return tr("Nama belum diisi.")
    if len(cleaned) > MAX_NAME:
        return tr("Nama terlalu panjang (paling banyak {n} huruf).", n=MAX_NAME)
    if any(ch.isdigit() for ch in cleaned):
        return tr("Nama tidak boleh berisi angka.")
    if not any(ch.isalpha() for ch in cleaned):
        return tr("Nama harus berisi huruf.")
    return ""


def mask_phone(e164: str) -> str:
    """The number as a receipt may show it: country code, operator prefix and last 4 digits
    ("+62 812-xxxx-7890"); the rest hidden."""
    display = normalize_phone(e164).display  # "+62 812-3456-7890"
    shown = len(display.split()[0].lstrip("+")) + 3
    digits = [i for i, ch in enumerate(display) if ch.isdigit()]
    keep = set(digits[:shown]) | set(digits[-4:])
    return "".join("x" if ch.isdigit() and i not in keep else ch for i, ch in enumerate(display))
