"""Windows traps in the code, found with `ast` (issue 12: the offices' PCs run Windows).

Walks `dikjamila/`, `ui/` and `tools/*.py` (not the tests) for what works on Linux and breaks,
or quietly behaves differently, on Windows:

- `encoding`      text opened without `encoding=`: `open()`, `Path.open/read_text/write_text`,
                  `os.fdopen`, `io.TextIOWrapper`, text temp files, `subprocess(text=True)`,
                  logging file handlers. Windows reads and writes them in cp1252, so a name like
                  "Ṣaleh", a `…` or an emoji fails or comes back garbled.
- `posix-path`    hard-coded `/tmp`, `/var`, `/etc`, `/home`, `/dev/…`, `~/` path strings.
- `slash-path`    file paths built with "/" by hand: `os.path.join` given "a/b", or `open()` /
                  `Path()` / `os.*` / `shutil.*` given `x + "/" + y` or `f"{x}/{y}"`.
- `shell`         `shell=True`, `os.system`, `os.popen`, a command given as one string.
- `fork`          `os.fork`, `os.forkpty`, multiprocessing's "fork"/"forkserver" start method;
                  and any process pool without `multiprocessing.freeze_support()` in the entry
                  point (a frozen Windows exe would start itself over and over).
- `posix-signal`  `signal.SIGKILL`, `SIGHUP`, `SIGUSR1`, `alarm()`, … (Windows has SIGINT, SIGTERM,
                  SIGBREAK, SIGABRT, SIGFPE, SIGILL, SIGSEGV only).
- `posix-module`  `fcntl`, `pwd`, `grp`, `termios`, `resource`, … imported (and `msvcrt`,
                  `winreg`, … the other way round).
- `posix-os`      `os.getuid`, `os.setsid`, `os.killpg`, `os.uname`, `O_NOFOLLOW`, …, `os.kill`
                  with anything but SIGTERM (`os.kill(pid, 0)` sends Ctrl+C on Windows),
                  `preexec_fn`, `start_new_session`.
- `chmod`         `os.chmod`/`Path.chmod` with a mode other than a read-only/writable toggle
                  (Windows only honours the write bit: 0o700 or 0o600 makes nothing private).
- `sys-executable` `sys.executable` used in a function that does not ask `sys.frozen`: in the
                  bundle it is `dikjamila.exe` itself, which has no `-m`; a child must be started
                  as the bundle's own exe with a sub-command.
- `toml-bom`      `tomllib.loads(path.read_text(encoding="utf-8"))` or `tomllib.load(...)`: a TOML
                  file saved by Notepad as "UTF-8 with BOM", or written by Windows PowerShell 5.1's
                  `Set-Content -Encoding UTF8`, starts with a BOM that tomllib refuses ("Invalid
                  statement" at line 1). Read such files with "utf-8-sig" (or strip "\ufeff").

The POSIX-only rules accept a use under a platform guard: an `if`/conditional expression that
tests `sys.platform`, `os.name`, `platform.*`, `hasattr(...)` or a name like `WINDOWS`; an
earlier `if <guard>: return/raise` in the same block; or a `try` that catches ImportError
(imports) or AttributeError. Every other deliberate use is in ALLOWED below with its reason.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def code_files() -> list[Path]:
    """The product's code, its tools, and build.spec (the build itself runs on Windows)."""
    files = [*(ROOT / "dikjamila").rglob("*.py"), *(ROOT / "ui").rglob("*.py"), *(ROOT / "tools").glob("*.py"),
             ROOT / "build.spec"]
    return sorted(p for p in files if "__pycache__" not in p.parts)


# -- the checker ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Trap:
    rule: str
    line: int
    scope: str  # the enclosing function's qualified name, or "<module>"
    what: str


