"""Chat-export parser: every line format of DOMAIN.md, the shared fixtures, day/month order, keys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dikjamila.intake.chat_export import MessageKind, message_key, parse_chat

# Copies of ../shared/fixtures/whatsapp (chat-miner samples; their licence is beside them).
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "whatsapp"
K = MessageKind

ANDROID_ID_LINES = [
    ("\ufeff15/02/20 08.29 - Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar "
     "chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya."),
    "15/02/20 08.30 - Budi Santoso: Selamat pagi, saya mau urus akta kelahiran",
    "anak saya",
    "15/02/20 08.31 - Budi Santoso: IMG-20200215-WA0001.jpg (file terlampir)",
    "ini KK saya",
    "15/02/20 08.32 - \u202a+62 812\u20113456\u20117890\u202c: KK keluarga.pdf (file terlampir)",
    "15/02/20 08.33 - ~\u202fAni: <Media tidak disertakan>",
    "15/02/20 08.34 - Budi Santoso: Pesan ini telah dihapus",
    "15/02/20 08.35 - Budi Santoso: Anda menghapus pesan ini",
    "15/02/20 08.36 - Budi Santoso: sudah saya kirim <Pesan ini diedit>",
    "15/02/20 08.37 - Budi Santoso menambahkan Ani",
    "15/02/20 13.05 - Ani: oke",
]
ANDROID_ID = "\r\n".join(ANDROID_ID_LINES)

IOS_ID_LINES = [
    "[15/02/20 08.30.12] Budi Santoso: \u200ePesan dan panggilan terenkripsi secara end-to-end.",
    "[15/02/20 08.31.00] Budi Santoso: \u200e<terlampir: 00000013-KK.pdf>",
    "\u200e[15/02/20 08.32.00] Budi Santoso: \u200eKK.pdf \u2022 \u200e1 halaman \u200e<terlampir: 00000014-KK.pdf>",
    "[15/02/20 08.33.00] Budi Santoso: KK.pdf \u2022 1 halaman",
    "[15/02/20 08.34.00] Budi Santoso: \u200egambar tidak disertakan",
    "[15/02/20 08.35.00] Budi Santoso: \u200edokumen tidak disertakan",
    "[15/02/20 08.36.00] Budi Santoso: \u200ePesan ini dihapus.",
    "[15/02/20 08.37.00] Keluarga Santoso: \u200eBudi menambahkan Ani",
    "[15/02/20 08.38.00] Budi Santoso: \u200e<lampiran: 00000015-PHOTO-2020-02-15-08-38-00.jpg> akta lama",
    "[15/02/20 08.39.59] Budi Santoso: halo <Pesan ini diedit>",
]
IOS_ID = "\n".join(IOS_ID_LINES)

ANDROID_EN_LINES = [
    ("2/15/20, 8:30\u202fPM - Messages and calls are end-to-end encrypted. No one outside of this chat, "
     "not even WhatsApp, can read or listen to them. Tap to learn more."),
    "2/15/20, 8:31\u202fPM - Budi: IMG-20200215-WA0002.jpg (file attached)",
    "my KK",
    "2/15/20, 8:32\u202fPM - Budi: <Media omitted>",
    "2/15/20, 8:33\u202fPM - Budi: This message was deleted",
    "2/15/20, 8:34\u202fPM - Budi: You deleted this message",
    "2/15/20, 12:05\u202fAM - Budi: fixed <This message was edited>",
    "2/15/20, 12:06\u202fPM - Budi added Ani",
]
ANDROID_EN = "\n".join(ANDROID_EN_LINES)

IOS_EN_LINES = [
    "[2/15/20, 8:30:12\u202fPM] Budi: \u200e<attached: 00000013-PHOTO-2020-02-15-20-30-12.jpg>",
    "[2/15/20, 8:31:00\u202fPM] Budi: \u200eKK.pdf \u2022 \u200e2 pages \u200edocument omitted",
    "[2/15/20, 8:32:00\u202fPM] Budi: \u200eimage omitted",
    "[2/15/20, 8:33:00\u202fPM] Budi: \u200eThis message was deleted.",
]
IOS_EN = "\n".join(IOS_EN_LINES)


def _rows(chat):
    return [(m.at, m.sender, m.kind, m.text, m.attachment, m.edited) for m in chat.messages]


def test_android_indonesian_every_case():
    chat = parse_chat(ANDROID_ID)
    at = lambda minute, hour=8: dt.datetime(2020, 2, 15, hour, minute)
    assert _rows(chat) == [
        (at(29), None, K.SYSTEM, chat.messages[0].text, None, False),
        (at(30), "Budi Santoso", K.TEXT, "Selamat pagi, saya mau urus akta kelahiran\nanak saya", None, False),
        (at(31), "Budi Santoso", K.MEDIA, "ini KK saya", "IMG-20200215-WA0001.jpg", False),
        (at(32), "+62 812-3456-7890", K.MEDIA, "", "KK keluarga.pdf", False),
        (at(33), "Ani", K.OMITTED, "", None, False),
        (at(34), "Budi Santoso", K.DELETED, "", None, False),
        (at(35), "Budi Santoso", K.DELETED, "", None, False),
        (at(36), "Budi Santoso", K.TEXT, "sudah saya kirim", None, True),
        (at(37), None, K.SYSTEM, "Budi Santoso menambahkan Ani", None, False),
        (at(5, 13), "Ani", K.TEXT, "oke", None, False),
    ]
    assert chat.messages[0].text.startswith("Pesan dan panggilan terenkripsi")
    assert chat.messages[3].sender_phone == "6281234567890"
    fmt = chat.format
    assert (fmt.platform, fmt.day_first, fmt.order_source, fmt.time_separator) == ("android", True, "values", ".")
    assert "id" in fmt.hints and not chat.ambiguous and not fmt.clock_12h


def test_ios_indonesian_every_case():
    chat = parse_chat(IOS_ID)
    got = [(m.at.minute, m.sender, m.kind, m.text, m.attachment, m.edited) for m in chat.messages]
    assert got == [
        (30, None, K.SYSTEM, "Pesan dan panggilan terenkripsi secara end-to-end.", None, False),
        (31, "Budi Santoso", K.MEDIA, "", "00000013-KK.pdf", False),
        (32, "Budi Santoso", K.MEDIA, "", "00000014-KK.pdf", False),
        (33, "Budi Santoso", K.MEDIA, "", "KK.pdf", False),
        (34, "Budi Santoso", K.OMITTED, "", None, False),
        (35, "Budi Santoso", K.OMITTED, "", None, False),
        (36, "Budi Santoso", K.DELETED, "", None, False),
        (37, None, K.SYSTEM, "Budi menambahkan Ani", None, False),
        (38, "Budi Santoso", K.MEDIA, "akta lama", "00000015-PHOTO-2020-02-15-08-38-00.jpg", False),
        (39, "Budi Santoso", K.TEXT, "halo", None, True),
    ]
    assert chat.messages[-1].at == dt.datetime(2020, 2, 15, 8, 39)  # seconds dropped
    assert chat.format.platform == "ios" and chat.format.day_first


def test_android_english_12h_narrow_space():
    chat = parse_chat(ANDROID_EN)
    assert [(m.at.hour, m.at.minute, m.kind) for m in chat.messages] == [
        (20, 30, K.SYSTEM), (20, 31, K.MEDIA), (20, 32, K.OMITTED), (20, 33, K.DELETED),
        (20, 34, K.DELETED), (0, 5, K.TEXT), (12, 6, K.SYSTEM)]
    assert chat.messages[1].text == "my KK" and chat.messages[1].attachment == "IMG-20200215-WA0002.jpg"
    assert chat.messages[5].edited and chat.messages[5].text == "fixed"
    assert chat.messages[0].at.date() == dt.date(2020, 2, 15)
    assert (chat.format.day_first, chat.format.order_source, chat.format.clock_12h) == (False, "values", True)


def test_ios_english():
    chat = parse_chat(IOS_EN)
    assert [(m.kind, m.attachment) for m in chat.messages] == [
        (K.MEDIA, "00000013-PHOTO-2020-02-15-20-30-12.jpg"), (K.OMITTED, "KK.pdf"), (K.OMITTED, None),
        (K.DELETED, None)]
    assert chat.messages[0].at == dt.datetime(2020, 2, 15, 20, 30)
    assert chat.format.platform == "ios"


@pytest.mark.parametrize(("name", "day_first", "platform"), [
    ("cm_android_ddmmyy_24h.txt", True, "android"),
    ("cm_android_mmddyyyy_12h_am_dotted.txt", False, "android"),
    ("cm_ios_brackets_mmddyy_24h.txt", False, "ios"),
])
def test_shared_fixtures(name, day_first, platform):
    chat = parse_chat((FIXTURES / name).read_text("utf-8"))
    assert len(chat.messages) == 9
    assert (chat.format.platform, chat.format.day_first, chat.format.order_source) == (platform, day_first, "values")
    assert [m.at for m in chat.messages] == [
        dt.datetime(2019, 1, 1, 11, 25), dt.datetime(2019, 1, 20, 11, 23), dt.datetime(2019, 1, 30, 20, 49),
        dt.datetime(2020, 6, 10, 15, 55), dt.datetime(2020, 6, 20, 0, 8), dt.datetime(2020, 6, 30, 9, 10),
        dt.datetime(2021, 12, 10, 10, 10), dt.datetime(2021, 12, 20, 12, 10), dt.datetime(2021, 12, 30, 22, 1)]
    assert [m.sender for m in chat.messages] == [
        "John Doe", "John Doe", "Jahn Doe", "John-John Doe", None, None, "John Doe 🤓", "🤓", "John Doe"]
    assert [m.kind for m in chat.messages].count(K.SYSTEM) == 2
    assert chat.messages[1].text == "."
    assert chat.messages[2].text == "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit. Duis libero."
    assert chat.messages[3].text == "Lorem ipsum : dolor sit amet."
    if "am_dotted" in name:
        assert "a. m." in chat.format.hints


def test_order_from_hints_and_ambiguity():
    indonesian = "05/02/20 08.30 - Budi: <Media tidak disertakan>\n06/02/20 08.31 - Budi: Pesan ini dihapus"
    chat = parse_chat(indonesian)
    assert (chat.format.order_source, chat.format.day_first) == ("hints", True)
    assert chat.messages[0].at == dt.datetime(2020, 2, 5, 8, 30)
    us = parse_chat("1/2/20, 8:30 PM - Budi: hi")
    assert (us.format.order_source, us.format.day_first) == ("hints", False)
    assert us.messages[0].at == dt.datetime(2020, 1, 2, 20, 30)
    plain = "01/02/2020, 10:00 - Budi: hi\n03/04/2020, 10:01 - Ani: yo"
    assert parse_chat(plain).ambiguous
    asked = parse_chat(plain, day_first=False)
    assert not asked.ambiguous and asked.format.order_source == "caller"
    assert [m.at.date() for m in asked.messages] == [dt.date(2020, 1, 2), dt.date(2020, 3, 4)]
    assert parse_chat(plain, day_first=True).messages[1].at.date() == dt.date(2020, 4, 3)
    # the caller overrides even values above 12
    wrong = parse_chat("15/02/20 08.30 - Budi: x", day_first=False)
    assert wrong.messages == () and "tanggal tidak valid" in wrong.warnings[0]


def test_keys_stable_and_normalised():
    first = [m.key() for m in parse_chat(ANDROID_ID).messages]
    lf = ANDROID_ID.replace("\r\n", "\n").removeprefix("\ufeff")
    assert [m.key() for m in parse_chat(lf).messages] == first
    assert len(set(first)) == len(first)
    when = dt.datetime(2020, 2, 15, 8, 30, 45)
    key = message_key("Budi Santoso", when, "halo  pak\r\n")
    assert key == message_key("\u202abudi santoso\u202c", when.replace(second=0), "halo pak")
    assert len(key) == 64 and int(key, 16) >= 0
    assert key != message_key("Budi Santoso", when, "halo pak", "ab" * 32)
    assert key != message_key("Budi Santoso", when + dt.timedelta(minutes=1), "halo pak")
