"""Docker HEALTHCHECK: exit 0 only when GET /healthz on this container answers 200.

Standard library only, so it works whatever is installed in the venv.
"""

import os
import sys
import urllib.request

TIMEOUT_SECONDS = 3


def port_from_bind(bind: str) -> int:
    """The port of a gunicorn bind such as 0.0.0.0:8288 or [::]:8288 (8288 if none)."""
    host_port = bind.split(",")[0].strip()
    if host_port.startswith("unix:") or ":" not in host_port:
        return 8288
    return int(host_port.rsplit(":", 1)[1])


def main() -> int:
    port = port_from_bind(os.environ.get("RECIPES_BIND", "0.0.0.0:8288"))
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except Exception as exc:  # any failure at all means unhealthy
        print(f"unhealthy: {exc}")
        return 1
    print(f"healthz {status}")
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
