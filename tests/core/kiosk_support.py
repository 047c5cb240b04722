"""Helpers for the kiosk tests: a kiosk data dir, photos, a filled-in draft."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from PIL import Image

from dikjamila.config import load_settings, office_paths, save_settings
from dikjamila.kiosk.api import KioskDraft
from dikjamila.kiosk.station import KioskStation

PHONE, PHONE_E164, NIK = "0812-3456-7890", "+6281234567890", "6311054506900003"
#: akta_kelahiran, born in a hospital to married parents, applied for by the family itself.
ANSWERS = {"foundling": False, "applicant_is_subject": True}
REQUIRED = ("surat_kelahiran", "bukti_perkawinan_ortu", "kk")


def kiosk_dir(folder: Path, **settings) -> Path:
    """`folder` as a kiosk's data dir (its settings.toml with `kiosk_desa` and `settings`)."""
    paths = office_paths(folder)
    save_settings(paths, replace(load_settings(paths), **{"kiosk_desa": "Lampihong", **settings}))
    return folder


def photo(path: Path, seed: int, *, big: bool = False) -> Path:
    """A JPEG of its own colour (distinct bytes per seed); `big`: a noise PNG over 1 MB (2 chunks)."""
    if big:
        rng = random.Random(seed)
        Image.frombytes("RGB", (700, 700), rng.randbytes(700 * 700 * 3)).save(path.with_suffix(".png"))
        return path.with_suffix(".png")
    Image.new("RGB", (64, 48), (seed % 251, (seed * 7) % 253, (seed * 13) % 255)).save(path, "JPEG")
    return path


def filled_draft(station: KioskStation, folder: Path, seed: int, *, big: bool = False,
                 name: str = "Siti Aminah", phone: str = PHONE) -> KioskDraft:
    """An akta_kelahiran draft with every required document photographed."""
    folder.mkdir(parents=True, exist_ok=True)
    draft = KioskDraft(service_code="akta_kelahiran", answers=dict(ANSWERS), applicant_name=name,
                       applicant_phone=phone, applicant_nik=NIK)
    for n, code in enumerate(REQUIRED):
        station.add_file(draft, code, photo(folder / f"{seed}-{code}.jpg", seed * 3 + n, big=big and n == 0))
    return draft
