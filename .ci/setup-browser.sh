#!/usr/bin/env bash
# Install the real browser the Playwright tests drive (tests/test_browser.py).
#
# Runs as root on a fresh Debian 12 machine and is idempotent. `playwright install`
# cannot download browsers here, so the tests use Debian's chromium through
# executable_path. DejaVu and Noto Color Emoji give screenshots readable text and stars.
set -euo pipefail

log() { echo "[setup-browser] $*"; }

PACKAGES=(chromium fonts-dejavu-core fonts-noto-color-emoji)

missing=()
for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$pkg")
done

if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

# The Debian launcher prints a harmless shell warning from /etc/chromium.d; hide it.
/usr/bin/chromium --version 2>/dev/null