TEXT_ONLY_KWARGS = {"encoding", "errors", "newline"}
MODE_CHARS = re.compile(r"^[rwxabt+U]+$")
POSIX_PATH = re.compile(r"^(/tmp|/var|/etc|/home|/usr|/opt|/mnt|/media|/dev/|/proc/|/run/|~/)")
WINDOWS_SIGNAL_NAMES = {
    "SIGINT", "SIGTERM", "SIGBREAK", "SIGABRT", "SIGFPE", "SIGILL", "SIGSEGV", "CTRL_C_EVENT",
    "CTRL_BREAK_EVENT", "SIG_DFL", "SIG_IGN", "NSIG", "Signals", "Handlers", "signal", "getsignal",
    "default_int_handler", "set_wakeup_fd", "raise_signal", "strsignal", "valid_signals",
}
PLATFORM_MODULES = {
    # POSIX only
    "fcntl", "pwd", "grp", "termios", "tty", "pty", "resource", "posix", "crypt", "syslog",
    "spwd", "nis", "curses", "readline",
    # Windows only (the trap the other way round: the Linux CI would fail)
    "msvcrt", "winreg", "_winapi", "winsound", "_winreg",
}
POSIX_OS = {
    "getuid", "geteuid", "getgid", "getegid", "getgroups", "setuid", "seteuid", "setgid", "setegid",
    "getpgid", "setpgid", "getpgrp", "setpgrp", "setsid", "getsid", "killpg", "fork", "forkpty",
    "uname", "sync", "mkfifo", "mknod", "statvfs", "fstatvfs", "getloadavg", "nice", "chown",
    "lchown", "fchown", "chroot", "sched_getaffinity", "sched_setaffinity", "pipe2", "wait3",
    "wait4", "WNOHANG", "O_NOFOLLOW", "O_CLOEXEC", "O_DIRECTORY", "O_NONBLOCK",
    "O_NOCTTY", "O_SYNC", "O_DSYNC", "posix_spawn", "posix_spawnp", "register_at_fork", "ttyname",
    "openpty",
}
POSIX_TIME = {"tzset", "clock_gettime_ns", "pthread_getcpuclockid"}
# os.chmod modes that mean the same on Windows (read-only / writable) as on POSIX.
PORTABLE_MODES = {0o444, 0o644, 0o666, 0o400}
PORTABLE_STAT_NAMES = {"S_IREAD", "S_IWRITE", "S_IRUSR", "S_IWUSR"}
SUBPROCESS_FUNCS = {"run", "Popen", "call", "check_call", "check_output", "getoutput", "getstatusoutput"}
FILE_CALLS = {  # callables whose first argument is a file system path
    "open", "Path", "PurePath", "PureWindowsPath", "PurePosixPath",
}
FILE_MODULES = {"os", "os.path", "shutil"}


