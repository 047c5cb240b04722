"""The "berkas kurang" WhatsApp text, filled from `resources/templates/berkas_kurang.txt`.

The template uses `string.Template` placeholders (`$name` or `${name}`; write `$$` for a
literal dollar sign). Lines starting with `##` are comments for whoever edits the template
and are dropped. Placeholders:

- `$addressee`      "Bapak/Ibu Budi Santoso", or "Bapak/Ibu" when the name is not known
- `$service_name`   the service's name from its SOP, e.g. "Akta Kelahiran"
- `$request_number` e.g. "BLG-20261127-0042", or "-" when not given
- `$items`          the numbered list of what is still missing or unusable
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from functools import cache

from dikjamila.i18n import tr
from dikjamila.resources import resource_path

TEMPLATE_NAME = "berkas_kurang.txt"
PLACEHOLDERS = frozenset({"addressee", "service_name", "request_number", "items"})


def join_all(parts: Sequence[str]) -> str:
    """Indonesian list of things all needed: "A", "A dan B", "A, B, dan C"."""
    parts = list(parts)
    if len(parts) <= 2:
        return tr(" dan ").join(parts)
    return ", ".join(parts[:-1]) + tr(", dan ") + parts[-1]


def join_alternatives(options: Sequence[str]) -> str:
    """Indonesian list of alternatives: "A, atau B dan C"."""
    return tr(", atau ").join(options)


def parse_template(text: str) -> string.Template:
    """Drop `##` comment lines and check the placeholders; ValueError names a bad one."""
    body = "\n".join(line for line in text.splitlines() if not line.startswith("##"))
    template = string.Template(body.strip("\n"))
    if not template.is_valid():
        raise ValueError(tr("templat pesan memakai '$' yang tidak sah"))
    unknown = set(template.get_identifiers()) - PLACEHOLDERS
    if unknown:
        raise ValueError(tr("templat pesan memakai isian tidak dikenal: {names}",
                            names=", ".join(sorted(unknown))))
    return template


@cache
def load_template() -> string.Template:
    """The bundled template, read once per process."""
    return parse_template(resource_path("templates", TEMPLATE_NAME).read_text("utf-8"))


def render_berkas_kurang(*, service_name: str, entries: Sequence[str], applicant_name: str = "",
                         request_number: str = "",
                         template: string.Template | None = None) -> str:
    """The message asking the resident for `entries`; empty string when there are none."""
    if not entries:
        return ""
    name = " ".join(applicant_name.split())
    addressee = tr("Bapak/Ibu {name}", name=name) if name else tr("Bapak/Ibu")
    items = "\n".join(f"{n}. {entry}" for n, entry in enumerate(entries, 1))
    return (template or load_template()).substitute(
        addressee=addressee,
        service_name=service_name,
        request_number=request_number.strip() or "-",
        items=items,
    )
