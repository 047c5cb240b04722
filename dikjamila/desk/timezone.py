"""Office time: Balangan is in WITA (UTC+8, no daylight saving)."""

from datetime import UTC, date, datetime, time, timedelta, timezone

WITA = timezone(timedelta(hours=8), "WITA")


def local_day_start(day: date) -> datetime:
    """The UTC instant at which `day` begins in Balangan."""
    return datetime.combine(day, time.min, tzinfo=WITA).astimezone(UTC)


def as_instant(value: date | datetime, *, end_of_day: bool = False) -> datetime:
    """A date means a whole office day; a naive datetime is taken as office time."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=WITA)
    start = local_day_start(value)
    return start + timedelta(days=1) if end_of_day else start