def _dotted(node: ast.AST) -> str:
    """`a.b.c` for a Name/Attribute chain, else ""."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _has_kwargs_splat(call: ast.Call) -> bool:
    return any(k.arg is None for k in call.keywords)


def _const_str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


_PLATFORM_NAME = re.compile(r"windows|win32|posix|linux|darwin|macos", re.IGNORECASE)
#: `hasattr(<one of these>, ...)` asks whether this platform has something.
_PLATFORM_MODULES_ASKED = {"os", "signal", "time", "sys", "socket", "subprocess", "select", "stat"}


def _is_platform_test(test: ast.AST) -> bool:
    for node in ast.walk(test):
        dotted = _dotted(node) if isinstance(node, ast.Attribute | ast.Name) else ""
        if dotted in ("sys.platform", "os.name") or dotted.startswith("platform."):
            return True
        if isinstance(node, ast.Name) and _PLATFORM_NAME.search(node.id):
            return True
        if (isinstance(node, ast.Call) and _dotted(node.func) == "hasattr" and node.args
                and _dotted(node.args[0]) in _PLATFORM_MODULES_ASKED):
            return True
    return False


def _exits(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], ast.Return | ast.Raise | ast.Continue | ast.Break)


def _catches(handler: ast.ExceptHandler, names: set[str]) -> bool:
    if handler.type is None:
        return False
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(_dotted(k).rsplit(".", 1)[-1] in names for k in kinds)


class _Scanner(ast.NodeVisitor):
    def __init__(self, tree: ast.Module):
        self.tree = tree
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
        self.imports_signal = any(
            isinstance(n, ast.Import) and any(a.name == "signal" and a.asname is None for a in n.names)
            for n in ast.walk(tree))
        self.traps: list[Trap] = []

    # -- where a node sits -------------------------------------------------------------------
    def scope(self, node: ast.AST) -> str:
        names = []
        cur = self.parents.get(node)
        while cur is not None:
            if isinstance(cur, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.append(cur.name)
            cur = self.parents.get(cur)
        return ".".join(reversed(names)) or "<module>"

    def function(self, node: ast.AST) -> ast.AST | None:
        """The function `node` belongs to (its defaults belong to it too), else None."""
        cur = self.parents.get(node)
        while cur is not None:
            if isinstance(cur, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                return cur
            cur = self.parents.get(cur)
        return None

    def guarded(self, node: ast.AST, catches: frozenset[str] = frozenset({"AttributeError"})) -> bool:
        child, cur = node, self.parents.get(node)
        while cur is not None:
            if isinstance(cur, ast.If | ast.IfExp) and child is not cur.test and _is_platform_test(cur.test):
                return True
            if isinstance(cur, ast.BoolOp) and any(_is_platform_test(v) for v in cur.values if v is not child):
                return True  # hasattr(signal, "SIGHUP") and signal.SIGHUP
            if isinstance(cur, ast.Try) and child in cur.body and any(_catches(h, set(catches)) for h in cur.handlers):
                return True
            for field in ("body", "orelse", "finalbody"):
                block = getattr(cur, field, None)
                if isinstance(block, list) and child in block:
                    earlier = block[:block.index(child)]
                    if any(isinstance(s, ast.If) and _is_platform_test(s.test) and (_exits(s.body) or _exits(s.orelse))
                           for s in earlier):
                        return True
            child, cur = cur, self.parents.get(cur)
        return False

    def add(self, rule: str, node: ast.AST, what: str) -> None:
        self.traps.append(Trap(rule, getattr(node, "lineno", 0), self.scope(node), what))

    # -- rules -------------------------------------------------------------------------------
    def visit_Constant(self, node: ast.Constant) -> None:
        if (isinstance(node.value, str) and POSIX_PATH.match(node.value) and not self._is_docstring(node)
                and not self.guarded(node)):
            self.add("posix-path", node, f"hard-coded path {node.value!r}")

    def _is_docstring(self, node: ast.Constant) -> bool:
        """A docstring or comment-like string, or the tail of a built string (f"{url}/media")."""
        parent = self.parents.get(node)
        if isinstance(parent, ast.JoinedStr):
            return parent.values[0] is not node
        if isinstance(parent, ast.BinOp):
            return parent.left is not node
        return isinstance(parent, ast.Expr)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module:
            self._module(node, node.module)
            if node.module == "signal":
                for alias in node.names:
                    if alias.name not in WINDOWS_SIGNAL_NAMES and not self.guarded(node, frozenset({"ImportError"})):
                        self.add("posix-signal", node, f"from signal import {alias.name}")
            if node.module == "os":
                for alias in node.names:
                    if alias.name in POSIX_OS and not self.guarded(node, frozenset({"ImportError"})):
                        self.add("posix-os", node, f"from os import {alias.name}")

    def _module(self, node: ast.AST, name: str) -> None:
        top = name.split(".")[0]
        if top in PLATFORM_MODULES and not self.guarded(node, frozenset({"ImportError", "ModuleNotFoundError"})):
            self.add("posix-module", node, f"import {name} without a platform guard")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        dotted = _dotted(node)
        if dotted == "sys.executable" and not self._asks_frozen(node):
            self.add("sys-executable", node, "sys.executable in a function that never asks sys.frozen")
        elif (self.imports_signal and isinstance(node.value, ast.Name) and node.value.id == "signal"
              and node.attr not in WINDOWS_SIGNAL_NAMES and not self.guarded(node)):
            self.add("posix-signal", node, f"signal.{node.attr} does not exist on Windows")
        elif isinstance(node.value, ast.Name) and node.value.id == "os" and node.attr in POSIX_OS \
                and not self.guarded(node):
            self.add("posix-os" if node.attr not in ("fork", "forkpty") else "fork", node,
                     f"os.{node.attr} does not exist on Windows")
        elif dotted in {f"time.{n}" for n in POSIX_TIME} and not self.guarded(node):
            self.add("posix-os", node, f"{dotted} does not exist on Windows")
        self.generic_visit(node)

    def _asks_frozen(self, node: ast.AST) -> bool:
        func = self.function(node)
        if func is None:
            return False
        return any((isinstance(n, ast.Constant) and n.value == "frozen")
                   or (isinstance(n, ast.Attribute) and n.attr == "frozen") for n in ast.walk(func))

    def visit_Call(self, node: ast.Call) -> None:
        name = _dotted(node.func)
        last = node.func.attr if isinstance(node.func, ast.Attribute) else name
        self._encoding(node, name, last)
        self._shell(node, name, last)
        self._fork(node, name, last)
        self._slash(node, name, last)
        self._toml_bom(node, name)
        if name == "os.chmod" or (isinstance(node.func, ast.Attribute) and node.func.attr == "chmod"
                                  and name != "os.chmod"):
            mode = (node.args[1] if name == "os.chmod" and len(node.args) > 1
                    else node.args[0] if name != "os.chmod" and node.args else _kw(node, "mode"))
            if not self._portable_mode(mode) and not self.guarded(node):
                self.add("chmod", node, f"chmod({ast.unparse(mode) if mode else '?'}) means nothing on Windows")
        if name == "os.kill" and not self.guarded(node):
            sig = node.args[1] if len(node.args) > 1 else None
            if not (sig is not None and _dotted(sig).rsplit(".", 1)[-1] in ("SIGTERM", "CTRL_C_EVENT", "CTRL_BREAK_EVENT")):
                self.add("posix-os", node, f"os.kill(…, {ast.unparse(sig) if sig else '?'}): on Windows 0 is Ctrl+C "
                         "and any other number terminates the process")
        if last in SUBPROCESS_FUNCS and name.startswith("subprocess.") or last == "Popen":
            for kw in ("preexec_fn", "start_new_session"):
                value = _kw(node, kw)
                if value is not None and not (isinstance(value, ast.Constant) and value.value in (None, False)) \
                        and not self.guarded(node):
                    self.add("posix-os", node, f"{kw}= is POSIX only")
        self.generic_visit(node)

    @staticmethod
    def _portable_mode(mode: ast.AST | None) -> bool:
        if isinstance(mode, ast.Constant) and isinstance(mode.value, int):
            return mode.value in PORTABLE_MODES
        if mode is not None:
            names = [_dotted(n).rsplit(".", 1)[-1] for n in ast.walk(mode) if isinstance(n, ast.Attribute | ast.Name)]
            return bool(names) and all(n in PORTABLE_STAT_NAMES or n == "stat" for n in names)
        return False

    def _encoding(self, node: ast.Call, name: str, last: str) -> None:
        has_encoding = _kw(node, "encoding") is not None or _has_kwargs_splat(node)
        if has_encoding:
            return
        what = None
        if name in ("open", "io.open", "builtins.open", "codecs.open", "os.fdopen"):
            mode = node.args[1] if len(node.args) > 1 else _kw(node, "mode")
            text = _const_str(mode)
            if len(node.args) > 3 and name != "os.fdopen" and name != "codecs.open":
                return  # encoding passed positionally
            if mode is None or (text is not None and "b" not in text):
                what = f"{name}() in text mode without encoding="
            elif text is None:
                what = f"{name}() with a mode the check cannot read, without encoding="
        elif isinstance(node.func, ast.Attribute) and last == "open":
            mode = node.args[0] if node.args else _kw(node, "mode")
            text = _const_str(mode)
            receiver = _dotted(node.func.value).rsplit(".", 1)[-1].lower()
            text_kwargs = any(k.arg in TEXT_ONLY_KWARGS for k in node.keywords)
            if len(node.args) > 2:
                return  # Path.open(mode, buffering, encoding) positionally
            if text is not None and MODE_CHARS.match(text) and "b" not in text:
                what = f".open({text!r}) in text mode without encoding="
            elif mode is None and not node.args and (text_kwargs or receiver.endswith(("path", "file"))
                                                     or _dotted(node.func.value) == "" and isinstance(
                                                         node.func.value, ast.Call) and _dotted(
                                                         node.func.value.func).endswith(("Path", "path"))):
                what = ".open() of a path in text mode without encoding="
        elif isinstance(node.func, ast.Attribute) and last in ("read_text", "write_text"):
            if len(node.args) > (0 if last == "read_text" else 1):
                return  # read_text(encoding), write_text(data, encoding) positionally
            what = f".{last}() without encoding="
        elif last == "TextIOWrapper":
            what = "TextIOWrapper without encoding="
        elif name.startswith("tempfile.") and last in ("NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile"):
            text = _const_str(node.args[0] if node.args else _kw(node, "mode"))
            if text is not None and "b" not in text:
                what = f"{last}({text!r}) in text mode without encoding="
        elif last in ("FileHandler", "RotatingFileHandler", "TimedRotatingFileHandler", "WatchedFileHandler"):
            what = f"{last} without encoding= (the log is written in the ANSI code page)"
        elif (((name.startswith("subprocess.") and last in SUBPROCESS_FUNCS) or last == "Popen")
              and (_is_true(_kw(node, "text")) or _is_true(_kw(node, "universal_newlines")))):
            what = f"{name}(text=True) without encoding= (decoded in the ANSI code page)"
        if what:
            self.add("encoding", node, what)

    def _toml_bom(self, node: ast.Call, name: str) -> None:
        if name == "tomllib.load":
            self.add("toml-bom", node, "tomllib.load(): a file with a BOM is refused")
        elif name == "tomllib.loads" and node.args and isinstance(node.args[0], ast.Call):
            inner = node.args[0]
            if isinstance(inner.func, ast.Attribute) and inner.func.attr == "read_text":
                encoding = _const_str(_kw(inner, "encoding") or (inner.args[0] if inner.args else None))
                if encoding is None or encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
                    self.add("toml-bom", node, f"tomllib.loads(….read_text({encoding!r})): a file with a BOM is refused")

    def _shell(self, node: ast.Call, name: str, last: str) -> None:
        if name in ("os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput"):
            self.add("shell", node, f"{name}() goes through the shell (cmd.exe on Windows)")
        elif _is_true(_kw(node, "shell")):
            self.add("shell", node, f"{name or 'call'}(shell=True): cmd.exe on Windows, sh elsewhere")
        elif ((name.startswith("subprocess.") and last in SUBPROCESS_FUNCS) or last == "Popen") and node.args \
                and isinstance(node.args[0], ast.Constant | ast.JoinedStr):
            self.add("shell", node, f"{name}() given one command string: split differently on Windows")

    def _fork(self, node: ast.Call, name: str, last: str) -> None:
        if last in ("set_start_method", "get_context") and node.args:
            method = _const_str(node.args[0])
            if method in ("fork", "forkserver"):
                self.add("fork", node, f"multiprocessing start method {method!r} does not exist on Windows")

    def _slash(self, node: ast.Call, name: str, last: str) -> None:
        if name == "os.path.join":
            for arg in node.args:
                if (text := _const_str(arg)) and "/" in text:
                    self.add("slash-path", node, f"os.path.join(…, {text!r}) mixes separators")
            return
        module = name.rpartition(".")[0]
        if not (name in FILE_CALLS or last in FILE_CALLS and module in ("pathlib", "io", "builtins")
                or module in FILE_MODULES):
            return
        for arg in node.args[:2]:
            if self._slash_built(arg):
                self.add("slash-path", node, f"{name}({ast.unparse(arg)}): a path joined with '/' by hand")

    @staticmethod
    def _slash_built(arg: ast.AST) -> bool:
        if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add):
            return any((t := _const_str(n)) is not None and "/" in t for n in ast.walk(arg))
        if isinstance(arg, ast.JoinedStr):
            parts = arg.values
            return any(isinstance(p, ast.FormattedValue) for p in parts) and any(
                (t := _const_str(p)) is not None and "/" in t for p in parts)
        if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "join":
            return _const_str(arg.func.value) == "/"
        return False


def find_traps(source: str) -> list[Trap]:
    tree = ast.parse(source)
    scanner = _Scanner(tree)
    scanner.visit(tree)
    return scanner.traps


def process_pools(source: str) -> list[int]:
    """Lines that start processes through multiprocessing (or a process pool)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            last = name.rsplit(".", 1)[-1]
            if last == "ProcessPoolExecutor" or name in ("multiprocessing.Pool", "multiprocessing.Process",
                                                         "mp.Pool", "mp.Process", "ctx.Process", "ctx.Pool"):
                lines.append(node.lineno)
    return lines


