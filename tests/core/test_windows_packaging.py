"""The Windows build, checked without Windows: tools/build_bundle.ps1 and packaging/dikjamila.iss.

Neither PowerShell nor Inno Setup's compiler runs here, so their structure is read and held
against what they must agree with: build.spec (the folder COLLECT makes and the executables it
puts there), tools/build_bundle.sh (the same build and the same self-checks), pyproject.toml (the
version) and the workstation's real argument parser (`--kiosk`).

Each check is a function returning its problems; the real files have none, and for each check a
broken copy of a file (a mutation below) proves the check notices what it is about.
"""

from __future__ import annotations

import ast
import re
import shlex
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "packaging" / "dikjamila.iss"
PS1 = ROOT / "tools" / "build_bundle.ps1"
SH = ROOT / "tools" / "build_bundle.sh"
SPEC = ROOT / "build.spec"
PYPROJECT = ROOT / "pyproject.toml"


@dataclass(frozen=True)
class Sources:
    iss: str
    ps1: str
    sh: str
    spec: str
    pyproject: str


def real_sources() -> Sources:
    return Sources(*(p.read_text(encoding="utf-8") for p in (ISS, PS1, SH, SPEC, PYPROJECT)))


# -- build.spec ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SpecNames:
    collect: str
    exes: dict[str, bool]  # name -> built as a console program (console=True), on Windows


def spec_names(spec: str) -> SpecNames:
    """COLLECT's and EXE's `name=` in build.spec (its calls, read with ast, not run)."""
    collect, exes = None, {}
    for node in ast.walk(ast.parse(spec)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("EXE", "COLLECT"):
            kw = {k.arg: k.value for k in node.keywords}
            name = kw.get("name")
            if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
                continue
            if node.func.id == "COLLECT":
                collect = name.value
            else:
                console = kw.get("console")
                # `console=not WINDOWS` is windowed on Windows; only a literal True is a console exe there.
                exes[name.value] = isinstance(console, ast.Constant) and console.value is True
    assert collect and exes, "build.spec has no COLLECT/EXE with a name"
    return SpecNames(collect, exes)


def windowed_exe(names: SpecNames) -> str:
    [gui] = [n for n, console in names.exes.items() if not console]
    return gui


def project_version(pyproject: str) -> str:
    return tomllib.loads(pyproject)["project"]["version"]


# -- the .iss ------------------------------------------------------------------------------------

def iss_defines(iss: str) -> dict[str, list[str]]:
    """Each ISPP `#define Name "literal"` value, in order (expressions are left out)."""
    found: dict[str, list[str]] = {}
    for m in re.finditer(r'^\s*#define\s+(\w+)\s+"([^"]*)"\s*$', iss, re.MULTILINE):
        found.setdefault(m[1], []).append(m[2])
    return found


def iss_sections(iss: str) -> dict[str, list[str]]:
    """The lines of each [Section] (lower-cased name), without comments and ISPP directives."""
    sections: dict[str, list[str]] = {}
    current = None
    for raw in iss.splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        if m := re.fullmatch(r"\[(\w+)\]", line):
            current = m[1].lower()
            sections.setdefault(current, [])
        elif current is not None:
            sections[current].append(line)
    return sections


def _expand(value: str, defines: dict[str, list[str]]) -> str:
    def one(m: re.Match) -> str:
        values = [v for v in defines.get(m[1], []) if v]
        return values[0] if values else m[0]
    return re.sub(r"\{#(\w+)\}", one, value)


def iss_setup(iss: str) -> dict[str, str]:
    defines = iss_defines(iss)
    pairs = (line.split("=", 1) for line in iss_sections(iss).get("setup", []) if "=" in line)
    return {k.strip().lower(): _expand(v.strip(), defines) for k, v in pairs}


def _split_params(line: str) -> list[str]:
    parts, buf, quoted = [], [], False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return [p for p in parts if p.strip()]


def iss_entries(iss: str, section: str, *, expand: bool = True) -> list[dict[str, str]]:
    """The entries of an entry section (`Name: "..."; Flags: a b`), keys lower-cased."""
    defines = iss_defines(iss)
    entries = []
    for line in iss_sections(iss).get(section, []):
        entry = {}
        for part in _split_params(line):
            key, _, value = part.partition(":")
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1].replace('""', '"')
            entry[key.strip().lower()] = _expand(value, defines) if expand else value
        entries.append(entry)
    return entries


def _flags(entry: dict[str, str]) -> set[str]:
    return set(entry.get("flags", "").lower().split())


START_MENU = ("{autoprograms}\\", "{group}\\", "{commonprograms}\\", "{userprograms}\\")


