#!/usr/bin/env bash
# Build the one-folder desktop bundle: dist/hoscase/hoscase (hoscase.exe on Windows, hoscase.app on macOS).
#
#   packaging/build.sh            # uses ./.venv if there is one, else python3
#   PYTHON=/path/to/python packaging/build.sh
#
# Installs PyInstaller from the project's [packaging] extra, then runs packaging/hoscase.spec.
# Output: build/pyinstaller (work files) and dist/hoscase (the app to give to people).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ -z "${PYTHON:-}" ]; then
    if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python
    elif [ -x .venv/Scripts/python.exe ]; then PYTHON=.venv/Scripts/python.exe
    else PYTHON=python3; fi
fi
DIST="${HOSCASE_DIST:-$ROOT/dist}"
WORK="${HOSCASE_WORK:-$ROOT/build/pyinstaller}"
"$PYTHON" -c "import PyInstaller" 2>/dev/null || "$PYTHON" -m pip install -e ".[packaging]"
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN --distpath "$DIST" --workpath "$WORK" \
    packaging/hoscase.spec
echo "built $DIST/hoscase ($(du -sh "$DIST/hoscase" | cut -f1))"
