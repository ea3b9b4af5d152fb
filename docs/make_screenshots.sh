#!/usr/bin/env bash
# Make the user guide's pictures (docs/images/*.png) from a fresh demo database with `hoscase screenshot`,
# then copy the guide and its pictures into resources/help/, the copy the app shows offline (Help > User guide).
#
#   docs/make_screenshots.sh                 # uses ./.venv/bin/hoscase if there is one, else hoscase on PATH
#   HOSCASE=/path/to/hoscase docs/make_screenshots.sh
#
# docs/user-guide.md is the one to edit; run this after changing it (tests/test_help.py checks the copies match).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ -z "${HOSCASE:-}" ]; then
    if [ -x .venv/bin/hoscase ]; then HOSCASE=.venv/bin/hoscase; else HOSCASE=hoscase; fi
fi
case "$HOSCASE" in */*) HOSCASE="$(cd "$(dirname "$HOSCASE")" && pwd)/$(basename "$HOSCASE")" ;; esac
SIZE="${SIZE:-1280x800}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
# Run from the work folder so the pictures name the database "demo.sqlite3", not a temporary path.
cd "$WORK"
export HOSCASE_DB="$WORK/demo.sqlite3"
"$HOSCASE" --db demo.sqlite3 init --demo >/dev/null
"$HOSCASE" --db demo.sqlite3 backup >/dev/null  # one taken by hand too, so Backups & data lists both kinds
mkdir -p "$ROOT/docs/images"
for view in worklist cases case service_requests calendar selfassessment reports settings data; do
    "$HOSCASE" --db demo.sqlite3 screenshot --view "$view" --size "$SIZE" -o "$ROOT/docs/images/$view.png" >/dev/null
    echo "docs/images/$view.png"
done
# The first-run setup's welcome page, at the wizard's own size.
"$HOSCASE" --db demo.sqlite3 screenshot --view setup --page welcome -o "$ROOT/docs/images/setup.png" >/dev/null
echo "docs/images/setup.png"
cd "$ROOT"
mkdir -p resources/help/images
cp docs/user-guide.md resources/help/user-guide.md
rm -f resources/help/images/*.png
cp docs/images/*.png resources/help/images/
echo "copied the guide and its pictures to resources/help/"