def start_menu_entries(iss: str) -> dict[str, dict[str, str]]:
    return {e["name"].split("\\", 1)[1]: e for e in iss_entries(iss, "icons") if e.get("name", "").startswith(START_MENU)}


# The checks of the .iss. Each returns what is wrong ([] when nothing is).

def check_iss_packages_the_spec_folder(s: Sources) -> list[str]:
    names = spec_names(s.spec)
    files = iss_entries(s.iss, "files")
    want = f"..\\dist\\{names.collect}\\*"
    bundle = [e for e in files if e.get("source") == want]
    problems = [] if bundle else [f"no [Files] Source {want!r} (build.spec's COLLECT name): {files}"]
    for e in bundle:
        if e.get("destdir") != "{app}":
            problems.append(f"the bundle goes to {e.get('destdir')!r}, not {{app}}")
        if not {"recursesubdirs", "createallsubdirs"} <= _flags(e):
            problems.append(f"the bundle is copied without recursesubdirs createallsubdirs: {e.get('flags')!r}")
    if any(e not in bundle for e in files):
        problems.append(f"[Files] installs more than the bundle: {[e for e in files if e not in bundle]}")
    # packaging\..\dist\<collect> is the folder the spec makes (DISTPATH dist/, from the repo).
    if (ISS.parent / ".." / "dist" / names.collect).resolve() != ROOT / "dist" / names.collect:
        problems.append("packaging\\..\\dist is not the repository's dist folder")
    return problems


def check_iss_icons_start_the_windowed_exe(s: Sources) -> list[str]:
    names = spec_names(s.spec)
    gui = windowed_exe(names) + ".exe"
    problems = []
    icons = iss_entries(s.iss, "icons")
    if not icons:
        problems.append("no [Icons]")
    for e in icons:
        target = e.get("filename", "")
        exe = target.removeprefix("{app}\\")
        if exe.removesuffix(".exe") not in names.exes:
            problems.append(f"{e.get('name')}: {target!r} is no executable build.spec makes ({sorted(names.exes)})")
        elif exe != gui:  # the console build would open a black console window beside the workstation
            problems.append(f"{e.get('name')}: starts {exe}, not the windowed {gui}")
    if iss_setup(s.iss).get("uninstalldisplayicon") != f"{{app}}\\{gui}":
        problems.append("UninstallDisplayIcon is not the workstation's exe")
    return problems


def check_iss_start_menu_has_workstation_and_kiosk(s: Sources) -> list[str]:
    from ui.app import parse_args

    entries = start_menu_entries(s.iss)
    problems = []
    for name, kiosk in (("Dik Jamila", False), ("Dik Jamila Kios", True)):
        if name not in entries:
            problems.append(f"no Start-menu entry {name!r} (have {sorted(entries)})")
            continue
        argv = shlex.split(entries[name].get("parameters", ""))
        try:
            parsed = parse_args(argv)
        except SystemExit:  # the parser refused them (and said why on stderr)
            problems.append(f"{name!r} passes {argv}: the workstation's parser refuses them")
            continue
        if parsed.kiosk is not kiosk:
            problems.append(f"{name!r} passes {argv}: the workstation's parser reads kiosk={not kiosk}")
    return problems


def check_iss_keeps_no_data_and_never_deletes_it(s: Sources) -> list[str]:
    from dikjamila.config import APP_AUTHOR, APP_NAME, HOME_ENV

    sections = iss_sections(s.iss)
    code = "\n".join(line for lines in sections.values() for line in lines)
    problems = []
    # Nothing for the office's data is made under {app}/{autopf}: no folders, no settings, no
    # environment or parameters pointing the program there.
    if sections.get("dirs"):
        problems.append(f"[Dirs] makes folders: {sections['dirs']}")
    for section in ("ini", "registry"):
        if sections.get(section):
            problems.append(f"[{section}] writes settings: {sections[section]}")
    for e in iss_entries(s.iss, "icons") + iss_entries(s.iss, "run"):
        if "--data-dir" in e.get("parameters", "") or "--db-url" in e.get("parameters", ""):
            problems.append(f"{e.get('name') or e.get('filename')} passes a data dir: {e['parameters']!r}")
    if HOME_ENV in code:
        problems.append(f"the installer sets {HOME_ENV}")
    # Uninstalling must not delete the user's data dir (nor anything outside {app}).
    for e in iss_entries(s.iss, "uninstalldelete") + iss_entries(s.iss, "installdelete"):
        target = e.get("name", "")
        if not target.startswith("{app}\\") or APP_NAME.lower() in target.lower():
            problems.append(f"deletes {target!r}: only program files under {{app}} may go")
    if re.search(r"\b(DelTree|DeleteFile|RemoveDir)\s*\(", code, re.IGNORECASE):
        problems.append("[Code] deletes files")
    if f"{APP_AUTHOR}\\{APP_NAME}" not in s.iss.replace("\\\n; ", "\\"):
        problems.append(f"the comment naming the data dir is not {APP_AUTHOR}\\{APP_NAME} (dikjamila.config)")
    if not re.search(r"^;.*NOT deleted", s.iss, re.MULTILINE):
        problems.append("no comment saying uninstall keeps the user's data dir")
    return problems


