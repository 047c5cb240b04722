"""The 38 Indonesian province codes (first two digits of an NIK or KK number).

Data: resources/wilayah/provinces.csv (Kepmendagri codes, 11 Aceh ... 96 Papua Barat Daya).
"""

from __future__ import annotations

import csv
from functools import cache

from dikjamila.resources import resource_path


def read_data_csv(name: str) -> list[dict[str, str]]:
    """Rows of a CSV in resources/wilayah/, skipping `#` comment lines at the top."""
    with resource_path("wilayah", name).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return [
        {key: value.strip() for key, value in row.items()}
        for row in csv.DictReader(lines)
    ]


@cache
def _provinces() -> dict[str, str]:
    return {row["code"]: row["name"] for row in read_data_csv("provinces.csv")}


def province_codes() -> list[str]:
    """All province codes in ascending order ("11" ... "96")."""
    return sorted(_provinces())


def is_province_code(code: str) -> bool:
    """True when `code` is one of the 38 real two-digit province codes."""
    return code in _provinces()


def province_name(code: str) -> str | None:
    """Name of the province with this two-digit code, or None when there is no such province."""
    return _provinces().get(code.strip())
