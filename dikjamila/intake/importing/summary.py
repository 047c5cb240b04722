"""What a chat-export import did: the summary shown after it, and printed by `dikjamila import`."""

from __future__ import annotations

from dataclasses import dataclass, field


class ImportCancelled(Exception):
    """Raised by an import whose `should_cancel` said yes; what it added has been removed."""


@dataclass
class ImportSummary:
    """Counts of one import. `skipped` maps a reason (Indonesian, for people) to how many."""

    file_name: str
    import_id: int | None = None
    messages: int = 0  # new messages stored (both sides of the chat)
    already_known: int = 0  # messages that were there already (live, or an earlier import)
    requests_created: int = 0
    requests_updated: int = 0
    attachments: int = 0  # files added to requests
    skipped: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)  # named in the chat, not in the export
    request_numbers: list[str] = field(default_factory=list)  # created or updated

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count

    def as_json(self) -> dict:
        """The `--json` shape (keys named in the issue, plus the detail)."""
        return {
            "file": self.file_name, "import_id": self.import_id, "messages": self.messages,
            "already_known": self.already_known, "requests_created": self.requests_created,
            "requests_updated": self.requests_updated, "attachments": self.attachments,
            "skipped": dict(self.skipped), "errors": list(self.errors), "warnings": list(self.warnings),
            "missing_files": list(self.missing_files), "requests": list(self.request_numbers),
        }
