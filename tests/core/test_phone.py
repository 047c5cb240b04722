"""Phone number normalisation (dikjamila.identity.phone)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dikjamila.errors import InvalidInput
from dikjamila.identity import PhoneInfo, is_valid_phone, normalize_phone


def refusal(text: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        normalize_phone(text)
    return caught.value.message


@pytest.mark.parametrize("typed", [
    "081234567890",
    "0812-3456-7890",
    "0812 3456 7890",
    "0812.3456.7890",
    "(0812) 3456-7890",
    "+6281234567890",
    "+62 812-3456-7890",
    "+62 812 3456 7890",
    "+62 (0)812-3456-7890",
    "(+62) 812 3456 7890",  # country code in brackets
    "+62 0812 3456 7890",  # the 0 kept after the country code
    "62 812 3456 7890",
    "6281234567890",
    "81234567890",
    "0062 812 3456 7890",
    "\u202a+62 812\u20113456\u20117890\u202c",  # WhatsApp export sender
    "~ +62 812-3456-7890",
    "+62\u00a0812\u00a03456\u00a07890",
    "\u200e+62 812-3456-7890\u200f",
    "\ufeff0812-3456-7890",
    "  0812–3456—7890  ",  # en/em dashes from word processors
    "０８１２３４５６７８９０",  # full-width digits
])
def test_typed_forms_all_normalise_to_the_same_number(typed):
    assert normalize_phone(typed) == PhoneInfo(
        e164="+6281234567890",
        region="ID",
        is_mobile=True,
        wa_digits="6281234567890",
        display="+62 812-3456-7890",
    )


def test_shorter_indonesian_mobile():
    info = normalize_phone("0852 5123 456")
    assert info.e164 == "+628525123456"
    assert info.wa_digits == "628525123456"


@pytest.mark.parametrize("typed", ["62812345678", "628123456789", "62852512345"])
def test_leading_62_without_plus_is_the_country_code(typed):
    # Read as national numbers these would be landlines in area 0628 / mobiles with a
    # doubled 62; a resident who starts with 62 means the country code.
    assert normalize_phone(typed).e164 == "+" + typed


@pytest.mark.parametrize("typed, e164, region", [
    ("+60 12-345 6789", "+60123456789", "MY"),
    ("60 12-345 6789", "+60123456789", "MY"),
    ("+65 9123 4567", "+6591234567", "SG"),
    ("+966 50 123 4567", "+966501234567", "SA"),
    ("+852 5123 4567", "+85251234567", "HK"),
])
def test_foreign_numbers_are_accepted(typed, e164, region):
    info = normalize_phone(typed)
    assert (info.e164, info.region, info.wa_digits) == (e164, region, e164[1:])
    assert info.is_mobile
    assert info.display.startswith("+" + e164[1:3])


def test_foreign_landline_is_accepted_but_marked():
    info = normalize_phone("+44 20 7946 0958")
    assert info.region == "GB" and not info.is_mobile


@pytest.mark.parametrize("typed", ["021-5551234", "(0511) 3300123", "+62 527 61234",
                                   "62 21 5551234"])
def test_indonesian_landline_is_refused(typed):
    assert "bukan nomor HP/WhatsApp" in refusal(typed)


def test_indonesian_toll_free_is_refused():
    assert "bukan nomor HP/WhatsApp" in refusal("0800 1234 567")


def test_empty_is_refused():
    assert "belum diisi" in refusal("")
    assert "belum diisi" in refusal(" \u202a\u202c ")
    assert "belum diisi" in refusal("~ ")


@pytest.mark.parametrize("typed, bad", [
    ("abc", "“a”"), ("0812-FLOWERS", "“F”"), ("0812 3456 7890 ext 5", "“e”"), ("0812#345", "“#”"),
])
def test_letters_and_signs_are_refused_and_named(typed, bad):
    message = refusal(typed)
    assert "hanya boleh berisi angka" in message and bad in message


@pytest.mark.parametrize("typed", ["0812", "08 12 34", "+62 812", "62812"])
def test_too_short(typed):
    assert "terlalu pendek" in refusal(typed)


@pytest.mark.parametrize("typed", ["081234567890123", "0812 3456 7890 / 0813 1234 5678",
                                   "+62 812 3456 7890 1234"])
def test_too_long(typed):
    assert "terlalu panjang" in refusal(typed)


def test_misplaced_plus():
    assert "Tanda + hanya boleh di depan" in refusal("0812+34567890")
    assert "Tanda + hanya boleh di depan" in refusal("++62 812 3456 7890")


def test_very_long_digit_run_is_too_long_and_shown_shortened():
    message = refusal("0812" + "3" * 300)
    assert "terlalu panjang" in message and "..." in message and len(message) < 200


def test_unknown_country_code():
    assert "Kode negara" in refusal("+999 1234 5678")


def test_only_punctuation():
    assert "tidak berisi angka" in refusal("( - )")


def test_is_valid_phone():
    assert is_valid_phone("0812-3456-7890")
    assert not is_valid_phone("021-5551234")
    assert not is_valid_phone("halo")


# --- properties ----------------------------------------------------------------------------

# Indonesian mobile numbers: national significant number 8[1-35-9] followed by 7..10 digits.
mobile_nsn = st.builds(
    lambda second, rest: "8" + second + rest,
    st.sampled_from("1235689"),
    st.text(alphabet="0123456789", min_size=7, max_size=10),
)


def spaced(digits: str, sizes: list[int], sep: str) -> str:
    out, pos = [], 0
    for size in sizes:
        if pos >= len(digits):
            break
        out.append(digits[pos:pos + size])
        pos += size
    if pos < len(digits):
        out.append(digits[pos:])
    return sep.join(out)


@given(
    mobile_nsn,
    st.sampled_from(["0", "+62", "62", "+62 ", "62 ", "+62 (0)", "(0", "\u202a+62 "]),
    st.sampled_from([" ", "-", ".", "\u2011", "\u00a0", ""]),
    st.lists(st.integers(1, 5), min_size=1, max_size=5),
)
def test_any_indonesian_mobile_round_trips_in_any_format(nsn, prefix, sep, sizes):
    body = spaced(nsn, sizes, sep)
    if prefix == "(0":  # "(0812) 3456 7890"
        typed = f"(0{nsn[:3]}) {spaced(nsn[3:], sizes, sep)}"
    else:
        typed = prefix + body + ("\u202c" if prefix.startswith("\u202a") else "")
    info = normalize_phone(typed)
    assert info.e164 == "+62" + nsn
    assert info.wa_digits == "62" + nsn
    assert info.region == "ID" and info.is_mobile
    # The display form is itself accepted and gives the same number.
    assert normalize_phone(info.display).e164 == info.e164


@given(st.text(max_size=40))
def test_arbitrary_text_only_ever_raises_invalid_input(text):
    try:
        info = normalize_phone(text)
    except InvalidInput as exc:
        assert exc.message
        return
    assert info.e164.startswith("+") and info.e164[1:] == info.wa_digits
    assert info.wa_digits.isdigit()
    assert info.region != "ID" or info.is_mobile
