"""NIK parsing, checking and building (dikjamila.identity.nik)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dikjamila.errors import InvalidInput
from dikjamila.identity import (
    NikInfo,
    clean_digits,
    is_valid_nik,
    make_nik,
    parse_nik,
    province_codes,
)

TODAY = dt.date(2025, 6, 1)


def nik(text: str, **kwargs) -> NikInfo:
    return parse_nik(text, today=kwargs.pop("today", TODAY), **kwargs)


def refusal(text: str, **kwargs) -> str:
    with pytest.raises(InvalidInput) as caught:
        nik(text, **kwargs)
    return caught.value.message


# --- valid numbers -------------------------------------------------------------------------

def test_male_nik_decodes_every_part():
    info = nik("6311051708850003")
    assert info == NikInfo(
        nik="6311051708850003",
        province_code="63",
        regency_code="6311",
        kecamatan_code="631105",
        birth_date=dt.date(1985, 8, 17),
        sex="L",
        serial="0003",
        warnings=(),
    )


def test_female_day_has_40_added():
    info = nik("6311065708850012")
    assert info.birth_date == dt.date(1985, 8, 17)
    assert info.sex == "P"


def test_female_day_71_is_the_31st():
    info = nik("6311067101900001")
    assert (info.birth_date, info.sex) == (dt.date(1990, 1, 31), "P")


def test_female_day_41_is_the_1st():
    assert nik("6311064112990001").birth_date == dt.date(1999, 12, 1)


def test_recent_two_digit_year_is_this_century():
    assert nik("6311011503200001").birth_date == dt.date(2020, 3, 15)


def test_two_digit_year_after_today_goes_to_last_century():
    # 30 (= 2030) would be in the future on TODAY, so it must be 1930.
    assert nik("6311011503300001").birth_date == dt.date(1930, 3, 15)
    # Same year as today but a later day: 2025-06-02 is tomorrow, so 1925.
    assert nik("6311010206250001").birth_date == dt.date(1925, 6, 2)
    assert nik("6311010106250001").birth_date == dt.date(2025, 6, 1)


def test_leap_day_2000_is_valid():
    info = nik("6311052902000001")
    assert info.birth_date == dt.date(2000, 2, 29)


def test_leap_day_female_2000_is_valid():
    assert nik("6311056902000001").birth_date == dt.date(2000, 2, 29)


def test_leap_day_00_before_2000_means_1900_which_is_not_leap():
    message = refusal("6311052902000001", today=dt.date(1999, 12, 31))
    assert "29 Februari 1900" in message


def test_leap_day_on_leap_year_04():
    assert nik("6311052902040001").birth_date == dt.date(2004, 2, 29)
    # Before 2004 the same NIK is from 1904, also a leap year.
    assert nik("6311052902040001", today=dt.date(2003, 1, 1)).birth_date == dt.date(1904, 2, 29)


def test_nik_from_another_regency_is_valid():
    # Registered in Kota Banjarmasin / Jakarta Selatan; an NIK never changes when moving.
    assert nik("6371011204880002").regency_code == "6371"
    info = nik("3174094506920001")
    assert (info.province_code, info.sex, info.birth_date) == ("31", "P", dt.date(1992, 6, 5))


def test_typed_separators_are_accepted():
    expected = "6311051708850003"
    for typed in [
        "6311 0517 0885 0003",
        "6311.05.170885.0003",
        "6311-0517-0885-0003",
        " 6311\u00a00517\u00a008850003 ",
        "\u202a6311051708850003\u202c",
        "6311\u200b0517\u200d08850003",
        "６３１１０５１７０８８５０００３",  # full-width digits from some keyboards
        "6311\u20110517\u20130885\u20140003",
    ]:
        assert nik(typed).nik == expected, typed


def test_is_valid_nik():
    assert is_valid_nik("6311051708850003")
    assert not is_valid_nik("6311051708850000")
    assert not is_valid_nik("")


# --- refusals ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, count", [("631105170885000", 15), ("63110517088500031", 17),
                                         ("6311", 4)])
def test_wrong_length_says_how_many(text, count):
    message = refusal(text)
    assert "16 angka" in message and f"{count} angka" in message


def test_letters_are_named():
    message = refusal("63110517O8850003")
    assert "“O”" in message and "angka" in message


def test_empty_nik():
    assert "belum diisi" in refusal("  ")


def test_unknown_province():
    message = refusal("9911051708850003")
    assert "provinsi 99" in message


@pytest.mark.parametrize("code", ["00", "10", "20", "37", "54", "60", "90", "97"])
def test_codes_that_are_not_provinces(code):
    assert "provinsi" in refusal(code + "11051708850003")


def test_regency_and_kecamatan_00():
    assert "kabupaten/kota" in refusal("6300051708850003")
    assert "kecamatan" in refusal("6311001708850003")


def test_month_13():
    assert "Bulan" in refusal("6311051713850003")


def test_month_00():
    assert "Bulan" in refusal("6311051700850003")


# The two birth-day checks give different messages: the day-range check (01-31 men,
# 41-71 women) names the two ranges, the calendar check names the impossible date.
RANGE_MESSAGE = "laki-laki 01–31, perempuan 41–71"
CALENDAR_MESSAGE = "tidak ada di kalender"


@pytest.mark.parametrize("day", ["00", "32", "35", "40", "72", "99"])
def test_day_out_of_both_ranges(day):
    # Were the range check wrong, some of these would still be refused, by the calendar
    # check ("32 Agustus" is no date): only the message tells which check refused them.
    message = refusal(f"631105{day}08850003")
    assert f"Tanggal lahir di NIK ({day})" in message
    assert RANGE_MESSAGE in message
    assert CALENDAR_MESSAGE not in message


@pytest.mark.parametrize("text, date", [
    ("6311053002850003", "30 Februari 1985"),
    ("6311053104850003", "31 April 1985"),   # male: 31 is within 01-31
    ("6311057104850003", "31 April 1985"),   # female: 71 is within 41-71
    ("6311052902010003", "29 Februari 2001"),
])
def test_day_in_range_but_not_in_the_calendar(text, date):
    message = refusal(text)
    assert f"{CALENDAR_MESSAGE}: {date}" in message
    assert RANGE_MESSAGE not in message


def test_serial_0000():
    assert "0000" in refusal("6311051708850000")


def test_birth_date_in_the_future():
    # With today in 1950, both 2060 and 1960 are still ahead.
    assert "masa depan" in refusal("6311051708600003", today=dt.date(1950, 1, 1))


# --- mismatches are warnings ---------------------------------------------------------------

def test_matching_entered_data_gives_no_warning():
    info = nik("6311065708850012", birth_date=dt.date(1985, 8, 17), sex="P")
    assert info.warnings == ()


def test_birth_date_mismatch_is_a_warning():
    info = nik("6311051708850003", birth_date=dt.date(1985, 8, 18))
    assert len(info.warnings) == 1
    assert "17 Agustus 1985" in info.warnings[0] and "18 Agustus 1985" in info.warnings[0]


def test_sex_mismatch_is_a_warning():
    info = nik("6311051708850003", sex="P")
    assert len(info.warnings) == 1
    assert "laki-laki" in info.warnings[0] and "perempuan" in info.warnings[0]


def test_both_mismatches():
    info = nik("6311051708850003", birth_date=dt.date(1990, 1, 1), sex="perempuan")
    assert len(info.warnings) == 2


def test_entered_birth_date_settles_the_century():
    # A 105-year-old: without the entered date 20 would be read as 2020.
    assert nik("6311051708200003").birth_date == dt.date(2020, 8, 17)
    info = nik("6311051708200003", birth_date=dt.date(1920, 8, 17))
    assert info.birth_date == dt.date(1920, 8, 17) and info.warnings == ()


def test_bad_sex_value_is_refused():
    with pytest.raises(InvalidInput):
        nik("6311051708850003", sex="X")


# --- clean_digits --------------------------------------------------------------------------

def test_clean_digits_keeps_letters_for_the_error_message():
    assert clean_digits(" 63.11-05\u00a0ab\u200b") == "631105ab"


# --- make_nik ------------------------------------------------------------------------------

def test_make_nik_layout():
    assert make_nik(kecamatan_code="63.11.05", birth_date=dt.date(1990, 1, 31), sex="P",
                    serial=7) == "6311057101900007"
    assert make_nik(kecamatan_code="631101", birth_date=dt.date(2003, 12, 5), sex="L",
                    serial=1234) == "6311010512031234"


@pytest.mark.parametrize("kwargs", [
    {"kecamatan_code": "99.11.05"}, {"kecamatan_code": "63.11"}, {"serial": 0},
    {"serial": 10000}, {"sex": "?"},
])
def test_make_nik_refuses_bad_parts(kwargs):
    args = {"kecamatan_code": "63.11.05", "birth_date": dt.date(1990, 1, 1), "sex": "L",
            "serial": 1} | kwargs
    with pytest.raises(InvalidInput):
        make_nik(**args)


# --- properties ----------------------------------------------------------------------------

kecamatan_codes = st.builds(
    lambda p, r, k: f"{p}{r:02d}{k:02d}",
    st.sampled_from(province_codes()), st.integers(1, 99), st.integers(1, 99),
)
# Birth dates whose two-digit year is unambiguous on TODAY (under 100 years old).
birth_dates = st.dates(min_value=dt.date(1925, 6, 2), max_value=TODAY)


@given(kecamatan_codes, birth_dates, st.sampled_from("LP"), st.integers(1, 9999))
def test_make_then_parse_round_trips(kec, born, sex, serial):
    made = make_nik(kecamatan_code=kec, birth_date=born, sex=sex, serial=serial)
    info = nik(made, birth_date=born, sex=sex)
    assert info.nik == made
    assert info.kecamatan_code == kec
    assert info.birth_date == born
    assert info.sex == sex
    assert int(info.serial) == serial
    assert info.warnings == ()


@given(st.text())
def test_arbitrary_text_only_ever_raises_invalid_input(text):
    try:
        nik(text)
    except InvalidInput as exc:
        assert exc.message
        refused = True
    else:
        refused = False
    assert is_valid_nik(text, today=TODAY) is not refused


@settings(max_examples=300)
@given(st.from_regex(r"\A[0-9]{16}\Z"))
def test_any_16_digits_parse_consistently(digits):
    try:
        info = nik(digits)
    except InvalidInput as exc:
        assert exc.message
        assert is_valid_nik(digits, today=TODAY) is False
        return
    assert is_valid_nik(digits, today=TODAY) is True
    # Whatever parses is exactly what make_nik builds from the decoded parts.
    assert make_nik(kecamatan_code=info.kecamatan_code, birth_date=info.birth_date,
                    sex=info.sex, serial=int(info.serial)) == digits
    assert info.birth_date <= TODAY


@given(st.lists(st.sampled_from([" ", ".", "-", "\u00a0", "\u200b", "\u2011"]),
                min_size=16, max_size=16))
def test_separators_between_digits_are_ignored(separators):
    plain = "6311065708850012"
    typed = "".join(d + s for d, s in zip(plain, separators, strict=True))
    assert nik(typed).nik == plain
