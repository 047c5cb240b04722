#!/usr/bin/env bash
# Build the one-folder PyInstaller bundle (dist/dikjamila/), report its size (unpacked, as
# tar.xz, and its 20 largest entries), and prove it works: `dikjamila --self-test` (database,
# SOPs, log masking, a PDF page, and the bundled WhatsApp worker started as the workstation
# starts it), `dikjamila-cli --version`, `dikjamila-cli whatsapp worker --help`, phone numbers
# (a chat import with a mobile number; a landline refused as one), the kiosk screen staying
# up offscreen (those two guard what build.spec leaves out), and a data dir made by the oldest
# migration being upgraded by this bundle. Any failure fails the script.
#
# Usage: tools/build_bundle.sh   (from anywhere, with .venv set up)
#   PYTHON=...           the interpreter (default .venv/bin/python)
#   KEEP_ARCHIVE=1       keep the measured archive as dist/dikjamila-<version>-<os>-<arch>.tar.xz
# PyInstaller is a build tool, not a dependency of the package: it is installed here, into the
# same environment, by pip.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
BUNDLE=dist/dikjamila
"$PY" -m pip install -q "pyinstaller>=6.10,<7"
# The Python modules stored, not zlib-compressed, inside the executable (PyInstaller's own
# setting): 37 MB instead of 15 on disk, but xz (and an installer's LZMA) packs them into
# 9.6 MB instead of 15: the download is what counts at an outpost on a slow connection.
PYINSTALLER_ZLIB_COMPRESSION_LEVEL=0 "$PY" -m PyInstaller --noconfirm --clean --log-level WARN build.spec

for exe in dikjamila dikjamila-cli; do
    [[ -x $BUNDLE/$exe || -x $BUNDLE/$exe.exe ]] || { echo "missing: $BUNDLE/$exe" >&2; exit 1; }
done

# --- sizes ------------------------------------------------------------------------------------
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }
unpacked=$(du -sb "$BUNDLE" | cut -f1)
files=$(find "$BUNDLE" -type f | wc -l)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
archive=$tmp/dikjamila.tar.xz
tar -C dist -cf - dikjamila | xz -T0 -6 > "$archive"
packed=$(stat -c %s "$archive")
echo "== bundle $BUNDLE"
echo "unpacked: $(mb "$unpacked") ($(du -sh "$BUNDLE" | cut -f1)), $files files"
echo "as tar.xz: $(mb "$packed")"
if [[ ${KEEP_ARCHIVE:-0} == 1 ]]; then
    version=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
    kept=dist/dikjamila-$version-$(uname -s | tr A-Z a-z)-$(uname -m).tar.xz
    mv "$archive" "$kept"
    echo "archive kept: $kept"
fi
echo "20 largest entries (files; folders whole up to 8 MB, larger ones by their entries):"
"$PY" - "$BUNDLE" <<'PYEOF'
import os
import sys

LIMIT = 8_000_000
sizes: dict[str, int] = {}


def measure(folder: str) -> int:
    total = 0
    for e in os.scandir(folder):
        size = 0 if e.is_symlink() else measure(e.path) if e.is_dir() else e.stat().st_size
        sizes[e.path] = size
        total += size
    return total


def entries(folder: str):
    for e in os.scandir(folder):
        if e.is_dir(follow_symlinks=False) and sizes[e.path] > LIMIT:
            yield from entries(e.path)
        elif not e.is_symlink():
            yield e.path + ("/" if e.is_dir() else "")


measure(sys.argv[1])
for path in sorted(entries(sys.argv[1]), key=lambda p: -sizes[p.rstrip("/")])[:20]:
    print(f"  {sizes[path.rstrip('/')] / 1e6:8.1f} MB  {path}")
PYEOF

# --- does it work? ----------------------------------------------------------------------------
echo "== $BUNDLE/dikjamila --self-test"
QT_QPA_PLATFORM=offscreen "$BUNDLE/dikjamila" --self-test
echo "== $BUNDLE/dikjamila-cli --version"
"$BUNDLE/dikjamila-cli" --version
echo "== $BUNDLE/dikjamila-cli whatsapp worker --help"
"$BUNDLE/dikjamila-cli" whatsapp worker --help >"$tmp/worker-help.txt"
grep -q -- "--data-dir" "$tmp/worker-help.txt" || { cat "$tmp/worker-help.txt"; echo "worker --help lacks --data-dir" >&2; exit 1; }

