"""Kecamatan and villages (desa/kelurahan) of Kabupaten Balangan (region code 63.11).

Data: resources/wilayah/balangan.csv, Kepmendagri codes as published in cahyadsn/wilayah.
Codes are dotted ("63.11.05", "63.11.05.2001"); lookups also accept them without dots.
Village codes .1xxx are kelurahan, .2xxx desa.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dikjamila.errors import InvalidInput, NotFound
from dikjamila.i18n import tr
from dikjamila.identity.provinces import province_name, read_data_csv

REGENCY_CODE = "63.11"

__all__ = [
    "REGENCY_CODE",
    "Kecamatan",
    "Village",
    "WilayahNotFound",
    "kecamatan",
    "kecamatan_list",
    "province_name",
    "regency_name",
    "village",
    "villages",
]


class WilayahNotFound(InvalidInput, NotFound):
    """A kecamatan or village code that is not in Kabupaten Balangan.

    Both an InvalidInput (a typed code) and a NotFound (a lookup), so either handler works.
    """


@dataclass(frozen=True)
class Kecamatan:
    """A kecamatan (district) of Balangan."""

    code: str  # "63.11.05"
    name: str  # "Lampihong"

    @property
    def digits(self) -> str:
        """The code without dots ("631105"), as it appears at the start of an NIK."""
        return self.code.replace(".", "")


@dataclass(frozen=True)
class Village:
    """A desa or kelurahan of Balangan."""

    code: str  # "63.11.05.2001"
    name: str
    kind: str  # "desa" | "kelurahan"
    kecamatan_code: str  # "63.11.05"

    @property
    def digits(self) -> str:
        """The code without dots ("6311052001")."""
        return self.code.replace(".", "")


@dataclass(frozen=True)
class _Data:
    regency_name: str
    kecamatan: dict[str, Kecamatan]
    villages: dict[str, Village]


@cache
def _data() -> _Data:
    regency = ""
    kecs: dict[str, Kecamatan] = {}
    vills: dict[str, Village] = {}
    for row in read_data_csv("balangan.csv"):
        code, name = row["code"], row["name"]
        parts = code.split(".")
        if code == REGENCY_CODE:
            regency = name
        elif len(parts) == 3:
            kecs[code] = Kecamatan(code=code, name=name)
        elif len(parts) == 4:
            kind = {"1": "kelurahan", "2": "desa"}[parts[3][0]]
            vills[code] = Village(code=code, name=name, kind=kind,
                                  kecamatan_code=".".join(parts[:3]))
        else:
            raise ValueError(f"unexpected region code in balangan.csv: {code!r}")
    return _Data(
        regency_name=regency,
        kecamatan=dict(sorted(kecs.items())),
        villages=dict(sorted(vills.items())),
    )


def _dotted(code: str, sizes: tuple[int, ...]) -> str | None:
    """Normalise "631105" or " 63.11.05 " to "63.11.05"; None when it has the wrong shape."""
    raw = "".join((code or "").split()).replace(".", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) != sum(sizes):
        return None
    parts, pos = [], 0
    for size in sizes:
        parts.append(raw[pos:pos + size])
        pos += size
    return ".".join(parts)


def regency_name() -> str:
    """"Kabupaten Balangan"."""
    return _data().regency_name


def kecamatan_list() -> list[Kecamatan]:
    """The 8 kecamatan of Balangan, in code order."""
    return list(_data().kecamatan.values())


def kecamatan(code: str) -> Kecamatan:
    """The kecamatan with this code ("63.11.05" or "631105"); raises WilayahNotFound."""
    dotted = _dotted(code, (2, 2, 2))
    found = _data().kecamatan.get(dotted or "")
    if found is None:
        raise WilayahNotFound(
            tr("Kecamatan dengan kode {code} tidak ada di Kabupaten Balangan.", code=code)
        )
    return found


def villages(kecamatan_code: str | None = None) -> list[Village]:
    """All 157 villages in code order, or those of one kecamatan (unknown code: WilayahNotFound)."""
    every = _data().villages.values()
    if kecamatan_code is None:
        return list(every)
    kec = kecamatan(kecamatan_code)
    return [v for v in every if v.kecamatan_code == kec.code]


def village(code: str) -> Village:
    """The desa/kelurahan with this code ("63.11.05.2001" or "6311052001");
    raises WilayahNotFound."""
    dotted = _dotted(code, (2, 2, 2, 4))
    found = _data().villages.get(dotted or "")
    if found is None:
        raise WilayahNotFound(
            tr("Desa/kelurahan dengan kode {code} tidak ada di Kabupaten Balangan.", code=code)
        )
    return found
