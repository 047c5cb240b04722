#!/usr/bin/env bash
# Build the one-folder PyInstaller bundle and prove it works (`--self-test`).
# Usage: tools/build_bundle.sh   (from the repository root, with .venv set up)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" -m pip install -q "pyinstaller>=6.10,<7"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN build.spec
QT_QPA_PLATFORM=offscreen dist/dikjamila/dikjamila --self-test
echo "bundle size: $(du -sh dist/dikjamila | cut -f1) ($(find dist/dikjamila -type f | wc -l) files)"
