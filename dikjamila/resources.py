"""The one place that finds the `resources/` folder (SOPs, templates, wilayah, fonts).

It works from a source checkout (and an editable install), a PyInstaller bundle
(`sys._MEIPASS/resources`) and an override folder named by `DIKJAMILA_RESOURCES`.
"""

import os
import sys
from functools import cache
from pathlib import Path


@cache
def resources_root() -> Path:
    """Return the folder holding the bundled data files."""
    candidates: list[Path] = []
    if env := os.environ.get("DIKJAMILA_RESOURCES"):
        candidates.append(Path(env))
    if bundle := getattr(sys, "_MEIPASS", None):
        candidates.append(Path(bundle) / "resources")
    candidates.append(Path(__file__).resolve().parent.parent / "resources")
    candidates.append(Path(sys.prefix) / "share" / "dikjamila" / "resources")
    for candidate in candidates:
        if (candidate / "sops").is_dir():
            return candidate
    raise FileNotFoundError(
        "resources/ not found; looked in: " + ", ".join(str(c) for c in candidates)
    )


def resource_path(*parts: str) -> Path:
    """Path of a bundled data file, e.g. `resource_path("templates", "berkas_kurang.txt")`."""
    return resources_root().joinpath(*parts)
