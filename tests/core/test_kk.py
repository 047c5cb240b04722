"""KK number checking and building (dikjamila.identity.kk)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dikjamila.errors import InvalidInput
from dikjamila.identity import is_valid_kk_number, make_kk_number, parse_kk_number, province_codes


def refusal(text: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse_kk_number(text)
    return caught.value.message


def test_valid_kk_is_returned_clean():
    assert parse_kk_number("6311 0515 0220 0042") == "6311051502200042"
    assert parse_kk_number("6311.05.150220.0042") == "6311051502200042"
    assert parse_kk_number("\u202a6311-0515-0220-0042\u202c") == "6311051502200042"


def test_kk_from_another_province_is_valid():
    assert parse_kk_number("3174092001150003") == "3174092001150003"


def test_date_part_is_not_checked():
    # The registration-date layout is unverified (DOMAIN.md): 99/99/99 is still accepted.
    assert parse_kk_number("6311059999990001") == "6311059999990001"


@pytest.mark.parametrize("text, count", [("631105150220004", 15), ("63110515022000421", 17)])
def test_wrong_length(text, count):
    message = refusal(text)
    assert "Nomor KK" in message and "16 angka" in message and f"{count} angka" in message


def test_letters():
    assert "“A”" in refusal("6311A51502200042")


def test_empty():
    assert "belum diisi" in refusal("")


def test_unknown_province():
    assert "provinsi 99" in refusal("9911051502200042")


def test_regency_or_kecamatan_00():
    assert "kabupaten/kota" in refusal("6300051502200042")
    assert "kecamatan" in refusal("6311001502200042")


def test_serial_0000():
    assert "0000" in refusal("6311051502200000")


def test_is_valid_kk_number():
    assert is_valid_kk_number("6311051502200042")
    assert not is_valid_kk_number("6311051502200000")


def test_make_kk_number_layout():
    assert make_kk_number(kecamatan_code="63.11.05", issued=dt.date(2020, 2, 15),
                          serial=42) == "6311051502200042"


@pytest.mark.parametrize("kwargs", [{"kecamatan_code": "00.11.05"}, {"serial": 0},
                                    {"serial": 10_000}, {"kecamatan_code": "63.11.0"}])
def test_make_kk_number_refuses_bad_parts(kwargs):
    args = {"kecamatan_code": "63.11.05", "issued": dt.date(2020, 2, 15), "serial": 1} | kwargs
    with pytest.raises(InvalidInput):
        make_kk_number(**args)


@given(
    st.sampled_from(province_codes()), st.integers(1, 99), st.integers(1, 99),
    st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2069, 12, 31)),
    st.integers(1, 9999),
)
def test_make_then_parse_round_trips(province, regency, kec, issued, serial):
    code = f"{province}.{regency:02d}.{kec:02d}"
    made = make_kk_number(kecamatan_code=code, issued=issued, serial=serial)
    assert len(made) == 16
    assert parse_kk_number(made) == made
    assert made[:6] == code.replace(".", "")
    assert made[6:12] == issued.strftime("%d%m%y")
    assert int(made[12:]) == serial


@given(st.text())
def test_arbitrary_text_only_ever_raises_invalid_input(text):
    try:
        result = parse_kk_number(text)
    except InvalidInput as exc:
        assert exc.message
        return
    assert len(result) == 16 and result.isdigit()
