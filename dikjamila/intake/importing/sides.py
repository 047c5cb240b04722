"""Who is who in an exported chat: the office's side and each resident, by number or name.

An export names each sender as the exporting phone shows them: the office phone's own
messages under the office's WhatsApp name, a resident under the contact name saved on that
phone, or their number when none was saved. The office's side is recognised by its numbers
and names in settings (`whatsapp_numbers`, `office_chat_names`, `office_name`) or a name
containing "dukcapil"; a resident written as a number gets that number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone
from dikjamila.intake.chat_export import Message, normalise

_OFFICE_WORD = re.compile(r"dukcapil|disdukcapil|capil", re.IGNORECASE)


@dataclass(frozen=True)
class Side:
    name: str  # as the export writes it
    office: bool
    phone: str = ""  # E.164 when known


def _fold(text: str) -> str:
    return " ".join(normalise(text).split()).casefold()


def _phone_of(sender: str) -> str:
    if not re.fullmatch(r"\+?[\d\s\-()]{7,}", sender):
        return ""
    try:
        return normalize_phone(sender).e164
    except InvalidInput:
        return ""


def decide_sides(messages: Iterable[Message], *, office_names: Iterable[str], office_numbers: Iterable[str],
                 resident_phone: str = "") -> dict[str, Side]:
    """Each sender of the chat → its side. Raises InvalidInput when a chat between two or more
    people shows no office side (so the office's own replies would become a resident's)."""
    names = {_fold(n) for n in office_names if n.strip()}
    numbers = set(office_numbers)
    senders = list(dict.fromkeys(m.sender for m in messages if m.sender))
    sides: dict[str, Side] = {}
    for sender in senders:
        phone = _phone_of(sender)
        office = (phone and phone in numbers) or _fold(sender) in names or bool(_OFFICE_WORD.search(sender))
        sides[sender] = Side(sender, bool(office), "" if office else phone)
    residents = [s for s in sides.values() if not s.office]
    if len(senders) >= 2 and len(residents) == len(senders):
        raise InvalidInput(tr(
            "Tidak jelas pengirim mana yang kantor di chat ini ({names}). Isi nama kantor seperti tertulis di "
            "chat pada Pengaturan → Nama kantor di chat WhatsApp (atau --kantor NAMA di baris perintah).",
            names=", ".join(senders[:4])))
    if resident_phone:
        phone = normalize_phone(resident_phone).e164
        if len(residents) != 1:
            raise InvalidInput(tr("Nomor warga hanya bisa diberikan untuk chat dengan satu warga."))
        only = residents[0]
        sides[only.name] = Side(only.name, False, phone)
    return sides
