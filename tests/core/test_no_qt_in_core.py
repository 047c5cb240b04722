"""The core never imports Qt or the ui package (ARCHITECTURE.md, layers)."""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import dikjamila

CORE = Path(dikjamila.__file__).parent
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui")


def test_no_module_of_the_core_names_qt_or_ui_in_an_import():
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(CORE)}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
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
