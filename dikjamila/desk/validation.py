"""Normalise and check the fields of a request before they are stored."""

from __future__ import annotations

from dikjamila.desk.records import CHANNELS
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.identity import kecamatan, normalize_phone, parse_kk_number, parse_nik, village
from dikjamila.sop import resolve_facts

EDITABLE = (
    "service_code", "applicant_name", "applicant_phone", "applicant_nik", "subject_name",
    "subject_nik", "kk_number", "kecamatan_code", "village_code", "facts",
)


def clean_fields(values: dict, *, catalog) -> tuple[dict, list[str]]:
    """Return (normalised values, warnings). Raises InvalidInput naming the bad field."""
    out = dict(values)
    warnings: list[str] = []
    unknown = set(out) - set(EDITABLE) - {"channel"}
    if unknown:
        raise InvalidInput(tr("Kolom tidak dikenal: {names}", names=", ".join(sorted(unknown))))
    if "service_code" in out:
        catalog.get(out["service_code"])  # raises NotFound with a clear message
    for key in ("applicant_name", "subject_name"):
        if key in out:
            out[key] = " ".join(str(out[key]).split())
    if "applicant_name" in out and not out["applicant_name"]:
        raise InvalidInput(tr("Nama pemohon wajib diisi."))
    if out.get("applicant_phone"):
        out["applicant_phone"] = normalize_phone(out["applicant_phone"]).e164
    for key, label in (("applicant_nik", "NIK pemohon"), ("subject_nik", "NIK yang bersangkutan")):
        if out.get(key):
            try:
                info = parse_nik(out[key])
            except InvalidInput as exc:
                raise InvalidInput(f"{label}: {exc.message}") from exc
            out[key] = info.nik
            warnings.extend(f"{label}: {w}" for w in info.warnings)
    if out.get("kk_number"):
        try:
            out["kk_number"] = parse_kk_number(out["kk_number"])
        except InvalidInput as exc:
            raise InvalidInput(tr("Nomor KK: {reason}", reason=exc.message)) from exc
    if out.get("kecamatan_code"):
        kecamatan(out["kecamatan_code"])
    if out.get("village_code"):
        v = village(out["village_code"])
        if out.get("kecamatan_code") and v.kecamatan_code != out["kecamatan_code"]:
            raise InvalidInput(tr("Desa {name} tidak berada di kecamatan yang dipilih.", name=v.name))
        out["kecamatan_code"] = v.kecamatan_code
    if "channel" in out and out["channel"] not in CHANNELS:
        raise InvalidInput(tr("Saluran tidak dikenal: {name}", name=out["channel"]))
    if "facts" in out:
        if not isinstance(out["facts"], dict):
            raise InvalidInput(tr("Data isian permohonan tidak sah."))
        resolve_facts(out["facts"])  # a wrong type or a future date is refused here, not at check time
    return out, warnings
