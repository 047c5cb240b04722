"""The core never imports Qt or the ui package (ARCHITECTURE.md, layers)."""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import dikjamila

CORE = Path(dikjamila.__file__).parent
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui")
# Functions that import the module named by their first argument.
_DYNAMIC_IMPORTERS = {"import_module", "__import__"}


def _dynamic_import_target(node: ast.Call, aliases: set[str]) -> str | None:
    """The module named by a string constant in `importlib.import_module(...)`,
    `import_module(...)`, `__import__(...)` (or an alias of one), else None."""
    func = node.func
    if isinstance(func, ast.Attribute):
        is_importer = func.attr in _DYNAMIC_IMPORTERS  # importlib.import_module, builtins.__import__
    else:
        is_importer = isinstance(func, ast.Name) and func.id in aliases
    if not is_importer:
        return None
    first = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "name"), None)
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return None


def forbidden_imports(source: str) -> list[str]:
    """Every module of Qt or the ui package that `source` imports, statically or dynamically."""
    tree = ast.parse(source)
    aliases = set(_DYNAMIC_IMPORTERS)
    for node in ast.walk(tree):  # from importlib import import_module as load
        if isinstance(node, ast.ImportFrom) and node.module == "importlib":
            aliases |= {a.asname or a.name for a in node.names if a.name == "import_module"}
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Call) and (target := _dynamic_import_target(node, aliases)):
            names.append(target)
    return [n for n in names if n.split(".")[0] in FORBIDDEN]


@pytest.mark.parametrize("source, found", [
    ("import PySide6.QtCore", ["PySide6.QtCore"]),
    ("from ui.main_window import MainWindow", ["ui.main_window"]),
    ("import importlib\ndef f():\n    return importlib.import_module('PySide6.QtGui')", ["PySide6.QtGui"]),
    ("from importlib import import_module\nqt = import_module('PyQt6')", ["PyQt6"]),
    ("from importlib import import_module as load\nw = load('ui.context')", ["ui.context"]),
    ("def f():\n    return __import__('PySide6')", ["PySide6"]),
    ("import builtins\nbuiltins.__import__('shiboken6')", ["shiboken6"]),
    ("import importlib\nimportlib.import_module(name='ui')", ["ui"]),
    # Not Qt, or not a constant the check could read: nothing to report.
    ("import importlib\nimportlib.import_module('dikjamila.sop')", []),
    ("import importlib\nimportlib.import_module(NAME)", []),
    ("import uidna\nfrom . import ui\nprint('PySide6')", []),
])
def test_the_checker_finds_static_and_dynamic_qt_imports(source, found):
    assert forbidden_imports(source) == found


def test_no_module_of_the_core_names_qt_or_ui_in_an_import():
    offenders = []
    for path in CORE.rglob("*.py"):
        offenders += [f"{path.relative_to(CORE)}: {n}"
                      for n in forbidden_imports(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_core_module_imports_with_qt_made_unimportable():
    modules = [m.name for m in pkgutil.walk_packages([str(CORE)], prefix="dikjamila.")
               if ".migrations" not in m.name]
    assert len(modules) > 20
    script = (
        "import sys\n"
        "for name in ('PySide6', 'PyQt5', 'PyQt6', 'shiboken6', 'ui'):\n"
        "    sys.modules[name] = None  # any import of these now raises ImportError\n"
        "import importlib\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
