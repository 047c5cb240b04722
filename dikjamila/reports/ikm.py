"""The community satisfaction index (IKM) of PermenPANRB 14/2017, from raw U1..U9 scores.

Per element, NRR = sum of its scores / respondents. IKM = sum(NRR x 1/9) x 25, i.e. 25/9 of
the mean NRR, on a 25-100 scale. Everything is computed in exact fractions from the integer
sums (the regulation's examples round the weight to 0.111, which changes results), and the
grade is taken from the unrounded value:

    D "Tidak baik"   IKM < 65.00
    C "Kurang baik"  65.00 <= IKM <= 76.60
    B "Baik"         76.60 <  IKM <= 88.30
    A "Sangat baik"  88.30 <  IKM

The regulation's table lists two-decimal bands (65.00-76.60, 76.61-88.30, 88.31-100); read on
the unrounded value they leave gaps (76.605?), so each band here runs up to and including its
upper figure and the next starts just above it: 88.30 -> B, 88.305 -> A, 88.31 -> A. A value
shown as "88,30" may therefore carry grade A when it was 88.301; the report says the grade is
taken before rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

ELEMENTS = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
ELEMENT_LABELS = (
    "Persyaratan", "Sistem, mekanisme, dan prosedur", "Waktu penyelesaian", "Biaya/tarif",
    "Produk spesifikasi jenis pelayanan", "Kompetensi pelaksana", "Perilaku pelaksana",
    "Penanganan pengaduan, saran dan masukan", "Sarana dan prasarana",
)
MIN_SCORE, MAX_SCORE = 1, 4

# (upper bound inclusive, letter, label); the last band has no upper bound.
_BANDS = (
    (Fraction(6500, 100), "D", "Tidak baik"),  # strictly below 65.00
    (Fraction(7660, 100), "C", "Kurang baik"),
    (Fraction(8830, 100), "B", "Baik"),
)


@dataclass(frozen=True)
class IkmResult:
    """The survey's figures for a set of responses.

    With no respondents: `nrr` is empty, `ikm` and `ikm_exact` are None, `grade` is "" and
    `grade_label` says "belum ada responden".
    """

    respondents: int
    nrr: tuple[float, ...]  # U1..U9, each 1-4
    ikm: float | None  # unrounded, 25-100
    ikm_exact: Fraction | None
    grade: str  # "A" | "B" | "C" | "D" | ""
    grade_label: str  # "Sangat baik" | "Baik" | "Kurang baik" | "Tidak baik" | "belum ada responden"

    @property
    def ikm_text(self) -> str:
        """The IKM to two decimals with a decimal comma ("88,31"), or "-" without respondents."""
        return "-" if self.ikm_exact is None else format_two_decimals(self.ikm_exact, ",")


def grade_for(value: Fraction | float) -> tuple[str, str]:
    """The letter and label for an unrounded IKM value (see the module's bands).

    A float is read as the decimal it prints as (88.3 is 88.30, not 88.2999...).
    """
    exact = value if isinstance(value, Fraction | int) else Fraction(repr(float(value)))
    if exact < _BANDS[0][0]:
        return _BANDS[0][1], tr(_BANDS[0][2])
    for upper, letter, label in _BANDS[1:]:
        if exact <= upper:
            return letter, tr(label)
    return "A", tr("Sangat baik")


def format_two_decimals(value: Fraction, decimal_mark: str = ".") -> str:
    """An exact value rounded half up to two decimals (88.305 -> "88.31")."""
    shown = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{shown:.2f}".replace(".", decimal_mark)


def ikm_from_totals(respondents: int, totals: Sequence[int]) -> IkmResult:
    """The IKM from the number of respondents and the sum of each element's scores."""
    if respondents <= 0:
        return IkmResult(0, (), None, None, "", tr("belum ada responden"))
    if len(totals) != len(ELEMENTS):
        raise ValueError(f"expected {len(ELEMENTS)} element totals, got {len(totals)}")
    nrr = tuple(Fraction(total, respondents) for total in totals)
    exact = sum(nrr, Fraction(0)) / len(ELEMENTS) * 25
    letter, label = grade_for(exact)
    return IkmResult(respondents, tuple(float(n) for n in nrr), float(exact), exact, letter, label)


def compute_ikm(responses: Iterable[Sequence[int]]) -> IkmResult:
    """The IKM of raw responses, each nine scores U1..U9 from 1 to 4.

    A response with another number of scores, or a score outside 1-4, raises InvalidInput.
    """
    totals = [0] * len(ELEMENTS)
    respondents = 0
    for response in responses:
        respondents += 1
        if len(response) != len(ELEMENTS):
            raise InvalidInput(tr("Jawaban survei ke-{n} berisi {count} nilai; seharusnya 9 (U1 sampai U9).",
                                  n=respondents, count=len(response)))
        for i, score in enumerate(response):
            if not isinstance(score, int) or not MIN_SCORE <= score <= MAX_SCORE:
                raise InvalidInput(tr("Jawaban survei ke-{n}: nilai {element} harus 1 sampai 4, bukan {score}.",
                                      n=respondents, element=ELEMENTS[i], score=score))
            totals[i] += score
    return ikm_from_totals(respondents, totals)
