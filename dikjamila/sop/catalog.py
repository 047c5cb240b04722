"""The catalog of services: the bundled SOPs plus the office's own overrides."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from dikjamila.errors import NotFound
from dikjamila.i18n import tr
from dikjamila.resources import resource_path
from dikjamila.sop.loader import load_folder
from dikjamila.sop.model import Sop


class Catalog:
    """Services by code. Read-only once built."""

    def __init__(self, sops: Iterable[Sop]):
        self._by_code: dict[str, Sop] = {sop.code: sop for sop in sops}

    def get(self, code: str) -> Sop:
        """The SOP of service `code`; raises `NotFound` for an unknown code."""
        try:
            return self._by_code[code]
        except KeyError as exc:
            raise NotFound(tr("Layanan '{code}' tidak ada di katalog SOP", code=code)) from exc

    def all(self) -> list[Sop]:
        """Every service, sorted by name (then code), as a picker would list them."""
        return sorted(self._by_code.values(), key=lambda sop: (sop.name.casefold(), sop.code))

    def codes(self) -> list[str]:
        """Every service code, sorted."""
        return sorted(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Sop]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self._by_code)


def load_catalog(override_dir: Path | None = None) -> Catalog:
    """Load `resources/sops/*.toml`, then let `override_dir/*.toml` replace or add services.

    A file in `override_dir` whose code matches a bundled service replaces it entirely; other
    codes are added. A missing `override_dir` is treated as empty. Any invalid file (bundled or
    override) raises `SopError` listing all problems: a catalog is never half-loaded.
    """
    sops = {sop.code: sop for sop in load_folder(resource_path("sops"))}
    if override_dir is not None and Path(override_dir).is_dir():
        sops.update({sop.code: sop for sop in load_folder(Path(override_dir))})
    return Catalog(sops.values())
