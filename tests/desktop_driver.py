"""Run the desktop app in this process and report what its window shows.

    python tests/desktop_driver.py FACTS_JSON [WIDTHxHEIGHT]

Once the first page has rendered, writes the page facts plus the window's size to
FACTS_JSON (optionally resizing the window first), then leaves the window open until it
is closed from outside: by the window manager protocol or by a signal.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.app import main  # noqa: E402


def report(target: Path, size: tuple[int, int] | None):
    def on_ready(window, facts: dict) -> None:
        if size is not None:
            window.resize(*size)
            deadline = time.monotonic() + 10
            while (window.width, window.height) != size and time.monotonic() < deadline:
                time.sleep(0.1)
        facts.update(width=window.width, height=window.height, pid=os.getpid())
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(facts))
        os.replace(tmp, target)

    return on_ready


if __name__ == "__main__":
    target = Path(sys.argv[1])
    size = tuple(int(n) for n in sys.argv[2].split("x")) if len(sys.argv) > 2 else None
    raise SystemExit(main([], on_ready=report(target, size)))
