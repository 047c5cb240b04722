"""WhatsApp message templates: the texts in `resources/templates/`, which an office may override.

File format (UTF-8; a BOM, as Notepad writes it, is accepted):
- `{name}` is a placeholder; `{{` and `}}` are literal braces;
- lines starting with `##` are notes for whoever edits the file and are not sent;
- blank lines at the start and the end are dropped.

Placeholders (the same names in every template; each template allows some, see `TEMPLATES`):
- `nomor`    the request number, e.g. "BLG-20261127-0042"
- `layanan`  the service's name from its SOP, e.g. "Akta Kelahiran"
- `nama`     the applicant's name as recorded, e.g. "Budi Santoso" (texts write "Bapak/Ibu {nama}")
- `status`   the request's status as the resident should read it, e.g. "Diproses"
- `langkah`  one or two sentences on what happens next or what the resident should do
- `kantor`   the office's name from its settings (optional everywhere; the bundled texts name
             Disdukcapil Kabupaten Balangan as written)
- `kios`     the number a village kiosk gave the resident, e.g. "KIOS-LAMPIHONG-0007" (only in
             `kios_diterima`)

The program's own answers reuse these names: in `konfirmasi_survei` `langkah` is the nine
scores as recorded; in `pengaduan_selesai` `status` is the complaint's outcome and `langkah`
what the office did about it.

Everything is checked when loaded (unknown or missing placeholders, unbalanced braces, empty
file, bad UTF-8), so a broken office override is refused when the office opens, not when a
message is due. Callers pass every placeholder a template allows: an override may use an
optional one the bundled text leaves out. Values a template does not use are ignored.

`berkas_kurang.txt` is not in this registry: `dikjamila.sop.message` builds it from the
checklist, with its own `$name` placeholders.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from dikjamila.config import Paths, Settings
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.resources import resource_path

log = logging.getLogger(__name__)

#: WhatsApp Cloud API limit for a document's caption.
CAPTION_MAX_CHARS = 1024
#: Template files in the same folder that another module loads (not refused as unknown).
OTHER_TEMPLATE_FILES = frozenset({"berkas_kurang.txt"})

# `{{`, `}}`, a placeholder `{...}` on one line, or a brace left alone.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class TemplateSpec:
    """What one template may contain. `label` is the source text of its quick-reply entry."""

    label: str
    required: frozenset[str]
    optional: frozenset[str] = frozenset()
    quick_reply: bool = True  # False: only sent with something else (the PDF's caption)
    max_chars: int | None = None

    @property
    def allowed(self) -> frozenset[str]:
        return self.required | self.optional


def _spec(label: str, required: set[str], optional: set[str] = frozenset(), **kw) -> TemplateSpec:
    return TemplateSpec(label, frozenset(required), frozenset(optional) | {"kantor"}, **kw)


#: name (file name without `.txt`) → what it may contain, in quick-reply menu order.
TEMPLATES: dict[str, TemplateSpec] = {
    "permohonan_diterima": _spec("Permohonan diterima", {"nomor"}, {"layanan", "nama"}),
    "status": _spec("Status permohonan", {"nomor", "layanan", "status", "langkah"}, {"nama"}),
    "siap_diambil": _spec("Kartu siap diambil", {"nomor", "layanan"}, {"nama"}),
    "undangan_survei": _spec("Undangan survei kepuasan", {"nomor"}, {"nama", "layanan"}),
    "cara_menjawab_survei": _spec("Cara menjawab survei", {"nomor"}, {"nama", "layanan"}),
    # Sent by the program itself: the answer to a survey reply read from WhatsApp. `langkah`
    # holds the nine scores as recorded, one "U1 Persyaratan: 4" line each.
    "konfirmasi_survei": _spec("Konfirmasi jawaban survei", {"nomor", "langkah"}, {"nama", "layanan"},
                               quick_reply=False),
    # A complaint's outcome: `status` is the outcome as the resident reads it ("Selesai
    # ditindaklanjuti"), `langkah` what the office did; `nomor` the linked request's number or "".
    "pengaduan_selesai": _spec("Tanggapan pengaduan", {"status", "langkah"}, {"nama", "nomor"},
                               quick_reply=False),
    "di_luar_jam": _spec("Di luar jam layanan", set(), {"nama"}),
    # Sent by the program itself when a kiosk's submission becomes a request: the office's number
    # for the kiosk's, which the resident's receipt carries.
    "kios_diterima": _spec("Permohonan dari kios diterima", {"nomor", "kios"}, {"layanan", "nama"},
                           quick_reply=False),
    # The caption of the issued PDF: sent only with the document, never as a quick reply.
    "dokumen_terbit": _spec("Keterangan dokumen terbit", {"nomor", "layanan", "nama"},
                            quick_reply=False, max_chars=CAPTION_MAX_CHARS),
}


class Part(NamedTuple):
    """Literal text, or (field=True) the name of a placeholder."""

    text: str
    field: bool = False


@dataclass(frozen=True)
class Template:
    """One loaded, checked template."""

    name: str
    source: Path
    parts: tuple[Part, ...]

    @property
    def placeholders(self) -> frozenset[str]:
        return frozenset(p.text for p in self.parts if p.field)


class TemplateSet:
    """Every template of `TEMPLATES`, bundled or overridden, ready to render."""

    def __init__(self, templates: Mapping[str, Template]):
        self._templates = dict(templates)

    def render(self, name: str, /, **values: object) -> str:
        """The message `name` with `values` inserted as plain text (never read as a format string)."""
        template = self._get(name)
        missing = sorted(f for f in template.placeholders if values.get(f) is None)
        if missing:
            raise InvalidInput(tr("Templat pesan {name}: isian {fields} belum diberi nilai.",
                                  name=name, fields=", ".join(missing)))
        text = "".join(str(values[p.text]) if p.field else p.text for p in template.parts)
        limit = TEMPLATES[name].max_chars
        if limit is not None and len(text) > limit:
            raise InvalidInput(tr("Pesan {name} terlalu panjang: {n} karakter, batasnya {limit}.",
                                  name=name, n=len(text), limit=limit))
        return text

    def quick_replies(self) -> list[tuple[str, str]]:
        """(name, label) of the templates an operator may pick in a conversation, in menu order."""
        return [(name, tr(spec.label)) for name, spec in TEMPLATES.items()
                if spec.quick_reply and name in self._templates]

    def placeholders(self, name: str) -> frozenset[str]:
        """The placeholders the loaded text of `name` uses."""
        return self._get(name).placeholders

    def source(self, name: str) -> Path:
        """The file `name` was read from (bundled or the office's override)."""
        return self._get(name).source

    def _get(self, name: str) -> Template:
        if name not in self._templates:
            raise InvalidInput(tr("Templat pesan {name} tidak dikenal.", name=name))
        return self._templates[name]


# -- loading ---------------------------------------------------------------------------------

def office_template_dir(paths: Paths, settings: Settings) -> Path:
    """An office's override folder: the setting `template_override_dir`, else `<data dir>/templates`."""
    return Path(settings.template_override_dir) if settings.template_override_dir else paths.data_dir / "templates"


def load_templates(override_dir: Path | None = None) -> TemplateSet:
    """The bundled templates, each replaced by a file of the same name in `override_dir`.

    A missing `override_dir` counts as empty (as for SOP overrides). Any problem in any file
    raises InvalidInput naming the file: a set is never half-loaded.
    """
    bundled = resource_path("templates")
    sources = {name: bundled / f"{name}.txt" for name in TEMPLATES}
    if override_dir is not None and Path(override_dir).is_dir():
        for path in sorted(Path(override_dir).glob("*.txt")):
            if path.stem in TEMPLATES:
                sources[path.stem] = path
            elif path.name not in OTHER_TEMPLATE_FILES:
                raise InvalidInput(tr("Templat pesan {path} tidak dikenal. Nama berkas yang dikenal: {names}.",
                                      path=path, names=", ".join(f"{n}.txt" for n in TEMPLATES)))
    return TemplateSet({name: read_template(name, path) for name, path in sources.items()})


def read_template(name: str, path: Path) -> Template:
    """Read and check one template file against `TEMPLATES[name]`."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(tr("Templat pesan {path} bukan teks UTF-8 (baris {line}). Simpan ulang berkas itu "
                              "dengan pengodean UTF-8.", path=path,
                              line=exc.object[:exc.start].count(b"\n") + 1)) from exc
    except OSError as exc:
        log.warning("template %s could not be read", path, exc_info=True)
        raise InvalidInput(tr("Templat pesan {path} tidak bisa dibaca.", path=path)) from exc
    return Template(name, path, parse_template(text, TEMPLATES[name], path))


def parse_template(text: str, spec: TemplateSpec, path: Path) -> tuple[Part, ...]:
    """Split `text` into literal parts and placeholders; InvalidInput names `path` and the problem."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if not line.startswith("##")]
    while lines and not lines[0][1].strip():
        lines.pop(0)
    while lines and not lines[-1][1].strip():
        lines.pop()
    if not lines:
        raise InvalidInput(tr("Templat pesan {path} kosong: tidak ada teks yang bisa dikirim.", path=path))
    parts: list[Part] = []
    for index, (number, line) in enumerate(lines):
        if index:
            parts.append(Part("\n"))
        parts.extend(_parse_line(line, number, spec, path))
    used = {p.text for p in parts if p.field}
    if missing := spec.required - used:
        raise InvalidInput(tr("Templat pesan {path}: isian wajib {fields} tidak ada di teks.", path=path,
                              fields=", ".join("{" + f + "}" for f in sorted(missing))))
    fixed = sum(len(p.text) for p in parts if not p.field)
    if spec.max_chars is not None and fixed > spec.max_chars:
        raise InvalidInput(tr("Templat pesan {path} terlalu panjang: {n} karakter, batasnya {limit}.",
                              path=path, n=fixed, limit=spec.max_chars))
    return tuple(_merge(parts))


def _parse_line(line: str, number: int, spec: TemplateSpec, path: Path) -> list[Part]:
    parts: list[Part] = []
    at = 0
    for match in _TOKEN.finditer(line):
        parts.append(Part(line[at:match.start()]))
        at = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append(Part(token[0]))
        elif token in ("{", "}"):
            raise InvalidInput(tr("Templat pesan {path}, baris {line}: tanda {brace} tanpa pasangan. Tulis {double} "
                                  "untuk kurung kurawal biasa.", path=path, line=number, brace=f"'{token}'",
                                  double=token * 2))
        else:
            field = match.group(1).strip()
            if not _NAME.fullmatch(field):
                raise InvalidInput(tr("Templat pesan {path}, baris {line}: isian {field} tidak sah; nama isian "
                                      "hanya huruf, angka, dan garis bawah.", path=path, line=number, field=token))
            if field not in spec.allowed:
                raise InvalidInput(tr("Templat pesan {path}, baris {line}: isian {field} tidak dikenal. Isian yang "
                                      "boleh: {allowed}.", path=path, line=number, field=token,
                                      allowed=", ".join("{" + f + "}" for f in sorted(spec.allowed)) or "-"))
            parts.append(Part(field, field=True))
    parts.append(Part(line[at:]))
    return parts


def _merge(parts: list[Part]) -> list[Part]:
    """Adjacent literal parts joined, empty ones dropped."""
    merged: list[Part] = []
    for part in parts:
        if not part.field and not part.text:
            continue
        if merged and not part.field and not merged[-1].field:
            merged[-1] = Part(merged[-1].text + part.text)
        else:
            merged.append(part)
    return merged