def check_iss_version(s: Sources) -> list[str]:
    problems = []
    defaults = iss_defines(s.iss).get("AppVersion", [])
    if not re.search(r"^#ifndef\s+AppVersion\b", s.iss, re.MULTILINE):
        problems.append("AppVersion is not a define that /DAppVersion= can set (#ifndef AppVersion)")
    if defaults != [project_version(s.pyproject)]:
        problems.append(f"AppVersion default {defaults} is not pyproject's {project_version(s.pyproject)!r}")
    raw_setup = dict(line.split("=", 1) for line in iss_sections(s.iss).get("setup", []) if "=" in line)
    if raw_setup.get("AppVersion") != "{#AppVersion}":
        problems.append(f"[Setup] AppVersion={raw_setup.get('AppVersion')!r}, not the define")
    # The .ps1 passes the version it read from pyproject.toml.
    if not re.search(r'"/DAppVersion=\$version"', s.ps1):
        problems.append("build_bundle.ps1 does not pass /DAppVersion=$version to iscc")
    if not re.search(r"\$version\s*=\s*&\s*\$Py\b.*tomllib.*pyproject\.toml.*\['version'\]", s.ps1):
        problems.append("build_bundle.ps1 does not read $version from pyproject.toml")
    return problems


def check_iss_languages(s: Sources) -> list[str]:
    entries = iss_entries(s.iss, "languages", expand=False)
    defines = iss_defines(s.iss)
    problems = []
    if not entries or entries[0].get("name") != "id":
        problems.append(f"Indonesian is not the first language: {entries}")
    else:
        first = entries[0]["messagesfile"]
        candidates = [first] if "{#" not in first else defines.get(first.strip("{#}"), [])
        if "compiler:Languages\\Indonesian.isl" not in candidates:
            problems.append(f"Indonesian does not come from compiler:Languages\\Indonesian.isl: {candidates}")
    if {"name": "en", "messagesfile": "compiler:Default.isl"} not in entries:
        problems.append("no English fallback (compiler:Default.isl)")
    if iss_setup(s.iss).get("languagedetectionmethod") != "none":
        problems.append("the Windows language, not Indonesian, would choose the installer's language")
    return problems


def check_iss_install_mode(s: Sources) -> list[str]:
    setup = iss_setup(s.iss)
    problems = []
    if setup.get("privilegesrequired") != "admin":
        problems.append(f"PrivilegesRequired={setup.get('privilegesrequired')!r}, not admin")
    if setup.get("defaultdirname") != "{autopf}\\Dik Jamila":
        problems.append(f"DefaultDirName={setup.get('defaultdirname')!r}")
    if setup.get("uninstallable", "yes").lower() not in ("yes", "true", "1") or not setup.get("uninstalldisplayname"):
        problems.append("no uninstall entry")
    if not re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", setup.get("appid", "")):
        problems.append(f"AppId {setup.get('appid')!r} is not a fixed GUID")
    return problems


def check_iss_desktop_icon_is_optional(s: Sources) -> list[str]:
    tasks = {e["name"]: e for e in iss_entries(s.iss, "tasks")}
    desktop = [e for e in iss_entries(s.iss, "icons") if e.get("name", "").startswith("{autodesktop}\\")]
    if not desktop:
        return ["no desktop icon"]
    return [f"desktop icon {e['name']!r} is not behind an optional task" for e in desktop
            if e.get("tasks") not in tasks or "unchecked" not in _flags(tasks[e["tasks"]])]


# -- the .ps1 ------------------------------------------------------------------------------------

def _ps_code_chars(line: str):
    """(index, char) of `line` outside its quoted strings (a backtick escapes in double quotes)."""
    quote, escaped = None, False
    for i, ch in enumerate(line):
        if escaped:
            escaped = False
        elif quote == '"' and ch == "`":
            escaped = True
        elif quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        else:
            yield i, ch


