"""The identity of one intended message, so it is queued once.

The key is a hash of what makes a message the same message: who it belongs to (the request,
or the incoming message it answers), the recipient, the template (purpose), the text and the
sha256 of the document. A double click, two workstations or a restart compute the same key;
a different text is a different message. "Kirim lagi" is a new message on purpose: its key
is the original's with a suffix, so a double click on "Kirim lagi" still makes one.
"""

from __future__ import annotations

import hashlib


def intent_key(*, request_uuid: str | None, in_reply_to_id: int | None, recipient: str, template: str,
               text: str, document_sha256: str | None) -> str:
    owner = f"req:{request_uuid}" if request_uuid else f"in:{in_reply_to_id}"
    parts = [owner, recipient, template, text, document_sha256 or ""]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def resend_key(original_key: str) -> str:
    """The key of the item made by "Kirim lagi" of the item with `original_key`."""
    return hashlib.sha256(f"{original_key}|kirim-lagi".encode()).hexdigest()
