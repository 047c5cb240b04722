"""Helpers for `build.spec` that leave out of the bundle what Dik Jamila never uses.

`prune`: drop TOC entries by pattern (Qt plugins, translations), then on Linux the shared
libraries that only the dropped files needed (the Wayland client, the GTK theme's cairo/pango
stack, ...), found through their `NEEDED` entries (`readelf -d`).

`with_trimmed_icu`: the PySide6 wheel's Qt on Linux links its own ICU 73, and
`libicudata.so.73` is 32 MB: every locale, converter and dictionary ICU knows. Qt6Core is
ICU's only user in the bundle, and it calls four families of ICU functions (checked with
`readelf --dyn-syms` on every Qt library and plugin):

- `ucol_*`  QCollator (sorting in a file dialog, `localeAwareCompare`): `coll/` data;
- `ucal_*`  time-zone ids and display names: `zoneinfo64`, `metaZones`, `zone/`;
- `ucnv_*`  QStringConverter for encodings Qt does not implement itself: `*.cnv`;
- `u_strToUpper/Lower` with a locale: case tables built into libicuuc (no data).

So the data keeps ICU's core files and, of the per-locale files, only root, Indonesian and
English; for any other locale ICU falls back to root (a Swedish PC sorts "ä" with "a" instead
of after "z"; time-zone names come out in English). It drops the transliterators, spell-out
rules, word-break dictionaries (Chinese/Japanese/Thai/Khmer/Lao/Burmese), character names and
the East Asian multi-byte converter tables; the single-byte code pages (windows-125x,
ISO-8859-x, KOI8, ...) stay. 32 MB becomes 4 MB.

The data is ICU's "common data" package (`icudt73l.dat`: a header, a sorted table of item
names and offsets, then the items), which libicudata exports as the symbol `icudt73_dat`. It is
rebuilt here in Python and linked into a new `libicudata.so.73` with binutils' `as` and `ld`
(PyInstaller needs binutils on Linux anyway); no ICU tools are needed.
"""

from __future__ import annotations

import fnmatch
import re
import struct
import subprocess
import sys
from pathlib import Path

# --- pruning the TOC --------------------------------------------------------------------------


def _needed(path: str) -> set[str]:
    """The sonames `path` links against (its ELF NEEDED entries; none for a non-ELF file)."""
    out = subprocess.run(["readelf", "-d", path], check=False, capture_output=True, text=True,
                         encoding="utf-8").stdout
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^]]+)\]", out))


def prune(binaries: list, datas: list, patterns: list[str]) -> tuple[list, list, list[str]]:
    """`binaries` and `datas` without the entries matching `patterns` (fnmatch on the
    destination path, with `/`) and, on Linux, without the libraries left unneeded by them.

    Only libraries that a dropped file linked against can go, and only when no remaining
    binary links against them: a library loaded with ctypes (libmagic, neonize's Go library)
    is never touched. Returns the new lists and the destinations dropped.
    """
    def matches(dest: str) -> bool:
        return any(fnmatch.fnmatch(dest.replace("\\", "/"), p) for p in patterns)

    dropped = {dest for dest, _, _ in binaries + datas if matches(dest)}
    if sys.platform.startswith("linux"):
        needs = {dest: _needed(src) for dest, src, _ in binaries}
        candidates = set().union(*(needs[d] for d in dropped if d in needs))
        while candidates:
            wanted = set().union(*(n for d, n in needs.items() if d not in dropped))
            orphans = {d for d in needs if d not in dropped and Path(d).name in candidates - wanted}
            if not orphans:
                break
            dropped |= orphans
            candidates = set().union(*(needs[d] for d in orphans))
    # PyInstaller also puts a top-level symlink beside a library kept in a sub-folder
    # (`libQt6WaylandClient.so.6 -> PySide6/Qt/lib/...`): it goes with its target.
    keep = [e for e in datas if e[0] not in dropped and not (e[2] == "SYMLINK" and e[1] in dropped)]
    return [e for e in binaries if e[0] not in dropped], keep, sorted(dropped)


# --- ICU data ---------------------------------------------------------------------------------
#: Locales whose data is kept in every tree (main, coll, curr, lang, region, unit, zone).
#: `in` is ICU's alias for the old code of Indonesian.
KEEP_LOCALES = frozenset({"root", "id", "id_ID", "in", "in_ID", "en", "en_US", "en_001"})
#: Per-tree files that look like locale names but are indexes.
_INDEX_FILES = frozenset({"res_index", "pool"})
#: Whole trees Qt never reaches: transliteration, number spell-out, word/line breaking.
_DROPPED_TREES = frozenset({"translit", "rbnf", "brkitr"})
#: Converter tables above this size are the East Asian multi-byte ones; code pages are 1-5 KB.
_MAX_CONVERTER_BYTES = 20_000
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*$")  # also `de_` (a variant collation)


def keep_item(name: str, size: int) -> bool:
    """Whether the package item `name` (e.g. `icudt73l/coll/de.res`) stays."""
    tree, _, leaf = name.split("/", 1)[1].rpartition("/")
    if tree in _DROPPED_TREES or leaf == "unames.icu":
        return False
    if leaf.endswith(".cnv"):
        return size <= _MAX_CONVERTER_BYTES
    stem = leaf.removesuffix(".res")
    if stem != leaf and stem not in _INDEX_FILES and _LOCALE.match(stem):
        return stem in KEEP_LOCALES
    return True