def _strip_ps_comment(line: str) -> str:
    for i, ch in _ps_code_chars(line):
        if ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def ps_statements(ps1: str) -> list[str]:
    """The code as logical lines: comments gone, lines continued by `, (, a backtick or a pipe joined."""
    code = re.sub(r"<#.*?#>", "", ps1, flags=re.DOTALL)
    out, buf, depth = [], "", 0
    for raw in code.splitlines():
        line = _strip_ps_comment(raw).strip()
        if not line:
            continue
        buf = f"{buf} {line}" if buf else line
        depth += sum({"(": 1, ")": -1}.get(ch, 0) for _, ch in _ps_code_chars(line))
        if depth > 0 or buf.endswith(("`", "|", ",")):
            buf = buf.rstrip("`").rstrip()
            continue
        out.append(buf)
        buf, depth = "", 0
    return out


_NATIVE = re.compile(r"(^|[\s=(|;{])&\s+\$\w+|\bInvoke-Cli\s+@\(")
_CHECKED = re.compile(r"\$LASTEXITCODE|\bAssert-Exit\b")


def unchecked_native_calls(ps1: str) -> list[str]:
    """Statements running a native program whose next statement looks at no exit code."""
    statements = ps_statements(ps1)
    problems = []
    for i, stmt in enumerate(statements):
        if stmt.startswith("function ") or not _NATIVE.search(stmt):
            continue
        following = statements[i + 1] if i + 1 < len(statements) else ""
        if not _CHECKED.search(following):
            problems.append(stmt)
    # dikjamila.exe runs through Start-Process: its exit code is compared, or (the kiosk, which
    # must stay up) its having ended by itself leads to a throw.
    for i, stmt in enumerate(statements):
        if not (m := re.match(r"\$(\w+)\s*=\s*Start-Gui\b", stmt)):
            continue
        rest = statements[i + 1:]
        compared = any(re.search(rf"\${m[1]}\.ExitCode\s+-(ne|eq)\b", st) for st in rest)
        waited = next((w[1] for st in rest if (w := re.match(rf"\$(\w+)\s*=\s*\${m[1]}\.WaitForExit\(", st))), None)
        judged = waited and any(re.match(rf"if \(\${waited}\b", st) and any(t.startswith("throw ") for t in rest[j + 1:j + 6])
                                for j, st in enumerate(rest))
        if not (compared or judged):
            problems.append(f"${m[1]} = Start-Gui …: how it ended is never looked at")
    return problems


def check_ps1_stops_on_errors(s: Sources) -> list[str]:
    statements = ps_statements(s.ps1)
    stop = next((i for i, st in enumerate(statements) if re.fullmatch(r"\$ErrorActionPreference\s*=\s*'Stop'", st)), None)
    first_call = next((i for i, st in enumerate(statements) if _NATIVE.search(st) and not st.startswith("function")),
                      len(statements))
    if stop is None or stop > first_call:
        return ["$ErrorActionPreference = 'Stop' is not set before the first native call"]
    return []


def check_ps1_checks_every_exit_code(s: Sources) -> list[str]:
    problems = [f"exit code not checked after: {st}" for st in unchecked_native_calls(s.ps1)]
    assert_exit = re.search(r"function Assert-Exit\b[^{]*\{(.*?)\n\}", s.ps1, re.DOTALL)
    if not assert_exit or not re.search(r"\$LASTEXITCODE\s+-ne\s+0\s*\)\s*\{\s*throw\b", assert_exit[1]):
        problems.append("Assert-Exit does not throw when $LASTEXITCODE is not 0")
    if "$PSNativeCommandUseErrorActionPreference = $false" not in s.ps1:
        problems.append("PowerShell 7.3+ may stop on the expected non-zero exit of the landline check")
    return problems


def _pyinstaller_range(text: str) -> list[str]:
    return re.findall(r"pyinstaller[<>=!~][^\"'\s]*", text)


def _pyinstaller_args(line_pattern: str, text: str) -> list[str] | None:
    m = re.search(line_pattern, text, re.MULTILINE)
    return m[1].split() if m else None


def check_ps1_runs_pyinstaller_like_the_sh(s: Sources) -> list[str]:
    problems = []
    if not _pyinstaller_range(s.ps1) or _pyinstaller_range(s.ps1) != _pyinstaller_range(s.sh):
        problems.append(f"PyInstaller range {_pyinstaller_range(s.ps1)} != the .sh's {_pyinstaller_range(s.sh)}")
    if not re.search(r"&\s+\$Py\s+-m\s+pip\s+install\s+(-q\s+)?-e\s+\.\s+\$PyInstallerSpec\b", s.ps1):
        problems.append("pip does not install the project (-e .) and PyInstaller")
    ps_args = _pyinstaller_args(r"^&\s+\$Py\s+-m\s+PyInstaller\s+(.*?)\s+build\.spec$", "\n".join(ps_statements(s.ps1)))
    sh_args = _pyinstaller_args(r'"\$PY" -m PyInstaller\s+(.*?)\s+build\.spec', s.sh)
    if ps_args is None or ps_args != sh_args:
        problems.append(f"PyInstaller is not run on build.spec as the .sh runs it: {ps_args} vs {sh_args}")
    return problems


