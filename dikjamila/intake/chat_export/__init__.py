"""WhatsApp chat-export reading (Android/iOS, Indonesian/English): our own parser, safe zip reading.

Pure functions, no database: `parse_chat(text)`, `read_export(path)`, `message_key(...)`.
"""

from dikjamila.intake.chat_export.archive import decode_chat, read_export
from dikjamila.intake.chat_export.keys import content_key, message_key, normalise
from dikjamila.intake.chat_export.model import (
                                                ChatFormat,
                                                ExportBundle,
                                                Message,
                                                MessageKind,
                                                ParsedChat,
                                                ZipLimits,
)
from dikjamila.intake.chat_export.parser import parse_chat

__all__ = ["ChatFormat", "ExportBundle", "Message", "MessageKind", "ParsedChat", "ZipLimits", "content_key", "decode_chat",
           "message_key", "normalise", "parse_chat", "read_export"]
