"""Run the desktop app in this process and report what its window shows.

    python tests/desktop_driver.py FACTS_JSON [--size WxH] [--move X,Y] [--click URL]

Once the first page has rendered: optionally resizes and moves the window, clicks a link
to URL (added to the page), then writes the page facts plus the window's size to
FACTS_JSON, and leaves the window open until it is closed from outside: by the window
manager protocol or by a signal.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.app import main  # noqa: E402

CLICK_JS = """
var link = document.createElement('a');
link.href = %s;
link.textContent = 'elsewhere';
document.body.appendChild(link);
link.click();
"""


def report(options: argparse.Namespace):
    def on_ready(window, facts: dict) -> None:
        if options.size:
            size = tuple(int(n) for n in options.size.split("x"))
            window.resize(*size)
            deadline = time.monotonic() + 10
            while (window.width, window.height) != size and time.monotonic() < deadline:
                time.sleep(0.1)
        if options.move:
            spot = tuple(int(n) for n in options.move.split(","))
            window.move(*spot)
            deadline = time.monotonic() + 10
            while (window.x, window.y) != spot and time.monotonic() < deadline:
                time.sleep(0.1)
        if options.click:
            window.run_js(CLICK_JS % json.dumps(options.click))
            time.sleep(1.5)  # long enough for an in-window navigation to have begun
            facts["url_after_click"] = window.run_js("location.href")
        facts.update(
            width=window.width, height=window.height, x=window.x, y=window.y, pid=os.getpid()
        )
        tmp = options.facts.with_suffix(".tmp")
        tmp.write_text(json.dumps(facts))
        os.replace(tmp, options.facts)

    return on_ready


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("facts", type=Path)
    parser.add_argument("--size")
    parser.add_argument("--move", help="X,Y")
    parser.add_argument("--click")
    options = parser.parse_args()
    raise SystemExit(main([], on_ready=report(options)))