def check_ps1_sets_zlib_level_0_for_pyinstaller(s: Sources) -> list[str]:
    statements = ps_statements(s.ps1)
    sets = [i for i, st in enumerate(statements) if st == "$env:PYINSTALLER_ZLIB_COMPRESSION_LEVEL = '0'"]
    runs = [i for i, st in enumerate(statements) if re.search(r"-m\s+PyInstaller\b", st)]
    if "PYINSTALLER_ZLIB_COMPRESSION_LEVEL=0" not in s.sh:
        return ["the .sh no longer sets PYINSTALLER_ZLIB_COMPRESSION_LEVEL=0: look again at both"]
    if not sets or not runs or sets[0] > runs[0]:
        return ["PYINSTALLER_ZLIB_COMPRESSION_LEVEL is not '0' when PyInstaller runs"]
    return []


def check_ps1_checks_both_executables(s: Sources) -> list[str]:
    names = spec_names(s.spec)
    problems = []
    for var, want in (("Gui", windowed_exe(names)), ("Cli", next(n for n, c in names.exes.items() if c))):
        m = re.search(rf"\${var}\s*=\s*Join-Path\s+\$Root\s+'dist\\(\w+)\\([\w-]+)\.exe'", s.ps1)
        if not m or (m[1], m[2]) != (names.collect, want):
            problems.append(f"${var} is not dist\\{names.collect}\\{want}.exe")
    if not re.search(r"foreach \(\$exe in \$Gui, \$Cli\) \{\s*if \(-not \(Test-Path -LiteralPath \$exe", s.ps1):
        problems.append("the script does not check that both executables exist")
    if not re.search(r"& \$Cli @Arguments", s.ps1) or not re.search(r"-FilePath \$Gui\b", s.ps1):
        problems.append("Invoke-Cli/Start-Gui do not run $Cli/$Gui")
    return problems


_WORD = re.compile(r"^-{0,2}[a-z][a-z-]*$")


def sh_self_checks(sh: str) -> list[tuple[str, tuple[str, ...]]]:
    """(exe, leading literal words) of each run of the bundle's programs in the .sh."""
    found = []
    for m in re.finditer(r'"\$BUNDLE/(dikjamila(?:-cli)?)"([^\n]*)', sh):
        words = []
        for token in m[2].split():
            if not _WORD.match(token):
                break
            words.append(token)
        found.append((m[1], tuple(words)))
    return sorted(found)


def _literal_words(array_text: str) -> tuple[str, ...]:
    words = []
    for item in (t.strip() for t in array_text.split(",")):
        if not (m := re.fullmatch(r"'([^']*)'", item)) or not _WORD.match(m[1]):
            break
        words.append(m[1])
    return tuple(words)


def ps1_self_checks(ps1: str, spec: str) -> list[tuple[str, tuple[str, ...]]]:
    names = spec_names(spec)
    gui, cli = windowed_exe(names), next(n for n, c in names.exes.items() if c)
    found = []
    for st in ps_statements(ps1):
        if st.startswith("function "):
            continue
        for m in re.finditer(r"\b(Invoke-Cli|Start-Gui)\s+@\(([^)]*)\)", st):
            found.append((cli if m[1] == "Invoke-Cli" else gui, _literal_words(m[2])))
    return sorted(found)


