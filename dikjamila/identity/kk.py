"""Nomor Kartu Keluarga (KK number): 16 digits.

Layout (DOMAIN.md calls it unverified): region code (6: province, regency, kecamatan)
+ registration date DDMMYY + serial (4).

What `parse_kk_number` checks: 16 digits (after removing typed separators), a real
province code, regency and kecamatan not 00, serial not 0000.
What it deliberately does NOT check: the date part. Its meaning is unverified and older
cards are reported to vary, so refusing a KK printed on a real card would block a resident
for nothing.
"""

from __future__ import annotations

import datetime

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.identity.nik import check_region_prefix, check_serial, region_digits, require_digits

KK_LENGTH = 16


def parse_kk_number(text: str) -> str:
    """Check a KK number as typed or pasted and return its 16 clean digits.

    Raises InvalidInput (Bahasa Indonesia) for: empty, non-digits, not 16 digits, unknown
    province, regency/kecamatan 00, serial 0000. The registration-date part is not checked.
    """
    label = tr("Nomor KK")
    digits = require_digits(text, label, KK_LENGTH)
    check_region_prefix(digits, tr("nomor KK"))
    if digits[12:] == "0000":
        raise InvalidInput(tr("Nomor urut di nomor KK (4 angka terakhir) tidak boleh 0000."))
    return digits


def is_valid_kk_number(text: str) -> bool:
    """True when `parse_kk_number` accepts `text`."""
    try:
        parse_kk_number(text)
    except InvalidInput:
        return False
    return True


def make_kk_number(*, kecamatan_code: str, issued: datetime.date, serial: int) -> str:
    """Build a KK number: region (6) + `issued` as DDMMYY + serial (4). For demo data/tests."""
    return f"{region_digits(kecamatan_code)}{issued:%d%m%y}{check_serial(serial)}"
