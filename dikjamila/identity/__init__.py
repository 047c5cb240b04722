"""Identity numbers and places: NIK, KK number, phone numbers, Balangan's villages.

Pure Python (no Qt). Every refusal is an `InvalidInput` whose message is Bahasa Indonesia.
"""

from dikjamila.identity.kk import is_valid_kk_number, make_kk_number, parse_kk_number
from dikjamila.identity.nik import (
    NikInfo,
    clean_digits,
    format_date_id,
    is_valid_nik,
    make_nik,
    normalize_sex,
    parse_nik,
)
from dikjamila.identity.phone import PhoneInfo, is_valid_phone, normalize_phone
from dikjamila.identity.provinces import is_province_code, province_codes, province_name
from dikjamila.identity.wilayah import (
    REGENCY_CODE,
    Kecamatan,
    Village,
    WilayahNotFound,
    kecamatan,
    kecamatan_list,
    regency_name,
    village,
    villages,
)

__all__ = [
    "REGENCY_CODE",
    "Kecamatan",
    "NikInfo",
    "PhoneInfo",
    "Village",
    "WilayahNotFound",
    "clean_digits",
    "format_date_id",
    "is_province_code",
    "is_valid_kk_number",
    "is_valid_nik",
    "is_valid_phone",
    "kecamatan",
    "kecamatan_list",
    "make_kk_number",
    "make_nik",
    "normalize_phone",
    "normalize_sex",
    "parse_kk_number",
    "parse_nik",
    "province_codes",
    "province_name",
    "regency_name",
    "village",
    "villages",
]
