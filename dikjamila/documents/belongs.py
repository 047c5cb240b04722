"""Does an issued PDF belong to this request? A guard before it is marked sent.

The PDF's own text is the evidence: a NIK printed in it must be one of the request's.
A scan without text cannot be checked this way and passes (the operator looked at it).
"""

from __future__ import annotations

import re

from dikjamila.i18n import tr

_NIK_IN_TEXT = re.compile(r"(?<!\d)(\d{16})(?!\d)")


def belongs_problem(pdf_text: str, *, niks: set[str], kk_number: str = "") -> str | None:
    """A reason (Indonesian) the PDF seems to be someone else's, or None."""
    compact = re.sub(r"(?<=\d)[ .\-](?=\d)", "", pdf_text or "")
    found = set(_NIK_IN_TEXT.findall(compact))
    if not found:
        return None
    known = {n for n in niks if n} | ({kk_number} if kk_number else set())
    if found & known:
        return None
    return tr("PDF terbit memuat NIK/nomor {found}, bukan milik permohonan ini. Periksa apakah berkasnya tertukar.",
              found=", ".join(sorted(found)[:3]))