def check_ps1_runs_the_same_self_checks_as_the_sh(s: Sources) -> list[str]:
    problems = []
    sh, ps = sh_self_checks(s.sh), ps1_self_checks(s.ps1, s.spec)
    if len(sh) < 7 or sh != ps:
        problems.append(f"self-checks differ:\n  .sh:  {sh}\n  .ps1: {ps}")
    if ("dikjamila", ("--self-test",)) not in ps:
        problems.append("dikjamila.exe --self-test is not run")
    # What the .sh looks for in their output, the .ps1 looks for too.
    for pattern in re.findall(r"""grep -q(?:\s+--)?\s+(?:"([^"]+)"|'([^']+)')""", s.sh):
        text = pattern[0] or pattern[1]
        if "$" not in text and text not in s.ps1:
            problems.append(f"the .sh checks the output for {text!r}, the .ps1 does not")
    sh_requests, ps_requests = (sorted(set(re.findall(r"BLG-\d{8}-\d{4}", t))) for t in (s.sh, s.ps1))
    if sh_requests != ps_requests:
        problems.append(f"request numbers looked for differ: .sh {sh_requests}, .ps1 {ps_requests}")
    sh_modules = sorted(set(re.findall(r'"\$PY" -m ([\w.]+)', s.sh)))
    ps_modules = sorted(set(re.findall(r"&\s+\$Py\s+-m\s+([\w.]+)", s.ps1)))
    if sh_modules != ps_modules:
        problems.append(f"python -m runs differ: .sh {sh_modules}, .ps1 {ps_modules}")
    sh_numbers = re.findall(r'--nomor "([^"]+)"', s.sh)
    ps_numbers = re.findall(r"'--nomor',\s*'([^']+)'", s.ps1)
    if not sh_numbers or sh_numbers != ps_numbers:
        problems.append(f"phone numbers differ: .sh {sh_numbers}, .ps1 {ps_numbers}")
    sh_seconds = re.search(r"^KIOSK_SECONDS=(\d+)$", s.sh, re.MULTILINE)
    ps_seconds = re.search(r"^\$KioskSeconds = (\d+)$", s.ps1, re.MULTILINE)
    if not (sh_seconds and ps_seconds and sh_seconds[1] == ps_seconds[1]):
        problems.append("the kiosk is not given the .sh's KIOSK_SECONDS")
    statements = ps_statements(s.ps1)
    offscreen = [i for i, st in enumerate(statements) if st == "$env:QT_QPA_PLATFORM = 'offscreen'"]
    guis = [i for i, st in enumerate(statements) if "Start-Gui @(" in st and not st.startswith("function")]
    if not offscreen or not guis or offscreen[0] > guis[0]:
        problems.append("QT_QPA_PLATFORM=offscreen is not set before dikjamila.exe runs")
    return problems


def check_ps1_python_and_installer(s: Sources) -> list[str]:
    problems = []
    if not re.search(r"\$Py = \$env:PYTHON\s+if \(-not \$Py\) \{ \$Py = Join-Path \$Root '\.venv\\Scripts\\python\.exe' \}",
                     s.ps1):
        problems.append("the interpreter is not $env:PYTHON, else .venv\\Scripts\\python.exe")
    if not re.search(r"param\(\s*\[switch\]\$Installer", s.ps1):
        problems.append("no -Installer switch")
    if not re.search(r"if \(\$Installer\) \{.*?& \$iscc \"/DAppVersion=\$version\" 'packaging\\dikjamila\.iss'",
                     s.ps1, re.DOTALL):
        problems.append("-Installer does not run iscc on packaging\\dikjamila.iss")
    if not (ROOT / "packaging" / "dikjamila.iss").is_file():
        problems.append("packaging\\dikjamila.iss is missing")
    return problems


CHECKS = {f.__name__: f for f in (
    check_iss_packages_the_spec_folder, check_iss_icons_start_the_windowed_exe,
    check_iss_start_menu_has_workstation_and_kiosk, check_iss_keeps_no_data_and_never_deletes_it,
    check_iss_version, check_iss_languages, check_iss_install_mode, check_iss_desktop_icon_is_optional,
    check_ps1_stops_on_errors, check_ps1_checks_every_exit_code, check_ps1_runs_pyinstaller_like_the_sh,
    check_ps1_sets_zlib_level_0_for_pyinstaller, check_ps1_checks_both_executables,
    check_ps1_runs_the_same_self_checks_as_the_sh, check_ps1_python_and_installer,
)}


@pytest.mark.parametrize("check", CHECKS)
def test_the_windows_build_files_pass(check):
    assert CHECKS[check](real_sources()) == []


def test_the_program_keeps_its_data_in_the_user_data_dir(monkeypatch, tmp_path):
    """What the installer relies on to keep nothing in Program Files: without --data-dir,
    DIKJAMILA_HOME or a chosen folder, the data dir is platformdirs' per-user, non-roaming one
    (%LOCALAPPDATA%\\Disdukcapil Balangan\\DikJamila on Windows)."""
    from dikjamila import config

    monkeypatch.delenv(config.HOME_ENV, raising=False)
    monkeypatch.setattr(config, "location_file", lambda: tmp_path / "no-location.toml")
    asked = []

    def user_data_dir(*args, **kwargs):
        asked.append((args, kwargs))
        return str(tmp_path / "user-data")

    monkeypatch.setattr(config.platformdirs, "user_data_dir", user_data_dir)
    assert config.resolve_data_dir() == tmp_path / "user-data"
    assert asked == [((config.APP_NAME, config.APP_AUTHOR), {"roaming": False})]


# -- each check notices what it is about ---------------------------------------------------------

