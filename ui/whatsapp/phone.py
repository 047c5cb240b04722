"""A stored phone number as people read it."""

from __future__ import annotations

from dikjamila.errors import InvalidInput
from dikjamila.identity import normalize_phone


def phone_display(number: str) -> str:
    """"+6281234567890" → "+62 812-3456-7890"; anything unreadable as it is ("-" when empty)."""
    try:
        return normalize_phone(number).display
    except InvalidInput:
        return number or "-"
