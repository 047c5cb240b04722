"""Reading and validating SOP files (`resources/sops/<code>.toml`).

Every problem found is reported, not only the first, as "<file>: <key>: <what is wrong>" in
Bahasa Indonesia. Keys inside lists are numbered from 1 in file order: `requirements[3]` is
the third `[[requirements]]` block. The file format is described in `dikjamila.sop`.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path

from dikjamila.i18n import tr
from dikjamila.sop.condition import Condition, ConditionError, parse_condition
from dikjamila.sop.model import (
    FILE_KINDS, RESULTS, Eligibility, Requirement, RequirementGroup, Sop, SopError,
)

_CODE = re.compile(r"[a-z][a-z0-9_]*\Z")
_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_TOP_KEYS = ("code", "name", "version", "legal_basis", "target_hours", "forms",
             "ends_in_pickup", "result", "power_of_attorney", "note", "requirements",
             "groups", "eligibility")
_REQUIREMENT_KEYS = ("code", "label", "kinds", "min_files", "optional", "when", "note")
_GROUP_KEYS = ("code", "label", "one_of", "when", "note")
_ELIGIBILITY_KEYS = ("code", "label", "rule", "note")
_TYPE_NAMES = {"str": "teks", "int": "bilangan bulat", "bool": "true atau false",
               "strs": "daftar teks", "tables": "daftar tabel [[...]]"}
#: The requirement added to every SOP unless the file says `power_of_attorney = false`.
POWER_OF_ATTORNEY = "surat_kuasa"
_POA_WHEN = "applicant_is_subject == false"


class _Reader:
    """Collects errors for one file while reading its tables."""

    def __init__(self, file_name: str):
        self.file = file_name
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{self.file}: {where}: {message}")

    def keys(self, table: dict, allowed: tuple[str, ...], prefix: str) -> None:
        """Report keys that are not in `allowed` (typos), suggesting the closest one."""
        for key in table:
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = tr(" (maksudnya '{key}'?)", key=close[0]) if close else ""
            self.error(f"{prefix}{key}", tr("kunci tidak dikenal") + hint)

    def get(self, table: dict, key: str, kind: str, prefix: str = "",
            default: object = None, required: bool = False) -> object:
        """The value at `key` if it has the right type; else report and return `default`."""
        where = f"{prefix}{key}"
        if key not in table:
            if required:
                self.error(where, tr("wajib diisi"))
            return default
        value = table[key]
        ok = {
            "str": lambda v: isinstance(v, str),
            "int": lambda v: type(v) is int,
            "bool": lambda v: isinstance(v, bool),
            "strs": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
            "tables": lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
        }[kind](value)
        if not ok:
            self.error(where, tr("harus berupa {type}", type=tr(_TYPE_NAMES[kind])))
            return default
        if kind == "str" and not value.strip():
            self.error(where, tr("tidak boleh kosong"))
            return default
        return value

    def code(self, table: dict, prefix: str) -> str:
        value = self.get(table, "code", "str", prefix, default="", required=True)
        if value and not _CODE.match(value):
            self.error(f"{prefix}code", tr("kode '{code}' hanya boleh huruf kecil, angka dan "
                                           "garis bawah, diawali huruf", code=value))
        return value

    def condition(self, table: dict, key: str, prefix: str,
                  required: bool = False) -> Condition | None:
        text = self.get(table, key, "str", prefix, required=required)
        if text is None:
            return None
        try:
            return parse_condition(text)
        except ConditionError as exc:
            self.error(f"{prefix}{key}", exc.message)
            return None


def _requirement(reader: _Reader, table: dict, prefix: str) -> Requirement:
    reader.keys(table, _REQUIREMENT_KEYS, prefix)
    kinds = reader.get(table, "kinds", "strs", prefix, default=list(FILE_KINDS))
    for kind in kinds:
        if kind not in FILE_KINDS:
            reader.error(f"{prefix}kinds", tr("jenis berkas '{kind}' tidak dikenal (pilihan: "
                                              "{choices})", kind=kind,
                                              choices=", ".join(FILE_KINDS)))
    if not kinds:
        reader.error(f"{prefix}kinds", tr("tidak boleh kosong"))
    min_files = reader.get(table, "min_files", "int", prefix, default=1)
    if min_files < 1:
        reader.error(f"{prefix}min_files", tr("harus 1 atau lebih"))
    return Requirement(
        code=reader.code(table, prefix),
        label=reader.get(table, "label", "str", prefix, default="", required=True),
        kinds=tuple(dict.fromkeys(kinds)),
        min_files=min_files,
        optional=reader.get(table, "optional", "bool", prefix, default=False),
        when=reader.condition(table, "when", prefix),
        note=reader.get(table, "note", "str", prefix),
    )


def _group(reader: _Reader, table: dict, prefix: str, known: set[str]) -> RequirementGroup:
    reader.keys(table, _GROUP_KEYS, prefix)
    raw = table.get("one_of")
    options: list[tuple[str, ...]] = []
    if "one_of" not in table:
        reader.error(f"{prefix}one_of", tr("wajib diisi"))
    elif not (isinstance(raw, list) and all(
            isinstance(o, list) and all(isinstance(c, str) for c in o) for o in raw)):
        reader.error(f"{prefix}one_of", tr("harus berupa daftar pilihan, mis. "
                                           "[[\"a\"], [\"b\", \"c\"]]"))
    else:
        if len(raw) < 2:
            reader.error(f"{prefix}one_of", tr("perlu paling sedikit 2 pilihan"))
        for i, option in enumerate(raw, 1):
            if not option:
                reader.error(f"{prefix}one_of[{i}]", tr("pilihan tidak boleh kosong"))
            for j, code in enumerate(option, 1):
                if code not in known:
                    reader.error(f"{prefix}one_of[{i}][{j}]",
                                 tr("persyaratan '{code}' tidak ada", code=code))
            options.append(tuple(option))
    return RequirementGroup(
        code=reader.code(table, prefix),
        label=reader.get(table, "label", "str", prefix, default="", required=True),
        one_of=tuple(options),
        when=reader.condition(table, "when", prefix),
        note=reader.get(table, "note", "str", prefix),
    )


def _eligibility(reader: _Reader, table: dict, prefix: str) -> Eligibility | None:
    reader.keys(table, _ELIGIBILITY_KEYS, prefix)
    code = reader.code(table, prefix)
    label = reader.get(table, "label", "str", prefix, default="", required=True)
    rule = reader.condition(table, "rule", prefix, required=True)
    note = reader.get(table, "note", "str", prefix)
    return Eligibility(code, label, rule, note) if rule is not None else None


def _cross_checks(reader: _Reader, requirements: list[Requirement],
                  groups: list[RequirementGroup], eligibility: list[Eligibility]) -> None:
    """Duplicate codes, requirements in two groups, optional requirements in a group."""
    seen: dict[str, str] = {}
    tables = (("requirements", requirements), ("groups", groups), ("eligibility", eligibility))
    for name, items in tables:
        for i, item in enumerate(items, 1):
            if item.code and item.code in seen:
                reader.error(f"{name}[{i}].code", tr("kode '{code}' sudah dipakai di {other}",
                                                    code=item.code, other=seen[item.code]))
            seen.setdefault(item.code, f"{name}[{i}]")
    owner: dict[str, str] = {}
    by_code = {r.code: r for r in requirements}
    for i, group in enumerate(groups, 1):
        for code in dict.fromkeys(c for option in group.one_of for c in option):
            if code in owner and owner[code] != group.code:
                reader.error(f"groups[{i}].one_of", tr("persyaratan '{code}' sudah ada di grup "
                                                      "'{other}'", code=code,
                                                      other=owner[code]))
            owner.setdefault(code, group.code)
            if code in by_code and by_code[code].optional:
                reader.error(f"groups[{i}].one_of", tr("persyaratan '{code}' opsional tidak "
                                                      "boleh menjadi pilihan grup", code=code))


def _power_of_attorney() -> Requirement:
    return Requirement(
        code=POWER_OF_ATTORNEY,
        label=tr("Surat kuasa dari yang bersangkutan kepada pemohon"),
        when=parse_condition(_POA_WHEN),
    )


def _parse(data: dict, path: Path, reader: _Reader) -> Sop:
    reader.keys(data, _TOP_KEYS, "")
    code = reader.code(data, "")
    if code and code != path.stem:
        reader.error("code", tr("'{code}' harus sama dengan nama file '{stem}'",
                                code=code, stem=path.stem))
    version = reader.get(data, "version", "int", default=1, required=True)
    if version < 1:
        reader.error("version", tr("harus bilangan bulat positif"))
    # 0 = not set in the file: the office's `default_target_hours` setting applies.
    target_hours = reader.get(data, "target_hours", "int", default=0)
    if target_hours < 1 and "target_hours" in data:
        reader.error("target_hours", tr("harus bilangan bulat positif"))
    result = reader.get(data, "result", "str", default="pdf")
    if result not in RESULTS:
        reader.error("result", tr("harus salah satu dari: {choices}", choices=", ".join(RESULTS)))
    pickup = reader.get(data, "ends_in_pickup", "bool", default=result == "card")
    if result == "card" and not pickup:
        reader.error("ends_in_pickup", tr("hasil berupa kartu harus diambil (true)"))

    requirements = [
        _requirement(reader, table, f"requirements[{i}].")
        for i, table in enumerate(reader.get(data, "requirements", "tables", default=[],
                                             required=True), 1)
    ]
    if "requirements" in data and not requirements:
        reader.error("requirements", tr("perlu paling sedikit satu persyaratan"))
    if reader.get(data, "power_of_attorney", "bool", default=True) and not any(
            r.code == POWER_OF_ATTORNEY for r in requirements):
        requirements.append(_power_of_attorney())
    known = {r.code for r in requirements}
    groups = [_group(reader, table, f"groups[{i}].", known)
              for i, table in enumerate(reader.get(data, "groups", "tables", default=[]), 1)]
    eligibility = [_eligibility(reader, table, f"eligibility[{i}].")
                   for i, table in enumerate(reader.get(data, "eligibility", "tables",
                                                        default=[]), 1)]
    eligibility = [e for e in eligibility if e is not None]
    _cross_checks(reader, requirements, groups, eligibility)
    return Sop(
        code=code,
        name=reader.get(data, "name", "str", default="", required=True),
        version=version,
        legal_basis=tuple(reader.get(data, "legal_basis", "strs", default=[])),
        target_hours=target_hours,
        forms=tuple(reader.get(data, "forms", "strs", default=[])),
        ends_in_pickup=pickup,
        result=result,
        requirements=tuple(requirements),
        groups=tuple(groups),
        source=path,
        eligibility=tuple(eligibility),
        note=reader.get(data, "note", "str"),
    )


def _read(path: Path) -> tuple[Sop | None, list[str]]:
    """Load one file; returns the SOP (None on any error) and the error lines."""
    reader = _Reader(path.name)
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except OSError as exc:
        return None, [f"{path.name}: " + tr("file tidak dapat dibaca ({why})",
                                            why=exc.strerror or exc)]
    except UnicodeDecodeError:
        return None, [f"{path.name}: " + tr("file harus berupa teks UTF-8")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        where = _TOML_POS.search(detail)
        place = tr("baris {line}, kolom {col}", line=where[1], col=where[2]) if where else "?"
        return None, [f"{path.name}: {place}: " + tr("TOML tidak sah ({detail})",
                                                     detail=_TOML_POS.sub("", detail))]
    sop = _parse(data, path, reader)
    return (None if reader.errors else sop), reader.errors


def load_sop(path: Path) -> Sop:
    """Load and validate one SOP file; raises `SopError` listing every problem."""
    sop, errors = _read(Path(path))
    if errors or sop is None:
        raise SopError(errors)
    return sop


def load_folder(folder: Path) -> list[Sop]:
    """Load every `*.toml` in `folder` (sorted by name); `SopError` lists all problems."""
    sops, errors = [], []
    for path in sorted(Path(folder).glob("*.toml")):
        sop, problems = _read(path)
        errors.extend(problems)
        if sop is not None:
            sops.append(sop)
    if errors:
        raise SopError(errors)
    return sops


def validate_path(path: Path) -> list[str]:
    """Errors in one SOP file or in every `*.toml` of a folder; an empty list means valid.

    Backs `dikjamila sop validate [PATH]`.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.toml"))
        if not files:
            return [f"{path}: " + tr("tidak ada file .toml")]
        return [error for file in files for error in _read(file)[1]]
    if not path.exists():
        return [f"{path}: " + tr("tidak ditemukan")]
    return _read(path)[1]
