"""Demo content (dikjamila.demo.people / .paperwork), decoded for real with Pillow, pypdf
and phonenumbers."""

from __future__ import annotations

import io
import random
import re
from datetime import date

import phonenumbers
import pytest
from PIL import ExifTags, Image, ImageChops, ImageOps, ImageStat
from pypdf import PdfReader

from dikjamila.demo.paperwork import document_pdf, document_photo, issued_document_pdf
from dikjamila.demo.people import (
    FEMALE_GIVEN, MALE_GIVEN, Person, age_on, random_person,
)
from dikjamila.documents.belongs import belongs_problem
from dikjamila.identity import normalize_phone
from dikjamila.resources import resource_path

TODAY = date(2025, 3, 5)
LINES = ("Alamat: Jl. Ahmad Yani RT 003 RW 001", "Desa/Kelurahan: Batu Piring",
         "Kecamatan: Paringin Selatan")
ORIENTATION = ExifTags.Base.Orientation


def photo(seed: int = 7, **kwargs) -> bytes:
    return document_photo("Kartu Keluarga", holder="Mahdiannor", number="6311052003150004",
                          lines=LINES, rng=random.Random(seed), **kwargs)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


# --- people -------------------------------------------------------------------------

def test_phones_are_valid_indonesian_mobiles_for_500_seeds():
    styles = set()
    for seed in range(500):
        typed = random_person(random.Random(seed), today=TODAY).phone
        number = phonenumbers.parse(typed, "ID")
        assert phonenumbers.is_valid_number(number), typed
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE, typed
        assert 10 <= len(re.sub(r"\D", "", typed.replace("+62", "0"))) <= 13, typed
        assert normalize_phone(typed).is_mobile
        styles.add("dash" if "-" in typed else "plus" if typed.startswith("+62 ") else
                   "plain" if typed.isdigit() else "other")
    assert {"dash", "plus", "plain"} <= styles  # residents type numbers in mixed styles


@pytest.mark.parametrize(("min_age", "max_age", "today"), [
    (0, 80, TODAY), (17, 17, TODAY), (0, 0, date(2024, 2, 29)), (60, 90, date(2024, 2, 29)),
])
def test_ages_stay_within_bounds(min_age, max_age, today):
    for seed in range(500):
        person = random_person(random.Random(seed), min_age=min_age, max_age=max_age, today=today)
        assert min_age <= person.age(today) <= max_age
        assert person.birth_date <= today


def test_sex_is_respected_and_names_differ_by_sex():
    assert not set(MALE_GIVEN) & set(FEMALE_GIVEN)
    for seed in range(200):
        man = random_person(random.Random(seed), sex="L", today=TODAY)
        woman = random_person(random.Random(seed), sex="P", today=TODAY)
        assert (man.sex, woman.sex) == ("L", "P")
        assert not woman.name.startswith("H. ") and not man.name.startswith("Hj. ")
        assert any(part in man.name for given in MALE_GIVEN for part in given.split())
        assert any(part in woman.name for given in FEMALE_GIVEN for part in given.split())


def test_names_are_varied_and_people_are_deterministic():
    people = [random_person(random.Random(seed), today=TODAY) for seed in range(1000)]
    assert len({p.name for p in people}) > 300
    assert {p.sex for p in people} == {"L", "P"}
    assert random_person(random.Random(42), today=TODAY) == people[42]
    assert isinstance(people[0], Person)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        random_person(random.Random(1), sex="X", today=TODAY)
    with pytest.raises(ValueError):
        random_person(random.Random(1), min_age=30, max_age=20, today=TODAY)


def test_age_on_counts_completed_years():
    assert age_on(date(2000, 3, 6), TODAY) == 24
    assert age_on(date(2000, 3, 5), TODAY) == 25


# --- photos -------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(1200, 900), (900, 1200), (640, 480)])
def test_photo_is_a_jpeg_of_the_asked_size(size):
    data = photo(size=size)
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG"
        assert img.size == size
        assert img.getexif().get(ORIENTATION) is None
    assert len(data) < 250_000


