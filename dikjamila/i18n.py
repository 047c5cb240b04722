"""Translation hook for user-facing text.

Texts are written in Bahasa Indonesia in the source and passed through `tr()`, so a
catalogue can later translate them (e.g. into Banjar or English) without touching callers.
"""

from collections.abc import Mapping

_catalogue: dict[str, str] = {}


def install_catalogue(entries: Mapping[str, str]) -> None:
    """Replace the active translations (source text -> translated text)."""
    _catalogue.clear()
    _catalogue.update(entries)


def tr(text: str, /, **values: object) -> str:
    """Translate `text` and fill its `{name}` placeholders from `values`."""
    translated = _catalogue.get(text, text)
    return translated.format(**values) if values else translated