# -- the checker bites ---------------------------------------------------------------------------

BAD = [
    ("encoding", "open(path)"),
    ("encoding", "open(path, 'w')"),
    ("encoding", "open(path, mode='a', newline='')"),
    ("encoding", "with open(path, mode) as f: pass"),
    ("encoding", "os.fdopen(fd, 'w')"),
    ("encoding", "Path(p).read_text()"),
    ("encoding", "target.write_text(text)"),
    ("encoding", "path.open('w')"),
    ("encoding", "path.open()"),
    ("encoding", "path.open(newline='')"),
    ("encoding", "io.TextIOWrapper(raw)"),
    ("encoding", "tempfile.NamedTemporaryFile('w', suffix='.txt')"),
    ("encoding", "logging.handlers.RotatingFileHandler(p, maxBytes=1)"),
    ("encoding", "subprocess.run(['x'], capture_output=True, text=True)"),
    ("encoding", "subprocess.check_output(['x'], universal_newlines=True)"),
    ("posix-path", "folder = '/tmp/dikjamila'"),
    ("posix-path", "Path('/var/lib/x')"),
    ("posix-path", "os.path.expanduser('~/.dikjamila')"),
    ("posix-path", "open('/dev/null', 'wb')"),
    ("posix-path", "MEDIA = '/run/media/'"),
    ("slash-path", "os.path.join(base, 'blobs/ab')"),
    ("slash-path", "open(folder + '/' + name, 'rb')"),
    ("slash-path", "Path(f'{folder}/{name}')"),
    ("slash-path", "os.remove(str(folder) + '/x.tmp')"),
    ("slash-path", "shutil.copy(src, '/'.join([a, b]))"),
    ("shell", "subprocess.run(cmd, shell=True)"),
    ("shell", "os.system('del x')"),
    ("shell", "os.popen('dir').read()"),
    ("shell", "subprocess.Popen('readelf -d x')"),
    ("fork", "pid = os.fork()"),
    ("fork", "multiprocessing.set_start_method('fork')"),
    ("fork", "ctx = multiprocessing.get_context('forkserver')"),
    ("posix-signal", "import signal\nsignal.signal(signal.SIGHUP, h)"),
    ("posix-signal", "import signal\nproc.send_signal(signal.SIGKILL)"),
    ("posix-signal", "import signal\nsignal.alarm(5)"),
    ("posix-signal", "from signal import SIGUSR1"),
    ("posix-module", "import fcntl"),
    ("posix-module", "def f():\n    import pwd\n    return pwd.getpwuid(0)"),
    ("posix-module", "import resource, os"),
    ("posix-module", "from termios import tcgetattr"),
    ("posix-module", "import msvcrt"),
    ("posix-os", "uid = os.getuid()"),
    ("posix-os", "os.killpg(pid, 15)"),
    ("posix-os", "os.kill(pid, 0)"),
    ("posix-os", "fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW)"),
    ("posix-os", "subprocess.Popen(['x'], start_new_session=True)"),
    ("posix-os", "subprocess.run(['x'], preexec_fn=detach)"),
    ("posix-os", "time.tzset()"),
    ("posix-os", "if count:\n    os.setsid()"),
    ("posix-os", "if hasattr(self, 'pid'):\n    os.killpg(self.pid, 15)"),
    ("chmod", "os.chmod(p, 0o700)"),
    ("chmod", "os.chmod(p, 0o600)"),
    ("chmod", "path.chmod(0o755)"),
    ("chmod", "os.chmod(p, stat.S_IRWXU)"),
    ("sys-executable", "def start():\n    return [sys.executable, '-m', 'dikjamila.whatsapp.worker']"),
    ("toml-bom", "data = tomllib.loads(path.read_text(encoding='utf-8'))"),
    ("toml-bom", "data = tomllib.loads(path.read_text('utf-8'))"),
    ("toml-bom", "with open(p, 'rb') as f:\n    data = tomllib.load(f)"),
    ("sys-executable", "CMD = [sys.executable, '-m', 'x']"),
]

