#!/usr/bin/env bash
# Build the one-folder PyInstaller bundle (dist/dikjamila/), report its size, and prove it works:
# `dikjamila --self-test` (database, SOPs, log masking, a PDF page, and the bundled WhatsApp
# worker started as the workstation starts it), `dikjamila-cli --version` and
# `dikjamila-cli whatsapp worker --help`. Any failure fails the script.
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
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN build.spec

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
echo "20 largest entries (files, and the top-level folders of _internal):"
{
    find "$BUNDLE" -maxdepth 1 -type f -printf '%s\t%p\n'
    find "$BUNDLE/_internal" -mindepth 1 -maxdepth 1 -type f -printf '%s\t%p\n'
    for d in "$BUNDLE"/_internal/*/; do
        [[ -d $d ]] && printf '%s\t%s\n' "$(du -sb "$d" | cut -f1)" "${d%/}/"
    done
} | sort -rn | awk -F'\t' 'NR <= 20 { printf "  %8.1f MB  %s\n", $1 / 1000000, $2 }'

# --- does it work? ----------------------------------------------------------------------------
echo "== $BUNDLE/dikjamila --self-test"
QT_QPA_PLATFORM=offscreen "$BUNDLE/dikjamila" --self-test
echo "== $BUNDLE/dikjamila-cli --version"
"$BUNDLE/dikjamila-cli" --version
echo "== $BUNDLE/dikjamila-cli whatsapp worker --help"
"$BUNDLE/dikjamila-cli" whatsapp worker --help >"$tmp/worker-help.txt"
grep -q -- "--data-dir" "$tmp/worker-help.txt" || { cat "$tmp/worker-help.txt"; echo "worker --help lacks --data-dir" >&2; exit 1; }
echo "ok"
echo "bundle ok: $BUNDLE ($(mb "$unpacked"), $(mb "$packed") as tar.xz, $files files)"
