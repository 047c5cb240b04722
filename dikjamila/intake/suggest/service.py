"""Which service a resident's first message(s) most likely ask for."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from dikjamila.intake.suggest.keywords import MIN_SCORE, SERVICE_RULES
from dikjamila.intake.suggest.text import RuleMatch, find_concepts, match_rules

#: A score at or above this counts as "clearly this service" (confidence 1 before ties).
_FULL_SCORE = 3.0


@dataclass(frozen=True)
class ServiceSuggestion:
    """A suggested service for the operator to confirm.

    `confidence` is 0..1 (lower when the words are weak, far apart, or another service
    matched almost as well); `matched` are the words that led to it, as normalised;
    `runner_up` is the next best service code, if any matched.
    """

    code: str
    confidence: float
    matched: tuple[str, ...]
    runner_up: str | None = None


def _confidence(best: RuleMatch, second: RuleMatch | None) -> float:
    strength = min(1.0, best.score / _FULL_SCORE)
    if second is None:
        return round(strength, 2)
    return round(strength * (1 - 0.5 * second.score / best.score), 2)


def rank_services(text: str, catalog: Container[str]) -> list[tuple[str, RuleMatch]]:
    """Every catalog service whose rules match `text`, best first."""
    hits = find_concepts(text)
    found = [(code, match) for code, rules in SERVICE_RULES.items()
             if code in catalog and (match := match_rules(hits, rules)) is not None]
    return sorted(found, key=lambda item: item[1].key())


def suggest_service(text: str, catalog: Container[str]) -> ServiceSuggestion | None:
    """The most likely service of `catalog` for `text`, or None when nothing matches well.

    `catalog` is a `dikjamila.sop.Catalog` (anything answering `code in catalog` will do);
    only its codes are ever suggested. Several messages of a burst can be joined with
    newlines and passed together.
    """
    ranked = rank_services(text, catalog)
    if not ranked or ranked[0][1].score < MIN_SCORE:
        return None
    code, best = ranked[0]
    second = ranked[1] if len(ranked) > 1 else None
    return ServiceSuggestion(
        code=code,
        confidence=_confidence(best, second[1] if second else None),
        matched=best.words,
        runner_up=second[0] if second else None,
    )