GOOD = [
    "open(path, encoding='utf-8')",
    "open(path, 'rb')",
    "open(path, 'w', -1, 'utf-8')",
    "os.fdopen(fd, 'wb')",
    "Path(p).read_text(encoding='utf-8')",
    "Path(p).read_text('utf-8')",
    "target.write_text(text, 'utf-8')",
    "path.open('r', -1, 'utf-8')",
    "if sys.platform.startswith('linux'):\n    text = Path('/proc/self/mounts').read_text(encoding='utf-8')",
    "target.write_text(text, encoding='utf-8', newline='')",
    "path.open('rb')",
    "zf.open(name)",
    "zf.open(f'blobs/{sha}')",
    "Image.open(path)",
    "Office.open(data_dir)",
    "buffer.open(QBuffer.OpenModeFlag.ReadOnly)",
    "subprocess.run(['x'], capture_output=True, text=True, encoding='utf-8')",
    "subprocess.run(['x'], capture_output=True)",
    "tempfile.NamedTemporaryFile(suffix='.pdf')",
    "logging.handlers.RotatingFileHandler(p, encoding='utf-8')",
    "open(path, **options)",
    "'''Files go to /tmp on Linux.'''",
    "url = 'https://example.org/var/x'",
    "url = f'{base}/{phone_id}/media'",
    "url = base + '/media'",
    "zip_name = f'{folder}/{name}'",
    "Path(folder) / 'blobs' / sha",
    "os.path.join(base, 'blobs', sha)",
    "subprocess.run(['readelf', '-d', p], check=False)",
    "import signal\nsignal.signal(signal.SIGINT, h)\nsignal.signal(signal.SIGTERM, h)",
    "import signal\nif hasattr(signal, 'SIGHUP'):\n    signal.signal(signal.SIGHUP, h)",
    "import signal\nsig = getattr(signal, 'SIGKILL', signal.SIGTERM)",
    "self.changed.emit(signal.SIGKILL)",  # a Qt signal object, not the module
    "if sys.platform == 'win32':\n    import msvcrt\nelse:\n    import fcntl",
    ("def lock(fd):\n    if sys.platform == 'win32':\n        import msvcrt\n        return msvcrt.locking(fd, 1, 1)\n"
     "    import fcntl\n    return fcntl.flock(fd, 2)"),
    "try:\n    import fcntl\nexcept ImportError:\n    fcntl = None",
    "WINDOWS = sys.platform == 'win32'\nif not WINDOWS:\n    os.chmod(p, 0o700)",
    "uid = os.getuid() if os.name == 'posix' else None",
    "if sys.platform != 'win32':\n    os.kill(pid, 0)",
    "def alive(pid):\n    if os.name == 'nt':\n        return windows_alive(pid)\n    os.kill(pid, 0)\n    return True",
    "os.kill(pid, signal.SIGTERM)",
    "os.chmod(p, 0o444)",
    "os.chmod(p, 0o644)",
    "os.chmod(p, stat.S_IREAD | stat.S_IWRITE)",
    ("def command():\n    if getattr(sys, 'frozen', False):\n        return [sys.executable, 'whatsapp', 'worker']\n"
     "    return [sys.executable, '-m', 'dikjamila.whatsapp.worker']"),
    "subprocess.Popen(['x'], start_new_session=False)",
    "multiprocessing.get_context('spawn')",
    "data = tomllib.loads(path.read_text(encoding='utf-8-sig'))",
    "data = tomllib.loads(path.read_bytes().decode('utf-8').removeprefix('\\ufeff'))",
]


