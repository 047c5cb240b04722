"""`parse_chat`: a WhatsApp export's text (Android or iOS, Indonesian or English) to messages."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from dikjamila.i18n import tr
from dikjamila.intake.chat_export.keys import normalise
from dikjamila.intake.chat_export.lines import (
    INDONESIAN,
    Header,
    classify,
    match_header,
    split_sender,
)
from dikjamila.intake.chat_export.model import (
    ChatFormat,
    Message,
    MessageKind,
    ParsedChat,
)

_NEWLINE = re.compile(r"\r\n|\r|\n")


def parse_chat(text: str, *, day_first: bool | None = None) -> ParsedChat:
    """Messages of an export. `day_first` (asked of the user) overrides the detected order."""
    text = text.removeprefix("\ufeff")
    blocks: list[tuple[int, Header, list[str]]] = []
    warnings: list[str] = []
    orphans = 0
    for number, line in enumerate(_NEWLINE.split(text), start=1):
        header = match_header(line)
        if header is not None:
            blocks.append((number, header, []))
        elif blocks:
            blocks[-1][2].append(line)
        elif line.strip():
            orphans += 1
    if orphans:
        warnings.append(tr("{count} baris sebelum pesan pertama dilewati.", count=orphans))
    fmt = _detect_format([b[1] for b in blocks], text, day_first)
    messages = []
    for number, header, more in blocks:
        at = _datetime(header, fmt.day_first)
        if at is None:
            warnings.append(tr("Baris {line}: tanggal tidak valid, dilewati.", line=number))
            continue
        sender, body, generated = split_sender(header.rest)
        body = "\n".join([body, *more]).rstrip()
        found = classify(body, generated or sender is None)
        if found.kind is MessageKind.SYSTEM:
            sender = None
        text_out = normalise(found.text).replace("\r", "")
        messages.append(Message(at, sender and normalise(sender), text_out, found.kind,
                                found.attachment and normalise(found.attachment), found.edited, number))
    return ParsedChat(tuple(messages), fmt, tuple(warnings))


def _datetime(header: Header, day_first: bool) -> dt.datetime | None:
    day, month = (header.a, header.b) if day_first else (header.b, header.a)
    hour = header.hour
    if header.ampm == "a" and hour == 12:
        hour = 0
    elif header.ampm == "p" and hour < 12:
        hour += 12
    try:
        return dt.datetime(header.year, month, day, hour, header.minute)
    except ValueError:
        return None


def _detect_format(headers: list[Header], text: str, day_first: bool | None) -> ChatFormat:
    if not headers:
        return ChatFormat("unknown", day_first if day_first is not None else True,
                          "caller" if day_first is not None else "ambiguous", False, ":")
    platform = Counter(h.platform for h in headers).most_common(1)[0][0]
    separator = Counter(h.separator for h in headers).most_common(1)[0][0]
    clock_12h = any(h.ampm for h in headers)
    hints = ["12h" if clock_12h else "24h"]
    if any(h.ampm_text == "a. m." for h in headers):
        hints.append("a. m.")
    if separator == ".":
        hints.append("dot-time")
    sample = text[:200_000]
    if len(INDONESIAN.findall(sample)) >= 2:
        hints.append("id")
    if day_first is not None:
        return ChatFormat(platform, day_first, "caller", clock_12h, separator, tuple(hints))
    first_big = any(h.a > 12 for h in headers)
    second_big = any(h.b > 12 for h in headers)
    if first_big != second_big:
        return ChatFormat(platform, first_big, "values", clock_12h, separator, tuple(hints))
    if first_big and second_big:
        hints.append("conflicting-values")
        return ChatFormat(platform, True, "ambiguous", clock_12h, separator, tuple(hints))
    if "id" in hints or "dot-time" in hints:
        return ChatFormat(platform, True, "hints", clock_12h, separator, tuple(hints))
    if clock_12h:  # 12-hour clocks with m/d/y: en-US, es-US ("a. m.")
        return ChatFormat(platform, False, "hints", clock_12h, separator, tuple(hints))
    return ChatFormat(platform, True, "ambiguous", clock_12h, separator, tuple(hints))
