"""Kiosk numbers, `KIOS-<DESA>-NNNN`: what the resident's receipt carries until the office's own
number reaches them over WhatsApp. Each kiosk counts its own serial (see `local_db.next_serial`)."""

from __future__ import annotations

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

PREFIX = "KIOS-"
MAX_DESA = 20


def desa_code(setting: str) -> str:
    """The `kiosk_desa` setting as it appears in numbers: its letters, uppercased ("Batu Piring"
    → "BATUPIRING"); InvalidInput when it has none."""
    letters = "".join(ch for ch in setting.upper() if "A" <= ch <= "Z")[:MAX_DESA]
    if not letters:
        raise InvalidInput(tr("Pengaturan kiosk_desa belum diisi (nama atau kode desa, huruf saja). "
                              "Isi di settings.toml folder data kios."))
    return letters


def kiosk_number(desa: str, serial: int) -> str:
    return f"{PREFIX}{desa}-{serial:04d}"


def clean_number(text: str) -> str:
    """A number as typed at the status screen: no spaces, uppercased ("kios-lampihong-7" stays as typed)."""
    return "".join(str(text).split()).upper()
