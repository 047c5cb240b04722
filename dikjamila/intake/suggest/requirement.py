"""Which requirement of a request's SOP a file the resident sent most likely satisfies."""

from __future__ import annotations

from dataclasses import dataclass

from dikjamila.intake.suggest.keywords import MIN_SCORE, REQUIREMENT_RULES
from dikjamila.intake.suggest.text import (
    RuleMatch,
    file_name_text,
    find_concepts,
    match_rules,
)
from dikjamila.sop.model import Sop

#: How much each source counts: the caption is the resident speaking about this very file,
#: the file name is next, text sent around it may be about another file.
SOURCE_WEIGHTS = {"caption": 1.0, "file_name": 0.95, "neighbouring_text": 0.7}
_FULL_SCORE = 3.0


@dataclass(frozen=True)
class RequirementSuggestion:
    """A suggested checklist line for one file, for the operator to confirm with one click.

    `source` says where the words were found ("caption", "file_name" or
    "neighbouring_text"); `matched` are those words, as normalised.
    """

    code: str
    confidence: float
    matched: tuple[str, ...]
    source: str


def _best_per_code(text: str, codes: list[str]) -> dict[str, RuleMatch]:
    hits = find_concepts(text)
    found = {}
    for code in codes:
        match = match_rules(hits, REQUIREMENT_RULES[code])
        if match is not None:
            found[code] = match
    return found


def suggest_requirement(file_name: str, caption: str, neighbouring_text: str,
                        sop: Sop) -> RequirementSuggestion | None:
    """The requirement of `sop` that the file most likely answers, or None when unsure.

    Each source is read on its own and weighted (`SOURCE_WEIGHTS`); the best requirement
    wins unless another one scores the same (e.g. "ktp" alone where both the father's and
    the mother's KTP are asked), in which case nothing is suggested. WhatsApp's default file
    names ("IMG-20261201-WA0003.jpg") carry no hint.
    """
    codes = [r.code for r in sop.requirements if r.code in REQUIREMENT_RULES]
    sources = {"caption": caption, "file_name": file_name_text(file_name),
               "neighbouring_text": neighbouring_text}
    scored: dict[str, tuple[float, RuleMatch, str]] = {}
    for source, text in sources.items():
        if not text or not text.strip():
            continue
        for code, match in _best_per_code(text, codes).items():
            score = round(match.score * SOURCE_WEIGHTS[source], 3)
            if code not in scored or (score, -match.span) > (scored[code][0],
                                                             -scored[code][1].span):
                scored[code] = (score, match, source)
    if not scored:
        return None
    ranked = sorted(scored.items(), key=lambda item: (-item[1][0], item[1][1].span,
                                                      item[1][1].start))
    code, (score, match, source) = ranked[0]
    if score < MIN_SCORE:
        return None
    confidence = min(1.0, score / _FULL_SCORE)
    if len(ranked) > 1:
        second, second_match, second_source = ranked[1][1]
        if second == score and second_match.span == match.span and second_source == source:
            return None
        confidence *= 1 - 0.5 * second / score
    return RequirementSuggestion(code=code, confidence=round(confidence, 2),
                                 matched=match.words, source=source)
