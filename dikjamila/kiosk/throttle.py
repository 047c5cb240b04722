"""Slowing down repeated wrong status checks: at most 5 wrong tries per kiosk in 10 minutes.

Guessing the last 4 digits of someone's phone takes up to 10,000 tries; at 5 per 10 minutes
that is weeks per number, while a resident who mistypes twice is never held up. The same rule
runs in the office's database function (migration 0012) and here, for SQLite offices and for a
kiosk's own undelivered numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=10)
MAX_WRONG = 5


def wait_seconds(wrong_at: Iterable[datetime], now: datetime) -> int:
    """Seconds until another try is answered (0: now): once 5 wrong tries fall within the last
    10 minutes, until the oldest of those 5 is 10 minutes old."""
    recent = sorted((at for at in wrong_at if at > now - WINDOW), reverse=True)
    if len(recent) < MAX_WRONG:
        return 0
    return max(1, math.ceil((recent[MAX_WRONG - 1] + WINDOW - now).total_seconds()))
