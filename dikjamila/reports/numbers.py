"""Numbers as an Indonesian reader expects them: 30.000, 12,5 jam, 87,3%."""

from __future__ import annotations


def id_int(value: int) -> str:
    """30000 -> "30.000"."""
    return f"{value:,}".replace(",", ".")


def id_decimal(value: float | None, places: int = 1) -> str:
    """12.25 -> "12,3" (places=1); None -> "-"."""
    if value is None:
        return "-"
    text = f"{value:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def id_percent(share: float | None, places: int = 1) -> str:
    """0.873 -> "87,3%"; None -> "-"."""
    return "-" if share is None else f"{id_decimal(share * 100, places)}%"


def id_hours(hours: float | None) -> str:
    """A duration in hours for a table: "5,2 jam"; a long one also in days ("50,0 jam (2,1 hari)")."""
    if hours is None:
        return "-"
    if hours >= 48:
        return f"{id_decimal(hours)} jam ({id_decimal(hours / 24)} hari)"
    return f"{id_decimal(hours)} jam"