@pytest.mark.parametrize("rule, source", BAD)
def test_the_checker_finds_each_trap(rule, source):
    assert [t.rule for t in find_traps(source)] == [rule], find_traps(source)


@pytest.mark.parametrize("source", GOOD)
def test_the_checker_leaves_portable_code_alone(source):
    assert find_traps(source) == []


def test_the_checker_reports_the_scope_of_a_trap():
    traps = find_traps("class A:\n    def f(self):\n        open(p)\n")
    assert [(t.line, t.scope) for t in traps] == [(3, "A.f")]


def test_the_process_pool_finder_bites():
    assert process_pools("from concurrent.futures import ProcessPoolExecutor\nProcessPoolExecutor(2)") == [2]
    assert process_pools("import multiprocessing\nmultiprocessing.Process(target=f).start()") == [2]
    assert process_pools("from concurrent.futures import ThreadPoolExecutor\nThreadPoolExecutor(2)") == []


# -- the code ------------------------------------------------------------------------------------

# (rule, file, scope) -> why the use is deliberate and safe. "TODO(caller)": a trap in a file
# another change is editing right now; the fix is named and waits for that change.
ALLOWED: dict[tuple[str, str, str], str] = {
    ("sys-executable", "dikjamila/whatsapp/transports/pywhatkit_transport.py", "PywhatkitTransport.__init__"):
        "only the default interpreter handed to child_command(), which asks sys.frozen and then "
        "starts dikjamila-cli(.exe) whatsapp pywhatkit-child instead",
    ("toml-bom", "build.spec", "<module>"):
        "pyproject.toml, the developers' own file, which pip reads as plain UTF-8 too",
    ("posix-path", "ui/kiosk/drives.py", "<module>"):
        "_LINUX_MEDIA: where Linux desktops mount flashdisks, read only in _removable()'s "
        "non-Windows branch (Windows: any drive but %SystemDrive%)",
}


