"""The rule for catching everything: log it (cause kept) or raise again, never swallow it silently.

In `dikjamila/` and `ui/`, a handler of `Exception`, `BaseException` or everything (bare
`except:`, or a tuple holding one of those) must call a logging method or contain a `raise`;
`contextlib.suppress(Exception)` is the same swallow spelled differently; and no
`raise ... from None` may hide the cause of an error.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("dikjamila", "ui")
BROAD = {"Exception", "BaseException"}
LOGGERS = {"log", "logger", "logging", "_log", "_logger", "LOG", "LOGGER"}
LEVELS = {"exception", "error", "warning", "info", "debug", "critical", "log"}


def _name(node: ast.AST) -> str | None:
    """`Exception` for `Exception` and for `builtins.Exception`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _catches_everything(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(_name(kind) in BROAD for kind in kinds)


def _own_nodes(statements: list[ast.stmt]):
    """Nodes of the handler body, not of functions or classes defined inside it."""
    nested = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
    stack = [node for node in statements if not isinstance(node, nested)]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, nested))


def _is_log_call(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    method = node.func.attr
    if method == "exception":  # log.exception, self.log.exception, logging.exception, …
        return True
    return method in LEVELS and _name(node.func.value) in LOGGERS


def _handled(handler: ast.ExceptHandler) -> bool:
    return any(isinstance(node, ast.Raise) or _is_log_call(node) for node in _own_nodes(handler.body))


def _suppresses_everything(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and _name(node.func) == "suppress"
            and any(_name(arg) in BROAD for arg in node.args))


def rule_violations(source: str, filename: str = "<string>") -> list[str]:
    """`file:line: what` for every breach of the rule in `source`."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.ExceptHandler) and _catches_everything(node) and not _handled(node):
            what = "bare except" if node.type is None else f"except {ast.unparse(node.type)}"
            found.append(f"{filename}:{node.lineno}: {what} neither logs nor re-raises")
        elif isinstance(node, ast.Raise) and isinstance(node.cause, ast.Constant) and node.cause.value is None:
            found.append(f"{filename}:{node.lineno}: 'raise ... from None' hides the cause (use 'from exc')")
        elif _suppresses_everything(node):
            found.append(f"{filename}:{node.lineno}: suppress({ast.unparse(node.args[0])}) swallows errors unlogged")
    return found


# -- the checker bites ---------------------------------------------------------------------------

GOOD = '''
import logging
log = logging.getLogger(__name__)

def a():
    try:
        work()
    except Exception:
        log.exception("work failed")

def b():
    try:
        work()
    except Exception as exc:
        raise UserError("x") from exc

def c():
    try:
        work()
    except BaseException:
        cleanup()
        raise

def d(self):
    try:
        work()
    except (ValueError, Exception):
        self.log.warning("odd", exc_info=True)
        return None

def e():
    try:
        work()
    except Exception:
        if quiet():
            return
        logging.error("failed", exc_info=True)

def f():
    try:
        work()
    except ValueError:  # a narrow handler may do anything
        pass
    except KeyError as exc:
        raise LookupError("k") from exc

def g():
    try:
        work()
    except Exception as exc:
        logger.info("ignored: %s", exc, exc_info=True)
'''

BAD = {
    "swallow": "try:\n    work()\nexcept Exception:\n    pass\n",
    "bare": "try:\n    work()\nexcept:\n    return_value = None\n",
    "base": "try:\n    work()\nexcept BaseException as exc:\n    show(exc)\n",
    "tuple": "try:\n    work()\nexcept (OSError, Exception):\n    x = 1\n",
    "qualified": "import builtins\ntry:\n    work()\nexcept builtins.Exception:\n    x = 1\n",
    "print only": "try:\n    work()\nexcept Exception as exc:\n    print(exc)\n",
    "log in a nested def": ("try:\n    work()\nexcept Exception:\n    def later():\n"
                            "        log.exception('x')\n    queue(later)\n"),
    "from None": "try:\n    d[k]\nexcept KeyError:\n    raise LookupError(k) from None\n",
    "from None outside a handler": "def f():\n    raise ValueError('x') from None\n",
    "suppress": "import contextlib\nwith contextlib.suppress(Exception):\n    work()\n",
}


def test_the_checker_accepts_handlers_that_log_or_raise():
    assert rule_violations(GOOD, "good.py") == []


@pytest.mark.parametrize("source", BAD.values(), ids=BAD.keys())
def test_the_checker_names_file_and_line_of_each_breach(source):
    found = rule_violations(source, "bad.py")
    assert len(found) == 1, found
    assert found[0].startswith("bad.py:")
    line = int(found[0].split(":")[1])
    assert source.splitlines()[line - 1].lstrip().startswith(("except", "raise", "with", "def")), found


# -- the product follows it ----------------------------------------------------------------------

def product_files() -> list[Path]:
    return sorted(p for package in PRODUCT for p in (ROOT / package).rglob("*.py"))


def test_the_walk_sees_the_product():
    names = {p.relative_to(ROOT).as_posix() for p in product_files()}
    assert {"dikjamila/logs.py", "ui/app.py", "ui/worker.py", "dikjamila/files/images.py"} <= names


def test_every_broad_handler_in_the_product_logs_or_re_raises():
    found = []
    for path in product_files():
        found += rule_violations(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    assert not found, "\n" + "\n".join(found)