def select_items(items: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The items that stay, without a converter that extends a dropped one.

    An "extension-only" converter (windows-936-2000) names its base table
    (ibm-1386_P100-2001) in its data; it goes when its base goes.
    """
    kept = [(n, b) for n, b in items if keep_item(n, len(b))]
    names = {n for n, _ in kept}
    gone = [n.rsplit("/", 1)[1].removesuffix(".cnv").encode("ascii")
            for n, _ in items if n.endswith(".cnv") and n not in names]
    return [(n, b) for n, b in kept
            if not (n.endswith(".cnv") and any(b"\0" + base + b"\0" in b for base in gone))]


def read_package(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Split an ICU common-data package into its header and its (name, item) pairs."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", data, 0)
    if (magic1, magic2) != (0xDA, 0x27) or data[12:16] != b"CmnD" or data[8] != 0:
        raise ValueError("not a little-endian ICU common data package")
    toc = data[header_size:]
    (count,) = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(entries):
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        items.append((toc[name_at:toc.index(b"\0", name_at)].decode("ascii"), toc[data_at:end]))
    return data[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The package of `items`: names sorted (ICU looks them up by binary search), data 16-aligned."""
    items = sorted(items)
    names = b"".join(n.encode("ascii") + b"\0" for n, _ in items)
    names_at = 4 + 8 * len(items)
    data_at = -(-(names_at + len(names)) // 16) * 16
    toc, blobs, name_at, at = [struct.pack("<I", len(items))], [], names_at, data_at
    for name, blob in items:
        toc.append(struct.pack("<II", name_at, at))
        name_at += len(name) + 1
        blobs.append(blob + b"\0" * (-len(blob) % 16))
        at += len(blobs[-1])
    head = b"".join(toc) + names
    return header + head + b"\0" * (data_at - len(head)) + b"".join(blobs)


def _exported_data(lib: Path) -> tuple[str, bytes]:
    """The name and bytes of the `icudtNN_dat` symbol in `lib`."""
    syms = subprocess.run(["readelf", "-W", "--dyn-syms", str(lib)], check=True,
                          capture_output=True, text=True, encoding="utf-8").stdout
    found = re.search(r"\s([0-9a-f]+)\s+(\d+|0x[0-9a-f]+)\s+OBJECT\s+GLOBAL\s+\S+\s+\d+\s+(icudt\d+_dat)\b", syms)
    if not found:
        raise ValueError(f"{lib.name} exports no icudtNN_dat symbol")
    address, size, symbol = int(found[1], 16), int(found[2], 0), found[3]
    sections = subprocess.run(["readelf", "-W", "-S", str(lib)], check=True,
                              capture_output=True, text=True, encoding="utf-8").stdout
    for line in sections.splitlines():
        fields = line.split("]", 1)[-1].split()
        if len(fields) >= 5 and fields[1] == "PROGBITS":
            start, offset, length = int(fields[2], 16), int(fields[3], 16), int(fields[4], 16)
            if start <= address < start + length:
                at = offset + address - start
                return symbol, lib.read_bytes()[at:at + size]
    raise ValueError(f"{symbol} lies in no section of {lib.name}")


def trimmed_icudata(lib: Path, out_dir: Path) -> Path:
    """Write `out_dir/<lib.name>`: `lib` with only the data Qt needs."""
    symbol, data = _exported_data(lib)
    header, items = read_package(data)
    package = write_package(header, select_items(items))
    out_dir.mkdir(parents=True, exist_ok=True)
    dat = items[0][0].split("/", 1)[0] + ".dat"  # icudt73l.dat: ICU's own `icupkg -l` reads it too
    (out_dir / dat).write_bytes(package)
    (out_dir / "icudata.s").write_text(
        "\t.section .rodata\n\t.balign 16\n"
        f"\t.globl {symbol}\n\t.type {symbol}, @object\n{symbol}:\n"
        f'\t.incbin "{dat}"\n'
        f"\t.size {symbol}, . - {symbol}\n"
        '\t.section .note.GNU-stack,"",@progbits\n', encoding="utf-8")
    subprocess.run(["as", "-o", "icudata.o", "icudata.s"], cwd=out_dir, check=True)
    out = out_dir / lib.name  # named by its soname, as the wheel ships it and the loader asks for it
    subprocess.run(["ld", "-shared", "-soname", lib.name, "-z", "noexecstack", "-o", str(out), "icudata.o"],
                   cwd=out_dir, check=True)
    return out


def with_trimmed_icu(binaries: list, work_dir: Path) -> list:
    """`binaries` with a trimmed copy of each `libicudata.so.*` (Linux; elsewhere unchanged)."""
    out = []
    for dest, src, kind in binaries:
        if fnmatch.fnmatch(Path(dest).name, "libicudata.so.*"):
            src = str(trimmed_icudata(Path(src), work_dir))
            print(f"bundle_slim: {dest}: ICU data for root/id/en only ({Path(src).stat().st_size / 1e6:.1f} MB)")
        out.append((dest, src, kind))
    return out