@cache
def _scan() -> dict[tuple[str, str, str], list[Trap]]:
    found: dict[tuple[str, str, str], list[Trap]] = {}
    for path in code_files():
        rel = path.relative_to(ROOT).as_posix()
        for trap in find_traps(path.read_text(encoding="utf-8")):
            found.setdefault((trap.rule, rel, trap.scope), []).append(trap)
    return found


def test_the_code_has_no_windows_traps():
    found = _scan()
    offenders = [f"{rel}:{t.line} [{rule}] {t.what} (in {scope})"
                 for (rule, rel, scope), traps in sorted(found.items()) if (rule, rel, scope) not in ALLOWED
                 for t in traps]
    assert offenders == []


def test_every_allowed_use_is_still_there():
    """An entry whose use is gone (fixed, moved or renamed) must leave the list."""
    found = _scan()
    assert [key for key in ALLOWED if key not in found] == []
    assert all(reason.strip() for reason in ALLOWED.values())


def test_the_scan_reads_the_code_it_is_meant_to():
    rels = {p.relative_to(ROOT).as_posix() for p in code_files()}
    assert "dikjamila/whatsapp/supervisor.py" in rels and "ui/app.py" in rels and "tools/bundle_slim.py" in rels
    assert not any(r.startswith("tests/") for r in rels)


