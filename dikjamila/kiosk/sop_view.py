"""A service's SOP as the kiosk asks it: yes/no questions, the documents they call for, what is missing.

Everything is decided by the SOP checker (`dikjamila.sop.check`) on the answers given, never by
rules of our own:

- The questions are the yes/no facts the conditions of the SOP's requirements and groups read.
- A document whose condition the answers make false is not asked for. One the answers cannot
  decide (it reads a fact a kiosk does not ask, such as the child's age) is offered as optional,
  "wajib bila …": the office decides, and asks the resident for it if needed.
- Alternatives (a group): the first option that applies is asked for; the other options'
  documents are offered as optional replacements. The checker accepts either.
- What is missing: the checker's blocking lines for the files of the draft; an unmet group is
  named by the documents of its first option (the ones the screen showed as required).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from dikjamila.i18n import tr
from dikjamila.kiosk.api import KioskDocument, KioskQuestion
from dikjamila.kiosk.service_texts import question_text
from dikjamila.sop import AttachedFile, ItemState, Sop, check
from dikjamila.sop.condition import lower_first
from dikjamila.sop.facts import FACTS, FactType
from dikjamila.sop.message import join_all


def asked_facts(sop: Sop) -> list[str]:
    """The yes/no facts the SOP's document conditions read, in the order they first appear."""
    names: list[str] = []
    for condition in [r.when for r in sop.requirements] + [g.when for g in sop.groups]:
        if condition is None:
            continue
        for name in sorted(condition.facts()):
            if FACTS[name].type is FactType.BOOL and name not in names:
                names.append(name)
    return names


def questions(sop: Sop) -> list[KioskQuestion]:
    return [KioskQuestion(fact=name, text=question_text(name)) for name in asked_facts(sop)]


def facts_of(sop: Sop, answers: Mapping[str, bool]) -> dict[str, bool]:
    """The answers the SOP asks about (other keys, and anything not a bool, are left out)."""
    return {name: answers[name] for name in asked_facts(sop) if isinstance(answers.get(name), bool)}


def documents(sop: Sop, answers: Mapping[str, bool], *, today: date | None = None) -> list[KioskDocument]:
    """The documents to photograph for these answers, in the SOP's order."""
    facts = facts_of(sop, answers)
    lines = {item.code: item for item in check(sop, facts, [], as_of=today).items if item.kind == "document"}
    first = _first_options(sop, lines)
    out = []
    for requirement in sop.requirements:
        line = lines[requirement.code]
        if line.state is ItemState.NOT_APPLICABLE:
            continue
        optional, note = requirement.optional, ""
        group = sop.group_of(requirement.code)
        if line.needs_facts:
            optional, note = True, tr("Wajib bila {why}.", why=_undecided(sop, requirement, facts))
        elif group is not None and requirement.code not in first.get(group.code, ()):
            optional = True
            note = tr("Pengganti, bila tidak ada {labels}.", labels=join_all(
                [lower_first(lines[c].label) for c in first.get(group.code, ())]))
        elif group is not None:
            others = [join_all([lower_first(lines[c].label) for c in option]) for option in _applicable(group, lines)
                      if tuple(option) != first[group.code]]
            if others:
                note = tr("Bila tidak ada, boleh diganti {others}.", others=tr(" atau ").join(others))
        out.append(KioskDocument(code=requirement.code, label=requirement.label, note=note,
                                 kinds=tuple(requirement.kinds), min_files=requirement.min_files, optional=optional))
    return out


def missing(sop: Sop, answers: Mapping[str, bool], files: Iterable[tuple[str, str]], *,
            today: date | None = None) -> list[str]:
    """Labels of the required documents still without (enough) files; `files` are (code, kind)."""
    facts = facts_of(sop, answers)
    attached = [AttachedFile(requirement=code, kind=kind) for code, kind in files]
    items = [item for item in check(sop, facts, attached, as_of=today).items if item.kind == "document"]
    lines = {item.code: item for item in items}
    first = _first_options(sop, check(sop, facts, [], as_of=today).items)
    labels: list[str] = []
    for item in items:
        if not item.blocking or item.needs_facts:
            continue
        if item.group is None:
            labels.append(item.label)
            continue
        for code in first.get(item.group, ()):
            if lines[code].state is not ItemState.OK and lines[code].label not in labels:
                labels.append(lines[code].label)
    return labels


def _applicable(group, lines: Mapping) -> list[tuple[str, ...]]:
    return [tuple(c for c in option if lines[c].state is not ItemState.NOT_APPLICABLE)
            for option in group.one_of
            if any(lines[c].state is not ItemState.NOT_APPLICABLE for c in option)]


def _first_options(sop: Sop, items: Mapping | Sequence) -> dict[str, tuple[str, ...]]:
    """Group code → the codes of its first option that applies (what the kiosk asks for)."""
    lines = items if isinstance(items, Mapping) else {i.code: i for i in items if i.kind == "document"}
    first = {}
    for group in sop.groups:
        options = _applicable(group, lines)
        if options:
            first[group.code] = options[0]
    return first


def _undecided(sop: Sop, requirement, facts: Mapping[str, bool]) -> str:
    group = sop.group_of(requirement.code)
    conditions = [c for c in (group.when if group else None, requirement.when) if c is not None]
    return tr(" dan ").join(c.describe() for c in conditions if c.evaluate(facts) is None)
