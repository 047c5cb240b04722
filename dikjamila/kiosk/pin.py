"""The admin PIN that lets staff leave kiosk mode: digits only, kept as an argon2 hash.

A PIN is short (4-12 digits, typed on the kiosk's own keypad), so the password rules of staff
accounts (`auth.passwords`, 8 characters and up) do not fit; the hash is the same argon2id.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

_hasher = PasswordHasher()
MIN_DIGITS, MAX_DIGITS = 4, 12


def hash_pin(pin: str) -> str:
    if not (pin.isascii() and pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS):
        raise InvalidInput(tr("PIN harus {low}–{high} angka.", low=MIN_DIGITS, high=MAX_DIGITS))
    return _hasher.hash(pin)


def verify_pin(stored_hash: str, pin: str) -> bool:
    if not stored_hash or not pin:
        return False
    try:
        return _hasher.verify(stored_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