# phonenumbers' region metadata must be there (build.spec leaves out its geocoder, carrier and
# time-zone data): a mobile number is accepted, a Balangan landline refused as a landline.
echo "== phone numbers: dikjamila-cli import --nomor"
office=$tmp/office
printf 'Uji-Paket-2026\n' | "$BUNDLE/dikjamila-cli" user add --data-dir "$office" --name Uji --role admin \
    --password-stdin uji >/dev/null
printf '01/12/26 09.15 - Aminah: mau buat KTP baru\n' >"$tmp/chat.txt"
"$BUNDLE/dikjamila-cli" import --data-dir "$office" "$tmp/chat.txt" --nomor "0812 3456 7890" --json \
    >"$tmp/import.json" || true
grep -q '"requests_created": 1' "$tmp/import.json" \
    || { cat "$tmp/import.json"; echo "the import with a mobile number failed" >&2; exit 1; }
if "$BUNDLE/dikjamila-cli" import --data-dir "$office" "$tmp/chat.txt" --nomor "0526 21234" \
        >/dev/null 2>"$tmp/landline.txt" || ! grep -q "telepon rumah/kantor" "$tmp/landline.txt"; then
    cat "$tmp/landline.txt"; echo "a landline number was not recognised as one" >&2; exit 1
fi
echo "phone numbers ok (0812 3456 7890 accepted, 0526 21234 refused as a landline)"

# The kiosk screen (ui/kiosk/) is not part of the self-test: open it on a kiosk station made
# here and expect it still running after a few seconds (an import error would end it at once).
KIOSK_SECONDS=8
echo "== $BUNDLE/dikjamila --kiosk (offscreen, $KIOSK_SECONDS s)"
kiosk=$tmp/kiosk
mkdir -p "$kiosk"
printf 'kiosk_desa = "Paringin"\n' >"$kiosk/settings.toml"
printf '482916\n' | "$BUNDLE/dikjamila-cli" kiosk pin --data-dir "$kiosk" --pin-stdin >/dev/null
rc=0
QT_QPA_PLATFORM=offscreen timeout "$KIOSK_SECONDS" "$BUNDLE/dikjamila" --kiosk --data-dir "$kiosk" \
    >"$tmp/kiosk.txt" 2>&1 || rc=$?
if [[ $rc != 124 ]] || grep -q "Traceback" "$tmp/kiosk.txt" "$kiosk"/logs/*.log; then
    cat "$tmp/kiosk.txt"; echo "the kiosk did not stay up (exit code $rc)" >&2; exit 1
fi
echo "kiosk ok (still running after $KIOSK_SECONDS s)"

# Updates: this bundle opened on a data dir the oldest release made (its database at migration
# 0001) migrates it on open, keeping a copy first, and lists its requests.
echo "== an old data dir (migration 0001) opened by this bundle"
old=$tmp/kantor-lama
"$PY" -m tests.old_office "$old" >/dev/null
"$BUNDLE/dikjamila-cli" inbox --data-dir "$old" --json >"$tmp/old-inbox.json"
for number in BLG-20261120-0001 BLG-20261120-0002; do
    grep -q "$number" "$tmp/old-inbox.json" || { cat "$tmp/old-inbox.json"; echo "$number missing after the upgrade" >&2; exit 1; }
done
ls "$old"/backups/sebelum-migrasi-0001-* >/dev/null || { echo "no copy kept before the migration" >&2; exit 1; }
echo "upgrade ok (0001 → $("$PY" -c 'from dikjamila.db import migrate; print(migrate.head_revision())'), both requests listed, the old database kept in backups/)"
echo "ok"
echo "bundle ok: $BUNDLE ($(mb "$unpacked"), $(mb "$packed") as tar.xz, $files files)"
