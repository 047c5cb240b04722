"""Turn what an operator types in the search box into search terms (dialect-neutral)."""

import re

_PHONEISH = re.compile(r"^[\d\s+\-().]+$")
_WORD = re.compile(r"\w+", re.UNICODE)


def search_terms(text: str) -> list[str]:
    """Words to match by prefix, lower-cased.

    A query made only of digits and phone punctuation ("0812-3456", "+62 812 34") is one
    term: its digits, so a phone number or NIK typed with spaces still matches.
    """
    text = text.strip()
    if not text:
        return []
    if _PHONEISH.match(text):
        digits = re.sub(r"\D", "", text)
        return [digits] if digits else []
    return [w.lower() for w in _WORD.findall(text)]
