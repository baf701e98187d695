#!/usr/bin/env bash
# Install wrk, the C load generator the benchmark uses for the throughput figure
# (benchmarks/run.py, tests/test_benchmark_smoke.py). Root, fresh Debian 12, idempotent.
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
    echo "[setup-bench] wrk already installed"
    exit 0
fi
echo "[setup-bench] installing wrk"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk
wrk --version | head -n 1 || true
