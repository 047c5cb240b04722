"""Reading a resident's WhatsApp answer to the IKM survey invitation (`undangan_survei.txt`).

Pure: text in, `SurveyParse` out; the desk decides what to do with it (`desk.survey_replies`).

Accepted as an answer (`ok`, nine scores U1..U9 in the invitation's fixed order):
- nine digits, each 1–4, and nothing else but separators: "443434443", "4 4 3 4 3 4 4 4 3",
  "4,4,3,4,3,4,4,4,3", "4.4.3.4.3.4.4.4.3", "4-4-3-...", one a line, or with an emoji or a full
  stop after them. A separator is anything that is neither a letter nor a digit. Full-width and
  other Unicode digits count (NFKC).
- the labelled form, each of U1..U9 exactly once with its score, in any order and with any
  separators: "U1=4 U2=4 U3=3 ...", "U1: 4, U2: 4, ...", "U1 4\nU2 4 ...". The labels decide
  the order, not the position.

Anything with words in it is never read as scores ("nomor saya 443434443", "jawaban: 4434...",
"semua 4"): words may say something the digits do not ("... tapi U3 sebenarnya 2"), and the
resident is told how to answer instead.

`looks_like_answer` (not ok, but an attempt at one: the resident gets the how-to-reply) when:
- the text holds no letters and 1 to 12 digits, and is not a phone number (10+ digits starting
  with 08 or 628): a wrong count ("44343444", "4434344431"), a score out of range
  ("443434453", "0"), or a lone digit;
- it uses the U-label form at all, but incompletely or with a score out of range;
- it has words and a survey word ("nilai", "survei", "jawaban", ...) with at least one digit, or
  words and 5–12 digits all between 1 and 5 ("nomor saya 443434443", "jawabannya 4 4 3 4 3 4 4 4").
Everything else is unrelated text: "terima kasih bu", "mau buat KK baru", a NIK, a phone
number, "jam 10.30", and texts longer than 300 characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: How many elements the survey has (PermenPANRB 14/2017: U1..U9).
ELEMENTS = 9
#: Longer texts are conversation, never a survey answer.
MAX_LENGTH = 300
_LABEL = re.compile(r"(?<![^\W\d_])U\s*([1-9])\s*[:=.\-]?\s*(\d)(?!\d)", re.IGNORECASE)
_SURVEY_WORDS = ("nilai", "survei", "survey", "skor", "jawab", "ikm", "penilaian")


@dataclass(frozen=True)
class SurveyParse:
    """What a reply says: nine `scores` (ok), an attempt that failed, or something else."""

    scores: tuple[int, ...] = ()
    looks_like_answer: bool = False  # True also when ok
    digits: str = ""  # every digit in the text, in order (for a caller's own rule)

    @property
    def ok(self) -> bool:
        return len(self.scores) == ELEMENTS


def parse_survey_reply(text: str) -> SurveyParse:
    """Read `text` as an answer to the survey invitation; see the module's rules."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if not text or len(text) > MAX_LENGTH:
        return SurveyParse(digits=digits)
    labelled = _labelled(text)
    if labelled is not None:
        return SurveyParse(scores=labelled, looks_like_answer=True, digits=digits) if len(labelled) == ELEMENTS \
            else SurveyParse(looks_like_answer=True, digits=digits)
    if not any(ch.isalpha() for ch in text):
        if len(digits) == ELEMENTS and set(digits) <= set("1234"):
            return SurveyParse(scores=tuple(int(d) for d in digits), looks_like_answer=True, digits=digits)
        return SurveyParse(looks_like_answer=_attempted_digits(digits), digits=digits)
    return SurveyParse(looks_like_answer=_attempted_in_words(text, digits), digits=digits)


def _labelled(text: str) -> tuple[int, ...] | None:
    """The scores of the "U1=4 U2=3 ..." form; () when it is tried but incomplete or out of
    range; None when the text does not use it (or has other words)."""
    found = list(_LABEL.finditer(text))
    if not found:
        return None
    rest = _LABEL.sub(" ", text)
    if any(ch.isalnum() for ch in rest):
        # Words or stray digits besides the labels: an attempt, never read as scores.
        return ()
    by_label = {}
    for match in found:
        label, score = int(match.group(1)), int(match.group(2))
        if label in by_label or not 1 <= score <= 4:
            return ()
        by_label[label] = score
    if sorted(by_label) != list(range(1, ELEMENTS + 1)):
        return ()
    return tuple(by_label[n] for n in range(1, ELEMENTS + 1))


def _attempted_digits(digits: str) -> bool:
    if not 1 <= len(digits) <= 12:
        return False
    return not (len(digits) >= 10 and digits.startswith(("08", "628")))


def _attempted_in_words(text: str, digits: str) -> bool:
    lowered = text.lower()
    if digits and any(word in lowered for word in _SURVEY_WORDS) and set(digits) & set("1234"):
        return True
    return 5 <= len(digits) <= 12 and set(digits) <= set("12345")
