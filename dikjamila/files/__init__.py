"""The attachment store: content-addressed blobs, type sniffing, photo and PDF checks.

Pure Python (no Qt). See `store.AttachmentStore` for the on-disk layout and guarantees.
"""

from dikjamila.files.images import DEFAULT_MAX_PIXELS, HEIF_SUPPORTED
from dikjamila.files.pdfs import MAX_TEXT_CHARS
from dikjamila.files.sniff import HEAD_SIZE, sniff
from dikjamila.files.store import (
    DEFAULT_MAX_BYTES,
    AttachmentStore,
    BlobNotFound,
    StoredBlob,
    clean_name,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PIXELS",
    "HEAD_SIZE",
    "HEIF_SUPPORTED",
    "MAX_TEXT_CHARS",
    "AttachmentStore",
    "BlobNotFound",
    "StoredBlob",
    "clean_name",
    "sniff",
]
