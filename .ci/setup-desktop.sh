#!/usr/bin/env bash
# Install what the desktop tests need (tests/test_desktop.py): Xvfb, the X libraries Qt's
# xcb platform plugin loads, screenshot and window tools, and the desktop + bundle extras.
#
# Runs as root on a fresh Debian 12 machine and is idempotent.
#   bash .ci/setup-desktop.sh [VENV]      # VENV defaults to .venv at the repository root
# The bundle itself is built by the test from recipes.spec (about 20-60 s), so it always
# matches the sources under test.
set -euo pipefail
# shellcheck source=.ci/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

log() { echo "[setup-desktop] $*"; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${1:-$ROOT/.venv}"

# Xvfb and tools: the display, xdotool to find windows, ImageMagick's `import` to screenshot.
# The rest are the libraries PyQt6's xcb plugin and QtWebEngine open at run time; ldd showed
# icccm4 and keysyms1 as the ones really missing when Qt blames xcb-cursor0.
PACKAGES=(
    xvfb xauth x11-utils xdotool imagemagick
    libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
    libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xkb1 libegl1 libgl1
    libgl1-mesa-dri libnss3 libasound2 libfontconfig1 libxcomposite1 libxdamage1
    libxrandr2 libxtst6 libxkbfile1 fonts-dejavu-core
)
apt_install_missing "${PACKAGES[@]}"

if [ ! -x "$VENV/bin/python" ]; then
    # .ci/run creates the environment once, with the README's test command, after this
    # script: its '.[desktop,bundle]' extras bring pywebview[qt] and PyInstaller.
    log "system parts ready; no virtual environment at $VENV yet, so no Python check"
    exit 0
fi
# Already there when .ci/run installed '.[desktop,bundle]'; then pip only checks.
"$VENV/bin/pip" install -q 'pywebview[qt]>=5' 'qtpy>=2.4' 'pyinstaller>=6'

# Fail here, not in the tests, if Qt still cannot find a library.
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -c \
    "from PyQt6.QtWebEngineWidgets import QWebEngineView; import webview" \
    || { log "PyQt6 WebEngine does not import"; exit 1; }
log "ready: pywebview $("$VENV/bin/python" -c \
    'from importlib.metadata import version; print(version("pywebview"), "PyQt6", version("PyQt6"))')"
