"""Made-up residents for the demo office: names, sex, birth date and a WhatsApp number.

Names follow what is common in Kabupaten Balangan (Banjar names such as Mahdiannor,
Norliani, Gusti Rahmat; Islamic names; some Javanese/Indonesian names of transmigrant
families). Everything is drawn from the caller's `random.Random`, so one seed always
gives the same person. The people are fictional; any likeness is coincidence.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

# Given names; some are two words, as is usual ("Muhammad Rizky", "Siti Aminah").
MALE_GIVEN = (
    "Muhammad Rizky", "Ahmad Fauzi", "Rahmadi", "Gusti Rahmat", "Abdul Hadi", "Mahdiannor",
    "Muhammad Noor", "Saifullah", "Akhmad Riduan", "Jumberi", "Syahrani", "Rusdiansyah",
    "Fahrurrazi", "Hairul Anwar", "Zainuddin", "Ahmad Yani", "Husin", "Aliansyah",
    "Abdul Gani", "Ridwan", "Muhammad Ilham", "Arbain", "Norhadi", "Rahmatullah", "Anang",
    "Yusuf", "Hamdani", "Syarifuddin", "Khairil", "Fathurrahman", "Akhmad Sidik",
    "Masransyah", "Nurdin", "Supriyadi", "Wahyu", "Budi", "Agus", "Muhammad Arsyad",
    "Gusti Iberahim", "Saberi", "Hidayatullah", "Muhammad Fadli", "Rizal", "Irwansyah",
)
FEMALE_GIVEN = (
    "Siti Aminah", "Noor Hayati", "Norliani", "Rusmilawati", "Fitriani", "Salasiah",
    "Mahmudah", "Rahmah", "Siti Khadijah", "Nurul Hidayah", "Aulia Rahmi", "Rabiatul Adawiyah",
    "Masitah", "Normila", "Hafsah", "Jamilah", "Maulida", "Nor Aida", "Syarifah", "Rina",
    "Fatimah", "Kamariah", "Raudah", "Nurhasanah", "Laila", "Erna", "Sri Wahyuni", "Dewi",
    "Yuliana", "Annisa", "Mariani", "Rusmini", "Halimah", "Nadia", "Zahra", "Ainun",
    "Gusti Rahmawati", "Normalasari", "Siti Mariam", "Husnul Khatimah", "Wulan", "Mardiana",
)
# Second parts; many Banjar people carry one name only, so a surname is optional.
MALE_FAMILY = (
    "Rahman", "Hidayat", "Syahputra", "Fadillah", "Ramadhan", "Hasan", "Effendi", "Saputra",
    "Maulana", "Anshari", "Rahmani", "Hairani", "Aditya", "Nugroho", "Firdaus", "Arifin",
    "Hakim", "Mubarak", "Setiawan", "Pratama", "Kurniawan", "Noor", "Ilmi", "Riduan",
)
FEMALE_FAMILY = (
    "Ramadhani", "Hidayati", "Rahmawati", "Safitri", "Lestari", "Wulandari", "Yanti",
    "Handayani", "Maulidya", "Fitria", "Anggraini", "Sari", "Rahmadani", "Amalia", "Aulia",
    "Hasanah", "Noor", "Apriliani", "Zahra", "Nurjanah", "Azizah", "Rahmi",
)

# Indonesian mobile prefixes (Telkomsel, Indosat, XL, Axis, Tri); lengths include the 0.
MOBILE_PREFIXES = (
    "0811", "0812", "0813", "0821", "0822", "0823", "0851", "0852", "0853",
    "0838", "0877", "0878", "0895", "0896", "0897", "0898", "0899",
)
_LENGTHS = (11, 12, 12, 12, 13)  # 12 digits ("0812-3456-7890") is the most common


@dataclass(frozen=True)
class Person:
    """A fictional resident as the demo office would meet them."""

    name: str
    sex: str  # "L" (laki-laki) or "P" (perempuan)
    birth_date: date
    phone: str  # as the resident typed it, e.g. "0812-3456-7890" or "+62 813 1234 5678"

    def age(self, today: date) -> int:
        """Completed years on `today`."""
        return age_on(self.birth_date, today)


def age_on(birth_date: date, today: date) -> int:
    """Completed years between `birth_date` and `today`."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def _years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def random_birth_date(rng: random.Random, *, min_age: int, max_age: int, today: date) -> date:
    """A birth date whose age on `today` lies within [min_age, max_age]."""
    if not 0 <= min_age <= max_age:
        raise ValueError(f"bad age range {min_age}..{max_age}")
    latest = _years_before(today, min_age)
    earliest = date.fromordinal(_years_before(today, max_age + 1).toordinal() + 1)
    while True:  # the 28-February fallback can very rarely overshoot by a day
        born = date.fromordinal(rng.randint(earliest.toordinal(), latest.toordinal()))
        if min_age <= age_on(born, today) <= max_age:
            return born


def random_name(rng: random.Random, sex: str, *, age: int = 30) -> str:
    """A full name for a man ("L") or woman ("P"); older people may carry the Hajj title."""
    given = rng.choice(MALE_GIVEN if sex == "L" else FEMALE_GIVEN)
    family = rng.choice(MALE_FAMILY if sex == "L" else FEMALE_FAMILY)
    roll = rng.random()
    if roll < 0.25 and " " in given:
        name = given  # "Siti Aminah", "Gusti Rahmat"
    elif roll < 0.35:
        name = given.split()[-1]  # a single name: "Rahmadi", "Norliani"
    else:
        name = f"{given} {family}"
    if family == given.split()[-1]:
        name = given  # avoid "Muhammad Noor Noor"
    if age >= 45 and rng.random() < 0.3:
        name = ("H. " if sex == "L" else "Hj. ") + name
    return name


def random_phone(rng: random.Random) -> str:
    """An Indonesian mobile number typed in one of the styles residents use."""
    prefix = rng.choice(MOBILE_PREFIXES)
    digits = prefix + "".join(rng.choice("0123456789") for _ in range(rng.choice(_LENGTHS) - 4))
    rest = digits[4:]
    style = rng.randrange(5)
    if style == 0:  # 0812-3456-7890
        return f"{digits[:4]}-{rest[:4]}-{rest[4:]}"
    if style == 1:  # +62 813 1234 5678
        return f"+62 {digits[1:4]} {rest[:4]} {rest[4:]}"
    if style == 2:  # 0812 3456 7890
        return f"{digits[:4]} {rest[:4]} {rest[4:]}"
    if style == 3:  # +6281234567890
        return "+62" + digits[1:]
    return digits  # 085212345678


def random_person(rng: random.Random, *, sex: str | None = None, min_age: int = 0,
                  max_age: int = 80, today: date) -> Person:
    """A fictional resident aged `min_age`..`max_age` on `today`; `sex` is "L", "P" or None."""
    if sex not in (None, "L", "P"):
        raise ValueError(f"sex must be 'L' or 'P', not {sex!r}")
    chosen = sex or rng.choice("LP")
    born = random_birth_date(rng, min_age=min_age, max_age=max_age, today=today)
    name = random_name(rng, chosen, age=age_on(born, today))
    return Person(name=name, sex=chosen, birth_date=born, phone=random_phone(rng))
