"""The editor's action mixins type-check against the Protocol that declares what they use.

mypy runs on the mixins and `ui/editor/host.py` (whose TYPE_CHECKING block asks that
`RequestEditor` is an `EditorHost`), plus a small mixin that reaches for an undeclared
attribute, which must be refused — so the check is shown to bite.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.editor_support import contexts, ctx, office, template  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]

BAD_MIXIN = '''
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.editor.host import EditorHost as _Host
else:
    _Host = object


class SneakyActions(_Host):
    def clear_form(self) -> None:
        self.fields.clear()  # the editor has it, but the Protocol does not declare it
'''


@pytest.mark.slow
def test_the_mixins_use_only_what_the_editor_declares(tmp_path):
    bad = tmp_path / "sneaky_actions.py"
    bad.write_text(BAD_MIXIN, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=silent", "--ignore-missing-imports",
         "--no-error-summary", "--cache-dir", str(tmp_path / "cache"),
         "ui/editor/operations.py", "ui/editor/host.py", str(bad)],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    ours = [e for e in errors if not e.startswith(str(bad))]
    assert ours == [], "\n".join(ours)
    assert any('has no attribute "fields"' in e for e in errors), result.stdout + result.stderr


def test_a_loaded_editor_has_every_attribute_the_protocol_declares(qtbot, ctx):
    """mypy checks the methods; the attributes are set in __init__, so look at a real editor."""
    from tests.ui.editor_support import create, open_editor
    from ui.editor.host import EditorHost

    editor = open_editor(qtbot, ctx, create(ctx))
    declared = set(EditorHost.__annotations__)
    assert {"ctx", "detail", "message_bar", "_change"} - declared == {"_change"}  # attributes only
    missing = [name for name in declared if not hasattr(editor, name)]
    assert missing == []
