"""Phone numbers as residents type them, normalised to E.164 for WhatsApp.

Uses the `phonenumbers` library with default region ID. Accepted forms include
`0812-3456-7890`, `+62 812-3456-7890`, `62 812 3456 7890`, `6281234567890`,
`(0812) 3456-7890`, and senders from WhatsApp exports wrapped in U+202A..U+202C, with
U+2011 (non-breaking hyphen), NBSP or a `~ ` prefix. Foreign numbers are accepted when
valid; an Indonesian number must be a mobile (WhatsApp runs on HP numbers, not landlines).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

DEFAULT_REGION = "ID"
_ALLOWED = frozenset("0123456789+-.()/ ")
_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


@dataclass(frozen=True)
class PhoneInfo:
    """A checked phone number in the forms the rest of the program needs."""

    e164: str  # "+6281234567890"
    region: str  # "ID", "MY", ...
    is_mobile: bool
    wa_digits: str  # "6281234567890", for wa.me / web.whatsapp.com/send?phone=
    display: str  # "+62 812-3456-7890"


def _prepare(text: str) -> str:
    """Drop invisible marks, unify dashes and spaces, strip a WhatsApp `~` prefix."""
    out = []
    for ch in unicodedata.normalize("NFKC", text or ""):
        category = unicodedata.category(ch)
        if category == "Cf":  # bidi embedding/marks, zero-width chars, BOM
            continue
        if category == "Pd" or ch == "\u2212":
            out.append("-")
        elif ch.isspace():
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out).strip().lstrip("~").strip()


def _candidates(cleaned: str, digits: str) -> list[tuple[str, str | None]]:
    """Ways to read the input, most likely first: (text for phonenumbers, default region)."""
    if cleaned.startswith("+"):
        return [(cleaned, None)]
    if digits.startswith("62"):
        # An Indonesian number written with its country code but without "+"
        # (national mobile numbers start with 8, never with 62).
        return [("+" + digits, None)]
    if digits.startswith("00"):
        return [(cleaned, DEFAULT_REGION), ("+" + digits[2:], None)]
    if digits[0] in "08":
        return [(cleaned, DEFAULT_REGION)]
    # Maybe a foreign number typed without "+" (e.g. 60 12-345 6789).
    return [(cleaned, DEFAULT_REGION), ("+" + digits, None)]


def _possible_lengths(number: phonenumbers.PhoneNumber) -> tuple[int, ...]:
    region = phonenumbers.region_code_for_country_code(number.country_code)
    meta = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
        number.country_code, region
    )
    if meta is None:
        return ()
    desc = meta.mobile if region == DEFAULT_REGION else meta.general_desc
    lengths = tuple(n for n in (desc.possible_length or ()) if n > 0)
    return lengths or tuple(n for n in (meta.general_desc.possible_length or ()) if n > 0)


def _refusal(result: phonenumbers.PhoneNumber | NumberParseException, shown: str) -> InvalidInput:
    """The clearest reason why the most likely reading of the input is not a phone number."""
    if isinstance(result, NumberParseException):
        kind = result.error_type
        if kind == NumberParseException.INVALID_COUNTRY_CODE:
            return InvalidInput(tr("Kode negara pada nomor {number} tidak dikenal.", number=shown))
        if kind in (NumberParseException.TOO_SHORT_NSN, NumberParseException.TOO_SHORT_AFTER_IDD):
            return InvalidInput(tr("Nomor HP {number} terlalu pendek.", number=shown))
        if kind == NumberParseException.TOO_LONG:
            return InvalidInput(
                tr("Nomor HP {number} terlalu panjang; mungkin dua nomor tergabung.", number=shown)
            )
        return InvalidInput(tr("{number} tidak terbaca sebagai nomor HP.", number=shown))
    lengths = _possible_lengths(result)
    size = len(phonenumbers.national_significant_number(result))
    if lengths and size < min(lengths):
        return InvalidInput(tr("Nomor HP {number} terlalu pendek.", number=shown))
    if lengths and size > max(lengths):
        return InvalidInput(
            tr("Nomor HP {number} terlalu panjang; mungkin dua nomor tergabung.", number=shown)
        )
    return InvalidInput(
        tr("Nomor {number} bukan nomor telepon yang berlaku; periksa kembali angkanya.",
           number=shown)
    )


def normalize_phone(text: str) -> PhoneInfo:
    """Check a phone number as typed or pasted and return it in E.164 and display forms.

    Raises InvalidInput (Bahasa Indonesia) when it is empty, holds letters or other signs,
    is too short or too long, is not a valid number, or is an Indonesian non-mobile number
    (landline, toll-free...), which cannot receive WhatsApp messages from the office.
    """
    cleaned = _prepare(text)
    if not cleaned:
        raise InvalidInput(tr("Nomor HP belum diisi."))
    shown = cleaned if len(cleaned) <= 40 else cleaned[:37] + "..."
    bad = [ch for ch in dict.fromkeys(cleaned) if ch not in _ALLOWED]
    if bad:
        chars = ", ".join(f"“{ch}”" for ch in bad[:5])
        raise InvalidInput(
            tr("Nomor HP hanya boleh berisi angka (boleh dengan +, spasi, titik, tanda hubung "
               "atau kurung), tetapi ada {chars}.", chars=chars)
        )
    # "(+62) 812…" is a common way to write the country code: the + may follow a bracket.
    if "+" in cleaned.lstrip("( ")[1:]:
        raise InvalidInput(tr("Tanda + hanya boleh di depan nomor HP."))
    digits = "".join(ch for ch in cleaned if ch.isdigit())
    if not digits:
        raise InvalidInput(tr("Nomor HP {number} tidak berisi angka.", number=shown))

    results = []
    for candidate, region in _candidates(cleaned, digits):
        try:
            results.append(phonenumbers.parse(candidate, region))
        except NumberParseException as exc:
            results.append(exc)
    number = next(
        (r for r in results
         if isinstance(r, phonenumbers.PhoneNumber) and phonenumbers.is_valid_number(r)),
        None,
    )
    if number is None:
        raise _refusal(results[0], shown)

    region_code = phonenumbers.region_code_for_number(number) or ""
    is_mobile = phonenumbers.number_type(number) in _MOBILE_TYPES
    display = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    if number.country_code == 62 and not is_mobile:
        if phonenumbers.number_type(number) == PhoneNumberType.FIXED_LINE:
            raise InvalidInput(
                tr("Nomor {number} adalah telepon rumah/kantor, bukan nomor HP/WhatsApp.",
                   number=display)
            )
        raise InvalidInput(tr("Nomor {number} bukan nomor HP/WhatsApp.", number=display))
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return PhoneInfo(
        e164=e164,
        region=region_code,
        is_mobile=is_mobile,
        wa_digits=e164.lstrip("+"),
        display=display,
    )


def is_valid_phone(text: str) -> bool:
    """True when `normalize_phone` accepts `text`."""
    try:
        normalize_phone(text)
    except InvalidInput:
        return False
    return True
