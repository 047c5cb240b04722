"""The completeness check: (SOP, facts, attachments) -> checklist and "berkas kurang" text.

`check` is a pure, deterministic function of its arguments (the message template is read
once and cached). Rules:

- A requirement whose condition (its own `when`, or its group's) is false is
  `not_applicable`, with the reason "hanya bila ...".
- A condition the known facts cannot decide (a fact is None) is treated conservatively: the
  requirement stays required. If its files are not there yet it is `missing`, its reason asks
  the operator to fill in the facts, and `needs_facts` names them; the resident's message
  says "(bila ...)" so the resident knows it may not apply.
- Files assigned to a requirement count when valid and of an accepted kind. Enough such files
  -> `ok`; otherwise `invalid` if an unusable file was sent (reason says why), else `missing`
  ("perlu 2 berkas, baru ada 1").
- A group is met when every applicable requirement of one option is `ok`. Then the other
  options' unfinished items become `not_applicable`; if not met, the message lists the group
  once: "A, atau B dan C". Options whose items are all not applicable are dropped.
- Eligibility rules become lines of kind "eligibility": true -> ok, false -> invalid,
  undecided -> missing with `needs_facts`.
- Optional requirements are shown but never make the report incomplete.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from dikjamila.i18n import tr
from dikjamila.sop.condition import lower_first
from dikjamila.sop.facts import FACTS, resolve_facts
from dikjamila.sop.message import join_all, join_alternatives, render_berkas_kurang
from dikjamila.sop.model import (
    AttachedFile, CompletenessReport, GroupResult, ItemResult, ItemState, Requirement, Sop,
)

_OK, _MISSING, _INVALID, _NA = (ItemState.OK, ItemState.MISSING, ItemState.INVALID,
                                ItemState.NOT_APPLICABLE)


@dataclass
class _Line:
    """Working state for one requirement; `hint` explains an undecided condition."""

    result: ItemResult
    requirement: Requirement
    hint: str = ""
    extra: list[str] = field(default_factory=list)


def _fact_labels(names: Sequence[str], lower: bool = False) -> str:
    labels = [tr(FACTS[name].label) for name in names]
    return join_all([lower_first(label) for label in labels] if lower else labels)


def _kinds_reason(kinds: tuple[str, ...]) -> str:
    if kinds == ("pdf",):
        return tr("berkas harus PDF")
    if kinds == ("image",):
        return tr("berkas harus foto")
    return tr("berkas harus foto atau PDF")


def _decide(conditions, facts: Mapping[str, object]):
    """Combine conditions: (False, why) if one is false, (None, hint) if some are undecided,
    else (True, "")."""
    undecided = []
    for condition in conditions:
        outcome = condition.evaluate(facts)
        if outcome is False:
            return False, tr("hanya bila {why}", why=condition.describe())
        if outcome is None:
            undecided.append(condition)
    return (None if undecided else True), tr(" dan ").join(c.describe() for c in undecided)


def _unknown_facts(conditions, facts: Mapping[str, object]) -> tuple[str, ...]:
    return tuple(sorted({n for c in conditions if c for n in c.facts() if facts.get(n) is None}))


def _requirement_line(sop: Sop, requirement: Requirement, facts: Mapping[str, object],
                      files: Sequence[AttachedFile]) -> _Line:
    group = sop.group_of(requirement.code)
    base = ItemResult(requirement.code, requirement.label, _NA, "", 0, requirement.optional,
                      group.code if group else None, note=requirement.note)
    group_when = group.when if group else None
    applies, why = _decide([c for c in (group_when, requirement.when) if c], facts)
    usable = [f for f in files if f.valid and f.kind in requirement.kinds]
    if applies is False:
        return _Line(replace(base, reason=why, files=len(usable)), requirement)
    bad = [f for f in files if f not in usable]
    reasons = list(dict.fromkeys(
        (f"{f.file_name}: " if f.file_name else "")
        + ((f.reason or tr("berkas tidak dapat dipakai")) if not f.valid
           else _kinds_reason(requirement.kinds))
        for f in bad))
    need, have = requirement.min_files, len(usable)
    shortfall = tr("perlu {need} berkas, baru ada {have}", need=need, have=have)
    if have >= need:
        state, reason = _OK, tr("sudah ada {n} berkas", n=have)
        if bad:
            reason += "; " + tr("{n} berkas lain tidak dipakai", n=len(bad))
    elif bad:
        state, reason = _INVALID, "; ".join(reasons + ([shortfall] if need > 1 else []))
    else:
        state = _MISSING
        reason = tr("belum ada berkas") if need == 1 and not have else shortfall
    line = _Line(replace(base, state=state, reason=reason, files=have), requirement)
    if state is not _OK:
        line.extra = reasons + ([shortfall] if need > 1 else [])
    if applies is None and state is not _OK:
        # The group's own undecided condition is shown once, on the group's line.
        line.hint = _decide([requirement.when] if requirement.when else [], facts)[1]
        unknown = _unknown_facts((group_when, requirement.when), facts)
        line.result = replace(line.result, needs_facts=unknown, reason=reason + "; " + tr(
            "lengkapi data {facts} dulu (wajib bila {why})", facts=_fact_labels(unknown),
            why=why))
    return line


def _message_text(line: _Line) -> str:
    """How one unfinished requirement is named to the resident."""
    text = line.result.label
    details = list(line.extra) + ([tr("bila {why}", why=line.hint)] if line.hint else [])
    return f"{text} ({'; '.join(details)})" if details else text


def _resolve_groups(sop: Sop, lines: dict[str, _Line],
                    facts: Mapping[str, object]) -> tuple[list[GroupResult], dict]:
    """Settle each group; returns group results and {group code: message text} if unmet."""
    results, unmet = [], {}
    for group in sop.groups:
        options = [[lines[code] for code in option if lines[code].result.state is not _NA]
                   for option in group.one_of]
        options = [option for option in options if option]
        if not options:
            results.append(GroupResult(group.code, group.label, _NA))
            continue
        chosen = next((o for o in options if all(ln.result.state is _OK for ln in o)), None)
        if chosen is None:
            results.append(GroupResult(group.code, group.label, _MISSING))
            texts = []
            for option in options:
                todo = [_message_text(ln) for ln in option if ln.result.state is not _OK]
                done = [ln.result.label for ln in option if ln.result.state is _OK]
                texts.append(join_all(todo) + (tr(" untuk melengkapi {done} yang sudah diterima",
                                                  done=join_all(done)) if done else ""))
            hint = _decide([group.when] if group.when else [], facts)[1]
            label = tr("{label} (bila {why})", label=group.label, why=hint) if hint else group.label
            unmet[group.code] = f"{label}: {join_alternatives(texts)}"
            continue
        codes = tuple(ln.requirement.code for ln in chosen)
        results.append(GroupResult(group.code, group.label, _OK, codes))
        labels = join_all([ln.result.label for ln in chosen])
        for option in options:
            for line in option:
                if line.requirement.code not in codes and line.result.state is not _OK:
                    line.result = replace(line.result, state=_NA, needs_facts=(), reason=tr(
                        "tidak perlu: sudah dipenuhi dengan {labels}", labels=labels))
    return results, unmet


def _eligibility_lines(sop: Sop, facts: Mapping[str, object]) -> list[tuple[ItemResult, str]]:
    lines = []
    for rule in sop.eligibility:
        outcome = rule.rule.evaluate(facts)
        base = ItemResult(rule.code, rule.label, _OK, tr("terpenuhi"), 0, False, None,
                          kind="eligibility", note=rule.note)
        if outcome is True:
            lines.append((base, ""))
        elif outcome is False:
            lines.append((replace(base, state=_INVALID, reason=tr("tidak terpenuhi")),
                          tr("{label}: belum terpenuhi menurut data permohonan",
                             label=rule.label)))
        else:
            unknown = _unknown_facts((rule.rule,), facts)
            reason = tr("lengkapi data {facts} dulu", facts=_fact_labels(unknown))
            lines.append((replace(base, state=_MISSING, reason=reason, needs_facts=unknown),
                          tr("{label}: mohon sampaikan {facts}", label=rule.label,
                             facts=_fact_labels(unknown, lower=True))))
    return lines


def check(sop: Sop, facts: Mapping[str, object], attachments: Sequence[AttachedFile], *,
          as_of: date | None = None, applicant_name: str = "",
          request_number: str = "") -> CompletenessReport:
    """Check a request against `sop`; see the module docstring for the rules.

    `facts` maps fact names (see `dikjamila.sop.facts`) to values, None or absent = unknown.
    `as_of` is the day ages and report delays are counted to; pass the request's date for a
    reproducible result (None means today). Raises `InvalidInput` for a malformed fact value.
    """
    known = resolve_facts(facts, as_of)
    by_requirement: dict[str, list[AttachedFile]] = {}
    for attachment in attachments:
        if attachment.requirement is not None:
            by_requirement.setdefault(attachment.requirement, []).append(attachment)
    lines = {r.code: _requirement_line(sop, r, known, by_requirement.get(r.code, ()))
             for r in sop.requirements}
    group_results, unmet = _resolve_groups(sop, lines, known)
    eligibility = _eligibility_lines(sop, known)

    entries = [text for item, text in eligibility if item.blocking]
    listed: set[str] = set()
    for line in lines.values():
        item = line.result
        if item.group in unmet:
            if item.group not in listed:
                listed.add(item.group)
                entries.append(unmet[item.group])
        elif item.blocking:
            entries.append(_message_text(line))

    items = tuple(item for item, _ in eligibility) + tuple(ln.result for ln in lines.values())
    complete = not any(item.blocking for item in items)
    message = "" if complete else render_berkas_kurang(
        service_name=sop.name, entries=entries, applicant_name=applicant_name,
        request_number=request_number)
    return CompletenessReport(sop.code, sop.version, items, complete, message,
                              tuple(group_results))
