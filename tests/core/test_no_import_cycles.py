"""No import circle in the core: a module never needs, while it loads, a module that needs it.

Edges are what runs at import time (module level, not inside functions, not under
TYPE_CHECKING): `import a.b` needs `a.b`; `from a.b import c` needs `a.b.c` when `c` is a
module and `a.b` otherwise — and `from package import name` inside that package's own
modules needs the package's `__init__`, which is the circle Python hides until an import
order changes (`desk/queries.py` importing from `dikjamila.desk` while `desk/__init__`
imports `queries`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import dikjamila

CORE = Path(dikjamila.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(CORE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    rel = Path(*name.split("."))
    return (CORE.parent / rel).with_suffix(".py").exists() or (CORE.parent / rel / "__init__.py").exists()


def _top_level_imports(tree: ast.Module):
    """Import nodes that run when the module loads (skipping `if TYPE_CHECKING:` blocks)."""
    todo = list(tree.body)
    while todo:
        node = todo.pop(0)
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if "TYPE_CHECKING" in ast.unparse(node.test):
                todo.extend(node.orelse)
            else:
                todo.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            todo.extend(node.body + node.orelse + node.finalbody + [n for h in node.handlers for n in h.body])


def edges(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """The core modules `module` (with this source) needs while it loads."""
    found: set[str] = set()
    for node in _top_level_imports(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
            continue
        base = node.module or ""
        if node.level:
            package = module.split(".") if is_package else module.split(".")[:-1]
            package = package[:len(package) - (node.level - 1)]
            base = ".".join(package + ([base] if base else []))
        for alias in node.names:
            full = f"{base}.{alias.name}"
            found.add(full if _is_module(full) and base != module.rsplit(".", 1)[0] else base)
    return {name for name in found if name == "dikjamila" or name.startswith("dikjamila.")}


def graph() -> dict[str, set[str]]:
    result = {}
    for path in CORE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        name = _module_name(path)
        result[name] = edges(path.read_text(encoding="utf-8"), name, is_package=path.name == "__init__.py")
    return result


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in g.get(v, ()):
            if w not in g:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_the_core_has_no_import_cycle():
    assert cycles(graph()) == []


def test_the_checker_sees_a_submodule_importing_from_its_own_package():
    g = {
        "dikjamila.desk": edges("from dikjamila.desk.queries import QueryOps", "dikjamila.desk", is_package=True),
        "dikjamila.desk.queries": edges("from dikjamila.desk import inbox as q", "dikjamila.desk.queries"),
        "dikjamila.desk.inbox": set(),
    }
    assert cycles(g) == [["dikjamila.desk", "dikjamila.desk.queries"]]
    fixed = edges("from dikjamila.desk.inbox import inbox_page", "dikjamila.desk.queries")
    assert fixed == {"dikjamila.desk.inbox"}


def test_imports_inside_functions_and_type_checking_blocks_do_not_count():
    source = ("from typing import TYPE_CHECKING\n"
              "if TYPE_CHECKING:\n    from dikjamila.office import Office\n"
              "def f():\n    from dikjamila.desk import Desk\n")
    assert edges(source, "dikjamila.x") == set()
