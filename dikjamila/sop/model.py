"""Data types of the SOP catalog and of a completeness report. Plain frozen dataclasses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from dikjamila.errors import UserError
from dikjamila.sop.condition import Condition

#: File kinds an attachment can have and a requirement can accept.
FILE_KINDS = ("image", "pdf")
#: What a service hands back: a PDF sent over WhatsApp, or a card picked up at the office.
RESULTS = ("pdf", "card")


class SopError(UserError):
    """An SOP file (or folder) that cannot be used. `errors` holds one line per problem,
    each starting with the file name and the key, e.g.
    "kk_baru.toml: requirements[2].kinds: jenis berkas 'docx' tidak dikenal"."""

    def __init__(self, errors: Sequence[str]):
        self.errors = tuple(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class Requirement:
    """One document the resident must send. `when` limits it to some requests."""

    code: str
    label: str
    kinds: tuple[str, ...] = FILE_KINDS
    min_files: int = 1
    optional: bool = False
    when: Condition | None = None
    note: str | None = None


@dataclass(frozen=True)
class RequirementGroup:
    """Alternatives: one option (a set of requirement codes, all needed) must be met."""

    code: str
    label: str
    one_of: tuple[tuple[str, ...], ...]
    when: Condition | None = None
    note: str | None = None


@dataclass(frozen=True)
class Eligibility:
    """A condition on the facts the request must meet, e.g. 'aged 17 or married'."""

    code: str
    label: str
    rule: Condition
    note: str | None = None


@dataclass(frozen=True)
class Sop:
    """The SOP of one service, as loaded from `<code>.toml`."""

    code: str
    name: str
    version: int
    legal_basis: tuple[str, ...]
    target_hours: int
    forms: tuple[str, ...]
    ends_in_pickup: bool
    result: str
    requirements: tuple[Requirement, ...]
    groups: tuple[RequirementGroup, ...]
    source: Path
    eligibility: tuple[Eligibility, ...] = ()
    note: str | None = None

    def requirement(self, code: str) -> Requirement:
        """The requirement called `code` (KeyError if none)."""
        for requirement in self.requirements:
            if requirement.code == code:
                return requirement
        raise KeyError(code)

    def group_of(self, requirement_code: str) -> RequirementGroup | None:
        """The group a requirement is an alternative in, if any."""
        for group in self.groups:
            if any(requirement_code in option for option in group.one_of):
                return group
        return None


@dataclass(frozen=True)
class AttachedFile:
    """A file the resident sent, as the checker sees it. `requirement` is None while the
    operator has not said which requirement it answers; `valid=False` is the operator's
    verdict (blurred, cut off, wrong document) with `reason` in Indonesian."""

    requirement: str | None
    kind: str
    file_name: str = ""
    valid: bool = True
    reason: str = ""


class ItemState(StrEnum):
    OK = "ok"
    MISSING = "missing"
    INVALID = "invalid"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class ItemResult:
    """One line of the checklist.

    `files` counts the usable files (valid and of an accepted kind). `kind` is "document"
    for a requirement and "eligibility" for a condition on the facts. `needs_facts` names
    facts that must be filled in before the line can be decided.
    """

    code: str
    label: str
    state: ItemState
    reason: str
    files: int
    optional: bool
    group: str | None
    kind: str = "document"
    needs_facts: tuple[str, ...] = ()
    note: str | None = None

    @property
    def blocking(self) -> bool:
        """True when this line keeps the request from being complete."""
        return not self.optional and self.state in (ItemState.MISSING, ItemState.INVALID)


@dataclass(frozen=True)
class GroupResult:
    """How a group of alternatives came out; `satisfied_by` is the option that met it."""

    code: str
    label: str
    state: ItemState
    satisfied_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompletenessReport:
    """The result of `check`: every checklist line, and the message for the resident."""

    sop_code: str
    sop_version: int
    items: tuple[ItemResult, ...]
    complete: bool
    missing_message: str
    groups: tuple[GroupResult, ...] = field(default=())

    def missing(self) -> list[ItemResult]:
        """The lines that keep the request incomplete (missing or invalid, not optional)."""
        return [item for item in self.items if item.blocking]

    def needed_facts(self) -> list[str]:
        """Facts the operator should fill in before the checklist can be fully decided."""
        return sorted({name for item in self.items for name in item.needs_facts})
