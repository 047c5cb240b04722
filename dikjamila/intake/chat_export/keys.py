"""Stable identity of an exported message: sender + minute + text (+ file sha256)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

# Marks that export tools add invisibly: LRM/RLM, embedding/override/isolates, BOM, word joiner.
INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u2060]")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFC, invisible marks removed, U+2011 as "-", no-break spaces as spaces, trimmed."""
    text = unicodedata.normalize("NFC", INVISIBLE.sub("", text))
    return text.replace("\u2011", "-").replace("\u202f", " ").replace("\u00a0", " ").strip()


def message_key(sender: str, minute: dt.datetime, text: str, file_sha256: str | None = None) -> str:
    """sha256 hex of the normalised sender, the minute (seconds dropped) and the text.

    Sender is case-folded with spaces collapsed, and a "~ " prefix dropped; text has its runs of
    whitespace collapsed, so CRLF/LF and trailing spaces do not change the key.
    """
    who = _SPACES.sub(" ", normalise(sender)).lstrip("~ ").casefold()
    when = minute.replace(second=0, microsecond=0, tzinfo=None).strftime("%Y-%m-%dT%H:%M")
    body = _SPACES.sub(" ", normalise(text))
    parts = [who, when, body, (file_sha256 or "").strip().lower()]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def content_key(local_minute: dt.datetime, text: str) -> str:
    """`message_key` without sender or file: what an exported message and the same message
    received live share (an export names the contact as saved on the office phone, a live
    message carries the number; files are matched apart, by sha256). `local_minute` is office
    time (WITA), as exports write it."""
    return message_key("", local_minute, text)
