"""Line-level recognition: message headers, and what a message body is (media, deleted…)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dikjamila.intake.chat_export.model import MessageKind

_DATE = r"(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})"
_TIME = r"(?P<h>\d{1,2})(?P<sep>[.:])(?P<m>\d{2})(?:[.:](?P<s>\d{2}))?"
_AMPM = r"(?:[ \u202f\u00a0]?(?P<ap>[AaPp])\.?[ \u202f\u00a0]?[Mm]\.?)?"
# Android: "15/02/20 08.30 - Budi: …", "2/15/20, 8:30 PM - …". iOS: "[15/02/20 08.30.12] Budi: …".
ANDROID = re.compile(rf"^{_DATE},?[ \u202f\u00a0]{_TIME}{_AMPM}[ \u202f\u00a0]-[ \u202f\u00a0](?P<rest>.*)$", re.DOTALL)
IOS = re.compile(rf"^\u200e?\[{_DATE},?[ \u202f\u00a0]{_TIME}{_AMPM}\][ \u202f\u00a0](?P<rest>.*)$", re.DOTALL)
# Marks removed before matching a header; U+200E is kept: at a body's start it means "generated".
HEADER_NOISE = re.compile("[\u200f\u202a-\u202e\u2066-\u2069\ufeff\u2060]")


@dataclass(frozen=True, slots=True)
class Header:
    platform: str
    a: int
    b: int
    year: int
    hour: int
    minute: int
    ampm: str | None  # "a" / "p"
    ampm_text: str  # as written ("a. m.", "PM"…), "" for 24 h
    separator: str
    rest: str  # "Sender: body" or a system text


def match_header(line: str) -> Header | None:
    """The header of a message line, or None for a continuation line."""
    clean = HEADER_NOISE.sub("", line)
    for platform, pattern in (("ios", IOS), ("android", ANDROID)):
        if found := pattern.match(clean):
            year = int(found["y"])
            ap = found["ap"].lower() if found["ap"] else None
            spelling = ""
            if ap:
                spelling = "a. m." if re.match(r"[ap]\.[ \u202f\u00a0]m\.", clean[found.start("ap"):], re.IGNORECASE) else "AM"
            return Header(platform, int(found["a"]), int(found["b"]), year + 2000 if year < 100 else year,
                          int(found["h"]), int(found["m"]), ap, spelling, found["sep"], found["rest"])
    return None


_NOTICE = re.compile(r"^\u200e?(?:messages and calls are end-to-end|pesan dan panggilan terenkripsi|"
                     r"messages to this group are now secured|your security code|kode keamanan)", re.IGNORECASE)
_SENDER = re.compile(r"^(?P<sender>[^:\n]{1,80}?):(?: |\u200e|$)?(?P<body>.*)$", re.DOTALL)


def split_sender(rest: str) -> tuple[str | None, str, bool]:
    """(sender, body, generated) from the part after the header; sender None for system lines.

    `generated` is the iOS U+200E mark at the body's start (WhatsApp wrote the body).
    """
    found = _SENDER.match(rest)
    if not found or _NOTICE.match(rest) or any(q in found["sender"] for q in '"“”'):
        return None, rest.replace("\u200e", ""), True
    body = found["body"]
    generated = body.startswith("\u200e")
    sender = found["sender"].replace("\u200e", "").replace("\u2011", "-").strip()
    sender = re.sub(r"^~[ \u202f\u00a0]*", "", sender)
    return sender, body.replace("\u200e", ""), generated


_WS = "[ \u202f\u00a0]"
_OMITTED = re.compile(
    rf"^(?:(?P<doc>.+?){_WS}•{_WS}.*?{_WS})?<?(?:media|image|video|audio|sticker|gif|document|"
    rf"contact card|gambar|foto|dokumen|stiker|kartu kontak)(?:{_WS}omitted|{_WS}tidak disertakan)>?$", re.IGNORECASE)
_IOS_ATTACHED = re.compile(rf"^(?:.+?{_WS}•{_WS}.*?{_WS}?)?<(?:attached|terlampir|lampiran):{_WS}(?P<name>[^>]+)>"
                           rf"{_WS}?(?P<caption>.*)$", re.IGNORECASE | re.DOTALL)
_ANDROID_ATTACHED = re.compile(r"^(?P<name>[^\n]+?\.\w{1,6})[ \u202f\u00a0]\((?:file attached|file terlampir)\)"
                               r"[ \t]*\n?(?P<caption>.*)$", re.IGNORECASE | re.DOTALL)
_DOC_PAGES = re.compile(rf"^(?P<name>[^\n]+?\.\w{{1,6}}){_WS}•{_WS}\d+{_WS}(?:page|pages|halaman)$", re.IGNORECASE)
_DELETED = re.compile(r"^(?:this message was deleted|you deleted this message|pesan ini telah dihapus|"
                      r"pesan ini dihapus|anda menghapus pesan ini)\.?$", re.IGNORECASE)
_EDITED = re.compile(r"[ \u202f\u00a0]*<(?:this message was edited|pesan ini diedit)>$", re.IGNORECASE)
INDONESIAN = re.compile(r"\b(?:terlampir|lampiran|disertakan|dihapus|diedit|terenkripsi|pesan|menambahkan|"
                        r"keluar|membuat grup|bergabung|gambar|dokumen|halaman)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Body:
    kind: MessageKind
    text: str
    attachment: str | None = None
    edited: bool = False


def classify(body: str, generated: bool) -> Body:
    """What a (multi-line) body is. `generated` bodies that are nothing else are system text."""
    text = body.strip()
    edited = bool(_EDITED.search(text))
    if edited:
        text = _EDITED.sub("", text).strip()
    first = text.split("\n", 1)[0].strip()
    if _DELETED.match(first) and "\n" not in text:
        return Body(MessageKind.DELETED, "", None, edited)
    if found := _OMITTED.match(first):
        rest = text.split("\n", 1)[1].strip() if "\n" in text else ""
        doc = found["doc"].strip() if found["doc"] else None
        return Body(MessageKind.OMITTED, rest, doc, edited)
    for pattern in (_IOS_ATTACHED, _ANDROID_ATTACHED):
        if found := pattern.match(text):
            return Body(MessageKind.MEDIA, found["caption"].strip(), found["name"].strip(), edited)
    if found := _DOC_PAGES.match(first):
        rest = text.split("\n", 1)[1].strip() if "\n" in text else ""
        return Body(MessageKind.MEDIA, rest, found["name"].strip(), edited)
    if generated:
        return Body(MessageKind.SYSTEM, text)
    return Body(MessageKind.TEXT, text, None, edited)