# (check, file, text in it, replaced by): the broken copy the check must complain about.
MUTATIONS = [
    ("check_iss_packages_the_spec_folder", "iss", 'Source: "..\\dist\\dikjamila\\*"', 'Source: "..\\dist\\dikjamila-old\\*"'),
    ("check_iss_packages_the_spec_folder", "iss", "ignoreversion recursesubdirs createallsubdirs", "ignoreversion"),
    ("check_iss_packages_the_spec_folder", "iss", 'DestDir: "{app}"; Flags: ignoreversion',
     'DestDir: "{app}\\bin"; Flags: ignoreversion'),
    ("check_iss_packages_the_spec_folder", "spec", 'strip=not WINDOWS, name="dikjamila")',
     'strip=not WINDOWS, name="dikjamila-app")'),
    ("check_iss_icons_start_the_windowed_exe", "iss", '#define AppExe "dikjamila.exe"',
     '#define AppExe "dikjamila-cli.exe"'),
    ("check_iss_icons_start_the_windowed_exe", "iss", '#define AppExe "dikjamila.exe"',
     '#define AppExe "dikjamila2.exe"'),
    ("check_iss_start_menu_has_workstation_and_kiosk", "iss", 'Parameters: "--kiosk"', 'Parameters: "--kiosk-mode"'),
    ("check_iss_start_menu_has_workstation_and_kiosk", "iss", 'Name: "{autoprograms}\\Dik Jamila Kios"',
     'Name: "{autodesktop}\\Dik Jamila Kios"'),
    ("check_iss_start_menu_has_workstation_and_kiosk", "iss",
     'Name: "{autoprograms}\\Dik Jamila"; Filename: "{app}\\{#AppExe}";',
     'Name: "{autoprograms}\\Dik Jamila"; Filename: "{app}\\{#AppExe}"; Parameters: "--kiosk";'),
    ("check_iss_keeps_no_data_and_never_deletes_it", "iss", "[Tasks]", '[Dirs]\nName: "{app}\\data"\n\n[Tasks]'),
    ("check_iss_keeps_no_data_and_never_deletes_it", "iss", "[Tasks]",
     '[UninstallDelete]\nType: filesandordirs; Name: "{localappdata}\\Disdukcapil Balangan\\DikJamila"\n\n[Tasks]'),
    ("check_iss_keeps_no_data_and_never_deletes_it", "iss", 'Parameters: "--kiosk"',
     'Parameters: "--kiosk --data-dir ""{app}\\data"""'),
    ("check_iss_keeps_no_data_and_never_deletes_it", "iss", "is deliberately NOT deleted", "is deleted"),
    ("check_iss_version", "iss", '#define AppVersion "0.1.0"', '#define AppVersion "0.0.9"'),
    ("check_iss_version", "iss", "AppVersion={#AppVersion}", "AppVersion=0.1.0"),
    ("check_iss_version", "ps1", '"/DAppVersion=$version"', '"/DVersion=$version"'),
    ("check_iss_languages", "iss", 'Name: "id"; MessagesFile: "{#IndonesianIsl}"\n', ""),
    ("check_iss_languages", "iss", 'Name: "en"; MessagesFile: "compiler:Default.isl"', ""),
    ("check_iss_install_mode", "iss", "PrivilegesRequired=admin", "PrivilegesRequired=lowest"),
    ("check_iss_install_mode", "iss", "DefaultDirName={autopf}\\Dik Jamila", "DefaultDirName={localappdata}\\Dik Jamila"),
    ("check_iss_desktop_icon_is_optional", "iss", "; Tasks: desktopicon", ""),
    ("check_ps1_stops_on_errors", "ps1", "$ErrorActionPreference = 'Stop'\n", ""),
    ("check_ps1_checks_every_exit_code", "ps1", "        Assert-Exit 'PyInstaller build.spec'\n", ""),
    ("check_ps1_checks_every_exit_code", "ps1", "    Assert-Exit 'dikjamila-cli.exe kiosk pin'\n", ""),
    ("check_ps1_checks_every_exit_code", "ps1", "if ($selfTest.ExitCode -ne 0)", "if ($false)"),
    ("check_ps1_checks_every_exit_code", "ps1", "    $code = $LASTEXITCODE\n", ""),
    ("check_ps1_checks_every_exit_code", "ps1", "if ($exited -or $traceback.Count", "if ($traceback.Count"),
    ("check_ps1_runs_pyinstaller_like_the_sh", "ps1", "--log-level WARN build.spec", "--log-level WARN other.spec"),
    ("check_ps1_runs_pyinstaller_like_the_sh", "ps1", "--noconfirm --clean", "--noconfirm"),
    ("check_ps1_runs_pyinstaller_like_the_sh", "ps1", "'pyinstaller>=6.10,<7'", "'pyinstaller>=6.10,<8'"),
    ("check_ps1_runs_pyinstaller_like_the_sh", "ps1", "pip install -q -e . $PyInstallerSpec", "pip install -q $PyInstallerSpec"),
    ("check_ps1_sets_zlib_level_0_for_pyinstaller", "ps1", "$env:PYINSTALLER_ZLIB_COMPRESSION_LEVEL = '0'",
     "$env:PYINSTALLER_ZLIB_COMPRESSION_LEVEL = '9'"),
    ("check_ps1_checks_both_executables", "ps1", "'dist\\dikjamila\\dikjamila-cli.exe'", "'dist\\dikjamila\\dikjamila-console.exe'"),
    ("check_ps1_checks_both_executables", "ps1", "foreach ($exe in $Gui, $Cli) {", "foreach ($exe in $Gui) {"),
    ("check_ps1_runs_the_same_self_checks_as_the_sh", "ps1", "Start-Gui @('--self-test')", "Start-Gui @('--selftest')"),
    ("check_ps1_runs_the_same_self_checks_as_the_sh", "ps1", "Invoke-Cli @('whatsapp', 'worker', '--help')",
     "Invoke-Cli @('whatsapp', '--help')"),
    ("check_ps1_runs_the_same_self_checks_as_the_sh", "ps1", "'0526 21234'", "'0526 2123'"),
    ("check_ps1_runs_the_same_self_checks_as_the_sh", "ps1", "'telepon rumah/kantor'", "'telepon rumah'"),
    ("check_ps1_runs_the_same_self_checks_as_the_sh", "ps1", "$KioskSeconds = 8", "$KioskSeconds = 2"),
    ("check_ps1_runs_the_same_self_checks_as_the_sh", "ps1", "    $env:QT_QPA_PLATFORM = 'offscreen'\n", ""),
    ("check_ps1_runs_the_same_self_checks_as_the_sh", "sh", "KIOSK_SECONDS=8", "KIOSK_SECONDS=10"),
    ("check_ps1_runs_the_same_self_checks_as_the_sh", "ps1", "'BLG-20261120-0002'", "'BLG-20261120-0003'"),
    ("check_ps1_runs_the_same_self_checks_as_the_sh", "ps1", "& $Py -m tests.old_office", "& $Py tests\\old_office.py"),
    ("check_ps1_python_and_installer", "ps1", "if (-not $Py) { $Py = Join-Path $Root '.venv\\Scripts\\python.exe' }",
     "if (-not $Py) { $Py = 'python.exe' }"),
    ("check_ps1_python_and_installer", "ps1", "if ($Installer) {", "if ($false) {"),
]


