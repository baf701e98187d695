#!/usr/bin/env bash
# Install the real browser the Playwright tests drive (tests/test_browser.py).
#
# Runs as root on a fresh Debian 12 machine and is idempotent. `playwright install`
# cannot download browsers here, so the tests use Debian's chromium through
# executable_path. DejaVu and Noto Color Emoji give screenshots readable text and stars.
set -euo pipefail
# shellcheck source=.ci/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

PACKAGES=(chromium fonts-dejavu-core fonts-noto-color-emoji)
apt_install_missing "${PACKAGES[@]}"

# The Debian launcher prints a harmless shell warning from /etc/chromium.d; hide it.
/usr/bin/chromium --version 2>/dev/null

# axe-core for the accessibility audit (tests/test_accessibility.py), pinned by its lock file.
command -v npm >/dev/null || apt_install_missing nodejs npm
npm ci --prefix "$(dirname "${BASH_SOURCE[0]}")/../tests/axe" --no-audit --no-fund --loglevel=error
