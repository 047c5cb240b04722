"""Grouping one sender's messages into submissions, and the text a submission's files came with.

A resident sends a request as a burst: a few lines of text and several photos within minutes.
Messages closer together than the conversation window (a setting, default 30 minutes) are one
submission; a longer silence starts the next. Pure functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

#: Neighbouring text given to a file's requirement suggestion is cut to this many characters.
CONTEXT_CHARS = 400


def split_bursts[T](messages: Sequence[T], window: timedelta, at: Callable[[T], datetime]) -> list[list[T]]:
    """`messages` (sorted by `at`) cut wherever the gap to the previous one exceeds `window`."""
    bursts: list[list[T]] = []
    for message in messages:
        if bursts and at(message) - at(bursts[-1][-1]) <= window:
            bursts[-1].append(message)
        else:
            bursts.append([message])
    return bursts


def neighbouring_text(texts: Sequence[str], index: int, *, reach: int = 2) -> str:
    """The texts of the messages around position `index` (not its own), nearest first.

    "ini KK saya" before a photo, "yang kedua akta" after it: residents name a file in the
    message next to it more often than in its caption.
    """
    picked: list[str] = []
    for distance in range(1, reach + 1):
        for position in (index - distance, index + distance):
            if 0 <= position < len(texts) and texts[position].strip():
                picked.append(texts[position].strip())
    return "\n".join(picked)[:CONTEXT_CHARS]