@pytest.mark.parametrize("check, which, old, new", MUTATIONS, ids=[f"{m[0]}-{i}" for i, m in enumerate(MUTATIONS)])
def test_each_check_notices_a_broken_file(check, which, old, new):
    sources = real_sources()
    text = getattr(sources, which)
    assert old in text, f"the mutation's target is gone from {which}: update MUTATIONS"
    broken = replace(sources, **{which: text.replace(old, new, 1)})
    assert CHECKS[check](broken) != []


def test_every_check_has_a_mutation():
    assert {m[0] for m in MUTATIONS} == set(CHECKS)


def test_the_readers_understand_the_formats():
    """The small parsers the checks stand on."""
    assert _split_params('Name: "a;b"; Flags: x y') == ['Name: "a;b"', " Flags: x y"]
    assert iss_entries('[Icons]\nName: "{app}\\a ""q"""; Parameters: "--kiosk"\n', "icons") == [
        {"name": '{app}\\a "q"', "parameters": "--kiosk"}]
    assert ps_statements("$a = f @('x',\n  'y')  # note\n<# block\n#>\n& $b `\n  -c\nAssert-Exit 'b'\n") == [
        "$a = f @('x', 'y')", "& $b -c", "Assert-Exit 'b'"]
    assert unchecked_native_calls("& $Py -m x\nWrite-Host 1\n") == ["& $Py -m x"]
    assert unchecked_native_calls("& $Py -m x\nAssert-Exit 'x'\n") == []
    assert sh_self_checks('x=1\n"$BUNDLE/dikjamila-cli" user add --data-dir "$o" --name U\n') == [
        ("dikjamila-cli", ("user", "add", "--data-dir"))]
    assert _literal_words("'user', 'add', '--data-dir', $office, '--name'") == ("user", "add", "--data-dir")
    names = spec_names(SPEC.read_text(encoding="utf-8"))
    assert names.collect == "dikjamila" and names.exes == {"dikjamila": False, "dikjamila-cli": True}
