"""The fact vocabulary: what an operator records about a request, and SOP conditions test.

A *fact* is one named value about the request or its subject (the person the document is
for): `subject_age`, `marital_status`, `applicant_is_subject`, ... SOP files may only name
facts listed here (an unknown name is a load error), so the desk can offer a form field for
every fact an SOP can ask about.

Facts are passed to the checker as a plain mapping. A missing key or `None` means "not known
yet". Two facts are derived when not given directly, from a date and the check's `as_of`
date: `subject_age` from `subject_birth_date`, `late_report_days` from `event_date`.

Texts are stored in Bahasa Indonesia and passed through `tr()` where they are shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr


class FactType(StrEnum):
    """The kind of value a fact holds."""

    BOOL = "bool"
    INT = "int"
    DATE = "date"
    ENUM = "enum"


@dataclass(frozen=True)
class Fact:
    """One entry of the vocabulary.

    `values` lists (value, Indonesian label) pairs for enum facts. `true_text`/`false_text`
    are the phrases used when a condition on a yes/no fact is explained ("hanya bila ...").
    `unit` follows numbers in explanations ("5 tahun"). `derived_from` names the date fact a
    derived number is computed from.
    """

    name: str
    type: FactType
    label: str
    values: tuple[tuple[str, str], ...] = ()
    true_text: str = ""
    false_text: str = ""
    unit: str = ""
    derived_from: str | None = None

    @property
    def allowed(self) -> tuple[str, ...]:
        """The allowed values of an enum fact (empty for other types)."""
        return tuple(value for value, _ in self.values)

    def value_label(self, value: object) -> str:
        """Indonesian text for one value of this fact (used in explanations)."""
        if self.type is FactType.ENUM:
            return tr(dict(self.values).get(str(value), str(value)))
        if self.type is FactType.BOOL:
            return tr(self.true_text) if value else tr(self.false_text)
        if self.type is FactType.INT and self.unit:
            return f"{value} {tr(self.unit)}"
        return str(value)


_MARITAL = (
    ("belum_kawin", "belum kawin"),
    ("kawin", "kawin"),
    ("cerai_hidup", "cerai hidup"),
    ("cerai_mati", "cerai mati"),
)

_ALL_FACTS = (
    Fact("subject_birth_date", FactType.DATE, "Tanggal lahir yang bersangkutan"),
    Fact("subject_age", FactType.INT, "Umur yang bersangkutan", unit="tahun",
         derived_from="subject_birth_date"),
    Fact("subject_sex", FactType.ENUM, "Jenis kelamin yang bersangkutan",
         values=(("laki_laki", "laki-laki"), ("perempuan", "perempuan"))),
    Fact("marital_status", FactType.ENUM, "Status perkawinan yang bersangkutan",
         values=_MARITAL),
    Fact("partner_marital_status", FactType.ENUM, "Status perkawinan calon pasangan",
         values=_MARITAL),
    Fact("applicant_is_subject", FactType.BOOL,
         "Pemohon adalah yang bersangkutan sendiri (atau keluarganya dalam satu KK)",
         true_text="pemohon adalah yang bersangkutan atau keluarganya",
         false_text="pemohon bukan yang bersangkutan atau keluarganya"),
    Fact("moved_in_from_other_regency", FactType.BOOL,
         "Pindah datang dari luar Kabupaten Balangan",
         true_text="pindah datang dari luar Kabupaten Balangan",
         false_text="bukan pindah datang dari luar Kabupaten Balangan"),
    Fact("head_of_family_died", FactType.BOOL, "Kepala keluarga meninggal dunia",
         true_text="kepala keluarga meninggal dunia",
         false_text="kepala keluarga tidak meninggal dunia"),
    Fact("split_from_existing_kk", FactType.BOOL, "Pisah dari KK lama (satu alamat)",
         true_text="pisah dari KK lama", false_text="bukan pisah dari KK lama"),
    Fact("foundling", FactType.BOOL, "Anak yang ditemukan (asal-usul tidak diketahui)",
         true_text="anak yang ditemukan", false_text="bukan anak yang ditemukan"),
    Fact("parents_married_registered", FactType.BOOL, "Perkawinan orang tua sudah tercatat",
         true_text="perkawinan orang tua sudah tercatat",
         false_text="perkawinan orang tua belum tercatat"),
    Fact("lodging", FactType.BOOL, "Menumpang di rumah orang lain",
         true_text="menumpang di rumah orang lain",
         false_text="tidak menumpang di rumah orang lain"),
    Fact("replacement_reason", FactType.ENUM, "Alasan penggantian dokumen",
         values=(("hilang", "hilang"), ("rusak", "rusak"), ("perubahan", "perubahan data"))),
    Fact("event_date", FactType.DATE,
         "Tanggal peristiwa (kelahiran, kematian, atau putusan cerai)"),
    Fact("late_report_days", FactType.INT, "Jarak hari dari peristiwa sampai dilaporkan",
         unit="hari", derived_from="event_date"),
)

#: Every fact by name, in the order a form would show them.
FACTS: Mapping[str, Fact] = {fact.name: fact for fact in _ALL_FACTS}


def get_fact(name: str) -> Fact | None:
    """The fact called `name`, or None when the vocabulary has no such fact."""
    return FACTS.get(name)


def _bad(fact: Fact, value: object) -> InvalidInput:
    return InvalidInput(tr("Data '{label}' tidak sah: {value}", label=tr(fact.label),
                           value=repr(value)))


def _coerce(fact: Fact, value: object) -> object:
    """Check one supplied value against its fact's type (dates may be ISO strings)."""
    if fact.type is FactType.BOOL:
        if isinstance(value, bool):
            return value
    elif fact.type is FactType.INT:
        if type(value) is int and value >= 0:
            return value
    elif fact.type is FactType.ENUM:
        if isinstance(value, str) and value in fact.allowed:
            return value
    elif isinstance(value, datetime):
        return value.date()
    elif isinstance(value, date):
        return value
    elif isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _bad(fact, value)


def age_on(birth: date, as_of: date) -> int:
    """Whole years from `birth` to `as_of` (a birthday on 29 February counts from 1 March)."""
    years = as_of.year - birth.year
    return years - ((as_of.month, as_of.day) < (birth.month, birth.day))


def resolve_facts(raw: Mapping[str, object], as_of: date | None = None) -> dict[str, object]:
    """Known facts with their values checked, derived facts filled in; unknown ones are None.

    Keys that are not in the vocabulary are ignored (newer data, other modules' fields).
    `as_of` is the day the age and the report delay are counted to; None means today.
    Raises `InvalidInput` for a value of the wrong type or a date after `as_of`.
    """
    resolved: dict[str, object] = {}
    for name, fact in FACTS.items():
        value = raw.get(name)
        resolved[name] = None if value is None else _coerce(fact, value)
    for fact in FACTS.values():
        if fact.derived_from is None or resolved[fact.name] is not None:
            continue
        source = resolved[fact.derived_from]
        if source is None:
            continue
        day = as_of if as_of is not None else date.today()
        assert isinstance(source, date)
        if source > day:
            raise InvalidInput(tr("{label} ({value}) lebih baru dari tanggal pemeriksaan",
                                  label=tr(FACTS[fact.derived_from].label),
                                  value=source.isoformat()))
        resolved[fact.name] = (
            age_on(source, day) if fact.name == "subject_age" else (day - source).days
        )
    return resolved
