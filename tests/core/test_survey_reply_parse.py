"""Reading a WhatsApp answer to the IKM invitation: what counts as nine scores, what is a
garbled attempt (answered with how to reply), and what is ordinary conversation."""

from __future__ import annotations

import pytest

from dikjamila.intake.survey_reply import parse_survey_reply

SCORES = (4, 4, 3, 4, 3, 4, 4, 4, 3)


@pytest.mark.parametrize("text", [
    "443434443",
    "4 4 3 4 3 4 4 4 3",
    "4,4,3,4,3,4,4,4,3",
    "4, 4, 3, 4, 3, 4, 4, 4, 3",
    "4.4.3.4.3.4.4.4.3",
    "4-4-3-4-3-4-4-4-3",
    "4\n4\n3\n4\n3\n4\n4\n4\n3",
    "  443 434 443.  ",
    "443434443 🙏",
    "４４３４３４４４３",  # full-width digits, as some keyboards type them
    "U1=4 U2=4 U3=3 U4=4 U5=3 U6=4 U7=4 U8=4 U9=3",
    "U1: 4, U2: 4, U3: 3, U4: 4, U5: 3, U6: 4, U7: 4, U8: 4, U9: 3",
    "u1 4\nu2 4\nu3 3\nu4 4\nu5 3\nu6 4\nu7 4\nu8 4\nu9 3",
    "U9=3 U8=4 U7=4 U6=4 U5=3 U4=4 U3=3 U2=4 U1=4",  # the labels decide the order
])
def test_nine_scores_are_read_in_any_common_spelling(text):
    parsed = parse_survey_reply(text)
    assert parsed.ok and parsed.scores == SCORES and parsed.looks_like_answer


@pytest.mark.parametrize("text", [
    "44343444",  # eight
    "4434344431",  # ten
    "443434453",  # a 5
    "443034443",  # a 0
    "4 4 3 4 3 4 4 9 3",
    "4",
    "4 4 3",
    "U1=4 U2=4 U3=3",  # labels, but not all nine
    "U1=4 U2=4 U3=3 U4=4 U5=3 U6=4 U7=4 U8=4 U9=5",
    "U1=4 U1=4 U3=3 U4=4 U5=3 U6=4 U7=4 U8=4 U9=3",
    "nomor saya 443434443",  # words with the digits: explained, never guessed
    "jawaban: 4 4 3 4 3 4 4 4 3",
    "nilai saya semua 4",
    "jawabannya 4434 3444",
])
def test_a_garbled_attempt_is_an_answer_that_cannot_be_read(text):
    parsed = parse_survey_reply(text)
    assert not parsed.ok and parsed.scores == () and parsed.looks_like_answer


@pytest.mark.parametrize("text", [
    "terima kasih bu",
    "Terima kasih banyak, dokumennya sudah saya cetak 🙏",
    "mau buat KK baru",
    "mau urus akta 2 anak",
    "jam 10.30 saya ke kantor",
    "6311054506900003",  # a NIK
    "0812-3456-7890",  # a phone number
    "+62 812 3456 7890",
    "RT 002 RW 003 desa Juai",
    "",
    "   ",
    "4" * 9 + " " + "x" * 400,  # a long text is conversation
])
def test_ordinary_conversation_is_not_an_answer(text):
    parsed = parse_survey_reply(text)
    assert not parsed.ok and not parsed.looks_like_answer


def test_the_digits_are_kept_for_the_callers_own_rule():
    assert parse_survey_reply("sudah saya isi 3 kali").digits == "3"
    assert parse_survey_reply("terima kasih").digits == ""
