#!/usr/bin/env bash
# Put hoscase in the desktop's application menu for the current user (no root needed).
#
#   packaging/linux/install.sh                 # the `hoscase` command on PATH (pip/pipx install)
#   packaging/linux/install.sh dist/hoscase    # a bundle built by packaging/build.sh: copied to ~/.local/opt
#
# Undo with: packaging/linux/install.sh --uninstall
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ICONS="$HERE/../../resources/icons"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$DATA/applications/hoscase.desktop" "$HOME/.local/bin/hoscase"
    for size in 16 32 48 64 128 256; do rm -f "$DATA/icons/hicolor/${size}x${size}/apps/hoscase.png"; done
    rm -f "$DATA/icons/hicolor/scalable/apps/hoscase.svg"
    rm -rf "$HOME/.local/opt/hoscase"
    echo "removed hoscase from the application menu (your database is untouched)"
    exit 0
fi
# The menu runs the command by its full path: a venv's bin folder is not on the desktop session's PATH.
EXEC="$(command -v hoscase || true)"
if [ -z "${1:-}" ] && [ -z "$EXEC" ]; then
    echo "install.sh: no hoscase command on PATH; give the bundle folder (dist/hoscase) or install hoscase first" >&2
    exit 2
fi
if [ -n "${1:-}" ]; then
    mkdir -p "$HOME/.local/opt" "$HOME/.local/bin"
    rm -rf "$HOME/.local/opt/hoscase"
    cp -a "$1" "$HOME/.local/opt/hoscase"
    ln -sf "$HOME/.local/opt/hoscase/hoscase" "$HOME/.local/bin/hoscase"
    EXEC="$HOME/.local/opt/hoscase/hoscase"
fi
for size in 16 32 48 64 128 256; do
    install -Dm644 "$ICONS/hoscase-$size.png" "$DATA/icons/hicolor/${size}x${size}/apps/hoscase.png"
done
install -Dm644 "$ICONS/hoscase.svg" "$DATA/icons/hicolor/scalable/apps/hoscase.svg"
mkdir -p "$DATA/applications"
sed "s|^Exec=.*|Exec=$EXEC|" "$HERE/hoscase.desktop" > "$DATA/applications/hoscase.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
echo "hoscase is in your application menu (Office)"
