"""Request statuses and the moves allowed between them.

baru -> diperiksa -> berkas_kurang <-> diperiksa -> diproses -> terbit -> terkirim -> selesai;
any open status -> ditolak. Card services (KTP-el, KIA) end in pickup: terbit -> selesai.
Guards that need data (complete checklist, issued PDF) are checked by the desk.
"""

from __future__ import annotations

from enum import StrEnum

from dikjamila.i18n import tr


class Status(StrEnum):
    BARU = "baru"
    DIPERIKSA = "diperiksa"
    BERKAS_KURANG = "berkas_kurang"
    DIPROSES = "diproses"
    TERBIT = "terbit"
    TERKIRIM = "terkirim"
    SELESAI = "selesai"
    DITOLAK = "ditolak"


LABELS = {
    Status.BARU: "Baru",
    Status.DIPERIKSA: "Diperiksa",
    Status.BERKAS_KURANG: "Berkas kurang",
    Status.DIPROSES: "Diproses",
    Status.TERBIT: "Terbit",
    Status.TERKIRIM: "Terkirim",
    Status.SELESAI: "Selesai",
    Status.DITOLAK: "Ditolak",
}

CLOSED = frozenset({Status.SELESAI, Status.DITOLAK})
OPEN = frozenset(Status) - CLOSED

_NEXT: dict[Status, frozenset[Status]] = {
    Status.BARU: frozenset({Status.DIPERIKSA}),
    Status.DIPERIKSA: frozenset({Status.BERKAS_KURANG, Status.DIPROSES}),
    Status.BERKAS_KURANG: frozenset({Status.DIPERIKSA}),
    Status.DIPROSES: frozenset({Status.TERBIT}),
    Status.TERBIT: frozenset({Status.TERKIRIM, Status.SELESAI}),
    Status.TERKIRIM: frozenset({Status.SELESAI}),
    Status.SELESAI: frozenset(),
    Status.DITOLAK: frozenset(),
}


def label(status: str) -> str:
    return tr(LABELS[Status(status)])


def next_statuses(status: str, *, ends_in_pickup: bool) -> list[Status]:
    """Statuses reachable in one step (not counting `ditolak`, which has its own action)."""
    options = set(_NEXT[Status(status)])
    if Status(status) == Status.TERBIT:
        # A card is picked up at the office; a PDF must be sent before the request closes.
        options = {Status.SELESAI} if ends_in_pickup else {Status.TERKIRIM}
    return sorted(options, key=list(Status).index)


def can_move(current: str, target: str, *, ends_in_pickup: bool) -> bool:
    return Status(target) in next_statuses(current, ends_in_pickup=ends_in_pickup)
