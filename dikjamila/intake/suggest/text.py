"""From free text to concepts, and matching the rules of `keywords.py` against them.

Text is folded to lower-case ASCII words (accents, punctuation and emojis dropped, "2 x 3"
kept as "2x3", letters split from digits, runs of 3+ equal letters shortened). Words are
then read left to right: the longest listed phrase first, then the word itself, the word
without a suffix ("-nya", "-ku", "-mu", "-lah", "-kah", "-pun"), and last a fuzzy match for
words of 5 letters or more (typos such as "kelahiaran", "meningal").
"""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from dikjamila.intake.suggest.keywords import (
    CONCEPTS,
    FAR_FACTOR,
    NO_FUZZY,
    PHRASE_EXTRA,
    WINDOW,
)

_SUFFIXES = ("nya", "ny", "ku", "mu", "lah", "kah", "pun")
_FUZZY_MIN = 5
_FUZZY_CUTOFF = 0.82
_WA_NAME = re.compile(r"(?i)\b(img|vid|doc|aud|ptt|stk)-\d{8}-wa\d{4}\b")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass(frozen=True)
class Hit:
    """One concept found at word position `index`, from the words `surface`."""

    concept: str
    index: int
    surface: str


def _build_index() -> tuple[dict[tuple[str, ...], frozenset[str]], int]:
    index: dict[tuple[str, ...], set[str]] = {}
    for concept, phrases in CONCEPTS.items():
        for phrase in phrases:
            words = tuple(normalize(phrase).split())
            index.setdefault(words, set()).add(concept)
            index[words].update(PHRASE_EXTRA.get(phrase, ()))
    longest = max(len(words) for words in index)
    return {words: frozenset(found) for words, found in index.items()}, longest


def normalize(text: str) -> str:
    """Lower-case ASCII words separated by single spaces."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"(\d)\s*[x×*]\s*(\d)", r"\1x\2", text.casefold())
    text = re.sub(r"([a-z])\1{2,}", r"\1", text)
    return " ".join(re.findall(r"\d+x\d+|[a-z]+|\d+", text))


def file_name_text(file_name: str) -> str:
    """The words of a file name: no extension, no WhatsApp default name, camelCase split."""
    name = (file_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = _WA_NAME.sub(" ", stem)
    return _CAMEL.sub(" ", stem).replace("_", " ")


_PHRASES, _LONGEST = _build_index()
_SINGLE = {words[0]: found for words, found in _PHRASES.items() if len(words) == 1}
_FUZZY_VOCAB = sorted(word for word in _SINGLE if len(word) >= _FUZZY_MIN)


@lru_cache(maxsize=4096)
def _word_concepts(word: str) -> tuple[frozenset[str], str]:
    """Concepts of one word and the vocabulary word it was read as ('' when none)."""
    if word in _SINGLE:
        return _SINGLE[word], word
    for suffix in _SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 2 and stem in _SINGLE:
            return _SINGLE[stem], stem
    if len(word) >= _FUZZY_MIN and word not in NO_FUZZY and not word.isdigit():
        close = difflib.get_close_matches(word, _FUZZY_VOCAB, n=1, cutoff=_FUZZY_CUTOFF)
        if close and abs(len(close[0]) - len(word)) <= 2:
            return _SINGLE[close[0]], close[0]
    return frozenset(), ""


def find_concepts(text: str) -> list[Hit]:
    """Every concept in `text`, in order, with the word position where it starts."""
    words = normalize(text).split()
    hits: list[Hit] = []
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST, len(words) - i), 1, -1):
            found = _PHRASES.get(tuple(words[i:i + size]))
            if found:
                surface = " ".join(words[i:i + size])
                hits.extend(Hit(concept, i, surface) for concept in sorted(found))
                i += size
                break
        else:
            found, _ = _word_concepts(words[i])
            hits.extend(Hit(concept, i, words[i]) for concept in sorted(found))
            i += 1
    return hits


@dataclass(frozen=True)
class RuleMatch:
    """How well one rule matched: its score, how many words it spans and where it starts."""

    score: float
    span: int
    start: int
    words: tuple[str, ...]

    def key(self) -> tuple[float, int, int]:
        """Sort key, best first: higher score, then tighter span, then earlier."""
        return (-self.score, self.span, self.start)


def match_rules(hits: list[Hit],
                rules: tuple[tuple[tuple[str, ...], float], ...]) -> RuleMatch | None:
    """The best match among `rules` (concept sets with weights), or None."""
    by_concept: dict[str, list[Hit]] = {}
    for hit in hits:
        by_concept.setdefault(hit.concept, []).append(hit)
    best: RuleMatch | None = None
    for concepts, weight in rules:
        if not all(c in by_concept for c in concepts):
            continue
        choices = itertools.islice(itertools.product(*(by_concept[c] for c in concepts)), 400)
        for combo in choices:
            first = min(h.index for h in combo)
            span = max(h.index for h in combo) - first
            score = weight if span <= WINDOW else weight * FAR_FACTOR
            words = tuple(dict.fromkeys(h.surface for h in sorted(combo, key=lambda h: h.index)))
            match = RuleMatch(round(score, 3), span, first, words)
            if best is None or match.key() < best.key():
                best = match
    return best
