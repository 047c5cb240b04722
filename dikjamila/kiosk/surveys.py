"""IKM scores given at the kiosk (U1–U9, each 1–4 on the smiley scale), checked and kept to be
delivered like submissions. The office matches them to the request (number + last 4 digits)
and records them only for a finished request (`desk.kiosk_intake`)."""

from __future__ import annotations

import json
import uuid

from dikjamila.db.types import utcnow
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.kiosk.numbers import clean_number

ELEMENTS = tuple(f"U{n}" for n in range(1, 10))


def survey_row(number: str, phone_last4: str, scores: dict[str, int]) -> dict:
    """The local `surveys` row for these answers; InvalidInput (Indonesian) naming what is wrong."""
    number, last4 = clean_number(number), "".join(str(phone_last4).split())
    if not number:
        raise InvalidInput(tr("Nomor permohonan belum diisi."))
    if not (len(last4) == 4 and last4.isascii() and last4.isdigit()):
        raise InvalidInput(tr("Isi 4 angka terakhir nomor HP yang dipakai saat mendaftar."))
    given = {str(k).upper(): v for k, v in scores.items()}
    if unknown := sorted(set(given) - set(ELEMENTS)):
        raise InvalidInput(tr("Pertanyaan survei tidak dikenal: {names}.", names=", ".join(unknown)))
    values = []
    for element in ELEMENTS:
        value = given.get(element)
        if value is None:
            raise InvalidInput(tr("Pertanyaan {element} belum dijawab.", element=element))
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
            raise InvalidInput(tr("Nilai {element} harus 1, 2, 3, atau 4.", element=element))
        values.append(value)
    return {"uuid": str(uuid.uuid4()), "number": number, "phone_last4": last4, "scores_json": json.dumps(values),
            "answered_at": utcnow(), "delivered_at": None}