def test_a_process_pool_comes_with_freeze_support_in_the_entry_point():
    """In a frozen Windows exe every process multiprocessing starts runs the exe again; without
    freeze_support() at the top of the entry point each one opens a new workstation."""
    users = [f"{p.relative_to(ROOT)}:{line}" for p in code_files() for line in process_pools(p.read_text(encoding="utf-8"))]
    entry = (ROOT / "ui" / "__main__.py").read_text(encoding="utf-8")
    assert users == [] or "freeze_support()" in entry, users


# -- the worker starts through the bundle's own executable ---------------------------------------

def test_the_frozen_windows_bundle_starts_its_children_as_its_own_console_exe(monkeypatch, tmp_path):
    """Frozen, `sys.executable` is dikjamila.exe (windowed, no stdin/stdout, no `-m`): the worker
    and the pywhatkit child run as dikjamila-cli.exe with a sub-command, never `python -m`."""
    import sys

    from dikjamila.whatsapp.supervisor import worker_command
    from dikjamila.whatsapp.transports.pywhatkit_transport import child_command

    (tmp_path / "dikjamila.exe").write_bytes(b"")
    (tmp_path / "dikjamila-cli.exe").write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "dikjamila.exe"))
    cli = str(tmp_path / "dikjamila-cli.exe")
    command = worker_command(tmp_path / "data")
    assert command == [cli, "whatsapp", "worker", "--data-dir", str(tmp_path / "data")]
    assert child_command() == [cli, "whatsapp", "pywhatkit-child"]
    assert "-m" not in command


def test_the_worker_sub_command_is_one_the_command_line_knows(tmp_path):
    from dikjamila.cli.main import build_parser
    from dikjamila.whatsapp.supervisor import worker_command

    command = worker_command(tmp_path, "+6281234567890")
    # From source it is `python -m dikjamila.whatsapp.worker ...`; the bundle's words are these:
    args = build_parser().parse_args(["whatsapp", "worker", *command[3:]])
    assert Path(args.data_dir) == tmp_path and args.account == "+6281234567890"


def test_the_self_test_starts_the_worker_as_the_supervisor_does():
    """ui/self_test.py proves the bundled worker starts: only if it uses worker_command()."""
    tree = ast.parse((ROOT / "ui" / "self_test.py").read_text(encoding="utf-8"))
    calls = {_dotted(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert "worker_command" in calls
    assert not any(_dotted(n) == "sys.executable" for n in ast.walk(tree) if isinstance(n, ast.Attribute))
