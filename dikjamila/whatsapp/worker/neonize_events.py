"""neonize's event messages turned into protocol events (incoming, receipt).

Pure functions over the protobuf objects neonize hands to callbacks (`neonize.proto`), read
by attribute: this module never imports neonize, so it is cheap to import and test. The
client calls they need (download, LID lookup) come in as callables.

WhatsApp names a sender by phone number (`628...@s.whatsapp.net`) or, more and more, by a
LID (`123...@lid`, a number that is not a phone number). For a LID the phone number is taken
from the message's alternate sender when WhatsApp gives it, else asked of the session store
(`get_pn_from_lid`); when neither knows, "sender" is "" and "sender_lid" keeps the LID.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dikjamila.i18n import tr
from dikjamila.whatsapp.worker.incoming_files import display_name, store_incoming

PHONE_SERVERS = frozenset({"s.whatsapp.net", "c.us"})
SKIPPED_SERVERS = frozenset({"g.us", "broadcast", "newsletter"})  # groups, status, channels
# (field of waE2E.Message, protocol kind) of the media a resident may send.
MEDIA = (("documentMessage", "document"), ("imageMessage", "image"), ("videoMessage", "video"),
         ("audioMessage", "audio"), ("stickerMessage", "sticker"))
# Envelopes around the real content (documents with a caption, disappearing, view-once).
WRAPPERS = ("documentWithCaptionMessage", "ephemeralMessage", "viewOnceMessage",
            "viewOnceMessageV2", "viewOnceMessageV2Extension")
# Content that is bookkeeping, not something a resident wrote: not reported as incoming.
NOT_CONTENT = frozenset({"protocolMessage", "reactionMessage", "senderKeyDistributionMessage",
                         "messageContextInfo", "pollUpdateMessage", "keepInChatMessage",
                         "pinInChatMessage", "encReactionMessage"})
RECEIPT_KINDS = {"DELIVERED": "delivered", "READ": "read", "PLAYED": "read"}


def to_datetime(stamp: int) -> datetime:
    """A neonize timestamp as an aware UTC datetime (now when absent).

    neonize gives seconds for most times and milliseconds for a message's time (MessageInfo):
    a value past the year 5138 in seconds is read as milliseconds.
    """
    if not stamp:
        return datetime.now(UTC)
    return datetime.fromtimestamp(stamp / 1000 if stamp > 100_000_000_000 else stamp, UTC)


def jid_phone(jid) -> str:
    """"+62812..." for a phone-number JID, "" for anything else (LID, group, empty)."""
    if jid is not None and jid.Server in PHONE_SERVERS and jid.User.isdigit():
        return "+" + jid.User
    return ""


def resolve_sender(sender, alt, resolve_lid: Callable[[Any], Any], log: logging.Logger) -> tuple[str, str]:
    """(E.164 or "", LID JID string or "") of a message's sender."""
    phone = jid_phone(sender)
    if phone or sender.Server != "lid":
        return phone, ""
    lid = f"{sender.User}@lid"
    phone = jid_phone(alt)
    if not phone:
        try:
            phone = jid_phone(resolve_lid(sender))
        except Exception:
            log.warning("no phone number known for sender %s", lid, exc_info=True)
    return phone, lid


def _field(message, name: str):
    return getattr(message, name) if message.HasField(name) else None


def unwrap(message):
    """The message inside any envelopes (document-with-caption, ephemeral, view-once)."""
    for _ in range(5):  # envelopes nest at most a few deep
        inner = next((_field(message, name) for name in WRAPPERS if _field(message, name) is not None), None)
        if inner is None or not inner.HasField("message"):
            return message
        message = inner.message
    return message


def content_type(message) -> str:
    """The name of the message's main field ("conversation", "imageMessage", ...) or ""."""
    names = [field.name for field, _ in message.ListFields() if field.name != "messageContextInfo"]
    return names[0] if names else ""


def text_and_quote(message) -> tuple[str, str]:
    """(the text or caption, the id of the message it replies to or "")."""
    extended = _field(message, "extendedTextMessage")
    text, context = message.conversation, None
    if extended is not None:
        text, context = text or extended.text, extended.contextInfo
    for name in ("imageMessage", "documentMessage", "videoMessage", "audioMessage", "stickerMessage"):
        media = _field(message, name)
        if media is not None:
            text = text or getattr(media, "caption", "")
            context = context or media.contextInfo
    return text, (context.stanzaID if context is not None else "")


def media_of(message) -> tuple[str, Any] | None:
    """(kind, the media part) of a message carrying a file, else None."""
    for name, kind in MEDIA:
        media = _field(message, name)
        if media is not None:
            return kind, media
    return None


def message_to_incoming(ev, *, incoming_dir: Path, download: Callable[[Any], bytes],
                        resolve_lid: Callable[[Any], Any], log: logging.Logger) -> dict[str, Any] | None:
    """The `incoming` event for neonize's MessageEv `ev`, or None when it is not for us.

    Not for us: our own messages, groups, status updates, channels, and bookkeeping messages
    (reactions, protocol messages). A file is downloaded into `incoming_dir`; a download that
    fails still gives the event, with "file": null and "file_error" saying why.
    """
    info = ev.Info
    source = info.MessageSource
    if source.IsFromMe or source.IsGroup or source.Chat.Server in SKIPPED_SERVERS:
        return None
    message = unwrap(ev.Message)
    kind_name = content_type(message)
    media = media_of(message)
    text, quoted_id = text_and_quote(message)
    if kind_name in NOT_CONTENT and not text and media is None:
        log.info("message %s (%s) is not content; not reported", info.ID, kind_name)
        return None
    sender, sender_lid = resolve_sender(source.Sender, source.SenderAlt, resolve_lid, log)
    at = to_datetime(info.Timestamp)
    event = {"event": "incoming", "message_id": info.ID, "chat": jid_phone(source.Chat) or sender,
             "sender": sender, "sender_lid": sender_lid, "push_name": info.Pushname,
             "at": at.isoformat(), "text": text, "quoted_id": quoted_id, "file": None,
             "file_error": None, "content_type": kind_name}
    if media is not None:
        kind, part = media
        mime = part.mimetype
        name = display_name(getattr(part, "fileName", ""), mime, kind, info.ID)
        try:
            data = download(message)
            path = store_incoming(incoming_dir, data, message_id=info.ID, name=name, at=at)
        except Exception as exc:
            log.warning("the file of message %s could not be downloaded", info.ID, exc_info=True)
            event["file_error"] = tr("Lampiran tidak dapat diunduh dari WhatsApp: {error}", error=str(exc))
        else:
            event["file"] = {"path": str(path), "name": name, "mime": mime, "size": len(data), "kind": kind}
    return event


def receipt_event(ev, *, resolve_lid: Callable[[Any], Any], log: logging.Logger) -> dict[str, Any] | None:
    """The `receipt` event for neonize's ReceiptEv `ev`: delivered or read by the other party.

    Receipts from our own devices (read-self, played-self), retries, server errors and group
    receipts give None.
    """
    source = ev.MessageSource
    if source.IsFromMe or source.IsGroup:
        return None
    try:
        type_name = type(ev).ReceiptType.Name(ev.Type)
    except ValueError:
        return None
    kind = RECEIPT_KINDS.get(type_name)
    if kind is None:
        return None
    chat = jid_phone(source.Chat)
    if not chat:
        chat, _ = resolve_sender(source.Chat, source.SenderAlt, resolve_lid, log)
    return {"event": "receipt", "message_ids": list(ev.MessageIDs), "kind": kind, "chat": chat,
            "at": to_datetime(ev.Timestamp).isoformat()}
