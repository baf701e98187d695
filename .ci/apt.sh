# shellcheck shell=bash
# Sourced by the .ci/setup-*.sh scripts (root, Debian 12): install Debian packages once.
#
#   apt_install_missing PKG...   # installs only those not installed yet; a second run is a no-op

apt_install_missing() {
    local pkg missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "[$(basename "$0" .sh)] installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
    fi
}
