"""The guards on a status move: pure functions of what is known about a request.

The desk gathers the facts (the completeness report, the issued PDF and its text) and asks
here; the editor's action bar asks the same functions with what it has loaded, so a button
and the desk never disagree on the rule. Nothing here reads or writes the database.
"""

from __future__ import annotations

from dikjamila.documents.belongs import belongs_problem
from dikjamila.i18n import tr
from dikjamila.lifecycle import Status
from dikjamila.sop import CompletenessReport

#: The shortest reason accepted for a rejection or a checklist override.
MIN_REASON = 5


def move_blocker(target: str, *, ends_in_pickup: bool, report: CompletenessReport | None,
                 has_issued_pdf: bool, issued_pdf_text: str | None = None,
                 niks: frozenset[str] = frozenset(), kk_number: str = "") -> str | None:
    """Why the move to `target` is not allowed yet (Indonesian), or None.

    Rules: `diproses` needs a complete checklist (`report`; None means not checked, which
    blocks); `terbit` and `terkirim` need an issued PDF unless the service ends in a pickup;
    `terkirim` also needs that PDF to name one of the request's NIKs or its KK number when it
    names any (checked only when `issued_pdf_text` is given: the desk reads it, a button cannot).
    """
    if target == Status.DIPROSES:
        if report is None:
            return tr("Hasil pemeriksaan SOP belum ada.")
        if not report.complete:
            return tr("Berkas belum lengkap: {missing}.", missing="; ".join(i.label for i in report.missing()))
    if target in (Status.TERBIT, Status.TERKIRIM) and not ends_in_pickup:
        if not has_issued_pdf:
            return tr("Lampirkan dulu PDF dokumen yang terbit.")
        if target == Status.TERKIRIM and issued_pdf_text is not None:
            return belongs_problem(issued_pdf_text, niks=set(niks), kk_number=kk_number)
    return None


def reason_problem(reason: str, *, what: str) -> str | None:
    """Why a written reason (for `what`, e.g. "penolakan") is not enough, or None."""
    if len(reason.strip()) < MIN_REASON:
        return tr("Alasan {what} wajib diisi dengan jelas.", what=what)
    return None
