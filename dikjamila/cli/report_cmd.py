"""Commands for generated documents (filled in by issue 9)."""

from __future__ import annotations


def register(sub) -> None:
    """Add this module's commands to the `dikjamila` parser."""