def test_landscape_page_photo_is_wider_than_tall_and_small_enough():
    for seed in range(5):
        data = photo(seed)
        assert len(data) < 250_000
        with Image.open(io.BytesIO(data)) as img:
            shown = ImageOps.exif_transpose(img)
            assert shown.width > shown.height


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_orientation_is_stored_like_a_phone_does(orientation):
    upright = Image.open(io.BytesIO(photo(orientation=1))).convert("L")
    with Image.open(io.BytesIO(photo(orientation=orientation))) as img:
        assert img.getexif().get(ORIENTATION) == orientation
        swapped = orientation in (6, 8)
        assert img.size == ((900, 1200) if swapped else (1200, 900))
        shown = ImageOps.exif_transpose(img).convert("L")
    # A viewer applying the tag sees the same upright picture (up to JPEG noise).
    assert shown.size == (1200, 900) and shown.width > shown.height
    assert ImageStat.Stat(ImageChops.difference(shown, upright)).mean[0] < 3
    # ...while the stored pixels on their own are not upright.
    raw = Image.open(io.BytesIO(photo(orientation=orientation))).convert("L")
    if not swapped:
        assert ImageStat.Stat(ImageChops.difference(raw, upright)).mean[0] > 10


def test_photo_is_deterministic_per_seed_and_rejects_bad_orientation():
    assert photo(3) == photo(3)
    assert photo(3) != photo(4)
    with pytest.raises(ValueError):
        photo(orientation=9)


# --- PDFs ---------------------------------------------------------------------------

def test_document_pdf_is_one_a4_page_with_readable_text():
    data = document_pdf("Surat Keterangan Pindah", holder="Hj. Rabiatul Adawiyah",
                        number="470/0123/DKPS/2025", lines=LINES, dated=TODAY)
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = pdf_text(data)
    for expected in ("SURAT KETERANGAN PINDAH", "Hj. Rabiatul Adawiyah", "470/0123/DKPS/2025",
                     "Batu Piring", "Paringin, 5 Maret 2025",
                     "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KABUPATEN BALANGAN"):
        assert expected in text
    assert "TTE" not in text


def test_pdf_handles_text_beyond_latin1_and_draws_the_tte_box():
    text = pdf_text(document_pdf("Surat Keterangan", holder="Nur\u2019aini \u2013 Ma\u2019ruf",
                                 number="1", qr_text="https://contoh.invalid/verifikasi/1",
                                 dated=TODAY))
    assert "Nur\u2019aini \u2013 Ma\u2019ruf" in text
    assert "TTE" in text


def test_pdf_is_deterministic():
    one = document_pdf("Kartu Keluarga", holder="Siti Aminah", number="X", lines=LINES, dated=TODAY)
    two = document_pdf("Kartu Keluarga", holder="Siti Aminah", number="X", lines=LINES, dated=TODAY)
    assert one == two
    assert pdf_text(one) == pdf_text(two)


def test_issued_pdf_carries_the_nik_and_passes_the_belongs_check():
    nik, other = "6311050303250001", "6311054204700002"
    data = issued_document_pdf("Kutipan Akta Kelahiran", holder="Muhammad Rizky Ramadhan",
                               nik=nik, number="6311-LU-05032025-0012", issued_on=TODAY)
    text = pdf_text(data)
    assert re.search(rf"(?<!\d){nik}(?!\d)", text)
    for expected in ("KUTIPAN AKTA KELAHIRAN", "Muhammad Rizky Ramadhan", "6311-LU-05032025-0012",
                     "TTE", "Paringin, 5 Maret 2025"):
        assert expected in text
    assert belongs_problem(text, niks={nik}) is None
    assert belongs_problem(text, niks={other}) is not None
    with pytest.raises(ValueError):
        issued_document_pdf("Kartu Keluarga", holder="A", nik="6311", number="1", issued_on=TODAY)


def test_bundled_fonts_and_licence_are_present():
    assert resource_path("fonts", "DejaVuSans.ttf").stat().st_size > 100_000
    assert resource_path("fonts", "DejaVuSans-Bold.ttf").stat().st_size > 100_000
    assert "Bitstream" in resource_path("fonts", "LICENSE-DejaVu.txt").read_text()
