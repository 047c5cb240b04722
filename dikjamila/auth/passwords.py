"""Password hashing with argon2id (argon2-cffi defaults)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

_hasher = PasswordHasher()
MIN_LENGTH = 8


def hash_password(password: str) -> str:
    """Hash a new password; refuses ones too short to be worth having."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(tr("Kata sandi minimal {n} karakter.", n=MIN_LENGTH))
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
