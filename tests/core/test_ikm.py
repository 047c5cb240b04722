"""IKM (PermenPANRB 14/2017) against figures worked out by hand, and the grade boundaries."""

from __future__ import annotations

from fractions import Fraction

import pytest

from dikjamila.errors import InvalidInput
from dikjamila.reports.ikm import compute_ikm, format_two_decimals, grade_for

# Four respondents, U1..U9 each (scores 1-4):
HAND = [
    [4, 4, 3, 4, 3, 4, 4, 3, 3],  # 32
    [3, 3, 3, 4, 3, 3, 4, 3, 3],  # 29
    [4, 3, 2, 4, 3, 4, 4, 3, 2],  # 29
    [3, 4, 3, 4, 4, 3, 3, 3, 3],  # 30
]
# By hand: element sums 14 14 11 16 13 14 15 12 11 -> NRR = sum / 4:
HAND_NRR = [3.5, 3.5, 2.75, 4.0, 3.25, 3.5, 3.75, 3.0, 2.75]
# Sum of NRR = 30.0; IKM = 30 x 1/9 x 25 = 83.333... -> "83,33", grade B (Baik).
# (With the weight rounded to 0.111 it would be 30 x 0.111 x 25 = 83.25: why raw scores are kept.)


def test_the_hand_computed_example():
    result = compute_ikm(HAND)
    assert result.respondents == 4
    assert list(result.nrr) == HAND_NRR
    assert result.ikm_exact == Fraction(250, 3)
    assert result.ikm == pytest.approx(83.3333333333)
    assert result.ikm_text == "83,33"
    assert (result.grade, result.grade_label) == ("B", "Baik")


def responses_with_total(respondents: int, total: int) -> list[list[int]]:
    """`respondents` answers whose scores add up to `total` (all 4s, then lowered one by one)."""
    answers = [[4] * 9 for _ in range(respondents)]
    to_remove = 9 * 4 * respondents - total
    assert 0 <= to_remove <= 9 * 3 * respondents
    for answer in answers:
        for k in range(9):
            step = min(3, to_remove)
            answer[k] -= step
            to_remove -= step
    return answers


# IKM = 25/9 x (sum of all scores) / respondents, so each boundary is reached exactly by:
@pytest.mark.parametrize("respondents, total, exact, shown, grade, label", [
    (250, 7947, "88.30", "88,30", "B", "Baik"),
    (2500, 79479, "88.31", "88,31", "A", "Sangat baik"),
    (5000, 158949, "88.305", "88,31", "A", "Sangat baik"),  # above 88.30; shown rounded half up
    (125, 3447, "76.60", "76,60", "C", "Kurang baik"),
    (2500, 68949, "76.61", "76,61", "B", "Baik"),
    (5, 117, "65.00", "65,00", "C", "Kurang baik"),
    (2500, 58491, "64.99", "64,99", "D", "Tidak baik"),
])
def test_grade_boundaries_from_real_responses(respondents, total, exact, shown, grade, label):
    result = compute_ikm(responses_with_total(respondents, total))
    assert result.ikm_exact == Fraction(exact)
    assert (result.ikm_text, result.grade, result.grade_label) == (shown, grade, label)


def test_grade_is_taken_from_the_unrounded_value():
    assert grade_for(Fraction("88.30")) == ("B", "Baik")
    assert grade_for(Fraction("88.305")) == ("A", "Sangat baik")
    assert grade_for(Fraction("88.301")) == ("A", "Sangat baik")
    assert format_two_decimals(Fraction("88.301"), ",") == "88,30"  # shown so, graded A (the footnote says)
    assert grade_for(Fraction("88.31")) == ("A", "Sangat baik")
    assert grade_for(Fraction("76.60")) == ("C", "Kurang baik")
    assert grade_for(Fraction("76.6000001")) == ("B", "Baik")
    assert grade_for(Fraction("65")) == ("C", "Kurang baik")
    assert grade_for(Fraction("64.999")) == ("D", "Tidak baik")
    assert grade_for(100) == ("A", "Sangat baik") and grade_for(25) == ("D", "Tidak baik")
    # A float means the decimal it prints as: 88.3 is 88.30 (B), not 88.2999... or 88.3000...1.
    assert grade_for(88.3) == ("B", "Baik") and grade_for(88.30000000000001) == ("A", "Sangat baik")


def test_exact_sums_do_not_drift_like_floats():
    # 5 respondents, total 117: exactly 65.00 (C). Summed as floats, NRR x 1/9 x 25 gives
    # 64.99999999999999, which would be graded D.
    answers = responses_with_total(5, 117)
    floats = sum(sum(a[k] for a in answers) / 5 * (1 / 9) for k in range(9)) * 25
    assert floats < 65
    result = compute_ikm(answers)
    assert result.ikm_exact == 65 and result.grade == "C" and result.ikm_text == "65,00"


def test_no_respondents_no_grade():
    result = compute_ikm([])
    assert (result.respondents, result.nrr, result.ikm, result.grade) == (0, (), None, "")
    assert result.grade_label == "belum ada responden" and result.ikm_text == "-"


@pytest.mark.parametrize("bad, message", [
    ([[4, 4, 4, 4, 4, 4, 4, 4]], "9"),
    ([[4, 4, 4, 4, 5, 4, 4, 4, 4]], "U5"),
    ([[4, 4, 4, 4, 4, 4, 4, 4, 0]], "U9"),
])
def test_bad_responses_are_refused(bad, message):
    with pytest.raises(InvalidInput, match=message):
        compute_ikm(bad)
