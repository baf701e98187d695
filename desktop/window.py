"""The window's own behaviour: remembered geometry, external links, coming forward."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

GEOMETRY_FILE = "desktop-window.json"
DEFAULT_SIZE = (1100, 800)
MIN_SIZE = (480, 360)
MAX_COORD = 32000  # anything beyond this is a corrupt file, not a real screen

# Links to other sites go to the system browser; the window only ever shows our pages.
# A new-window navigation is what pywebview hands to the system browser on every backend
# (OPEN_EXTERNAL_LINKS_IN_BROWSER), so external links are turned into one on click. The
# page's CSP forbids eval(), which pywebview's js_api bridge needs, so no Python call here.
EXTERNAL_LINKS_JS = """
if (!window.__recipesLinks) {
  window.__recipesLinks = true;
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[href]');
    if (link && link.origin !== window.location.origin && /^https?:$/.test(link.protocol)) {
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
    }
  }, true);
}
"""


def load_geometry(folder: Path) -> dict[str, int | None]:
    """Last run's size and position, or the defaults when there is no usable record."""
    geometry: dict[str, int | None] = {
        "width": DEFAULT_SIZE[0],
        "height": DEFAULT_SIZE[1],
        "x": None,
        "y": None,
    }
    try:
        saved = json.loads((folder / GEOMETRY_FILE).read_text())
    except (OSError, ValueError):
        return geometry
    if not isinstance(saved, dict):
        return geometry
    for key, low in (("width", MIN_SIZE[0]), ("height", MIN_SIZE[1])):
        value = saved.get(key)
        if isinstance(value, int) and low <= value <= MAX_COORD:
            geometry[key] = value
    if all(isinstance(saved.get(k), int) and abs(saved[k]) <= MAX_COORD for k in ("x", "y")):
        geometry["x"], geometry["y"] = saved["x"], saved["y"]
    return geometry


class GeometryKeeper:
    """Follows the window's size and position and writes them when it closes."""

    def __init__(self, folder: Path, geometry: dict[str, int | None]) -> None:
        self.path = folder / GEOMETRY_FILE
        self.geometry = dict(geometry)
        self._lock = threading.Lock()

    def attach(self, window: Any) -> None:
        window.events.resized += self._resized
        window.events.moved += self._moved
        window.events.closing += self._closing

    def _resized(self, width: int, height: int) -> None:
        with self._lock:
            self.geometry.update(width=int(width), height=int(height))

    def _moved(self, x: int, y: int) -> None:
        with self._lock:
            self.geometry.update(x=int(x), y=int(y))

    def _closing(self, window: Any) -> None:
        try:
            current = {"width": window.width, "height": window.height, "x": window.x, "y": window.y}
        except Exception:  # noqa: BLE001 - a closing native window may refuse; keep the last events
            current = {}
        with self._lock:
            self.geometry.update({k: int(v) for k, v in current.items() if isinstance(v, int)})
        self.save()

    def save(self) -> None:
        with self._lock:
            data = json.dumps(self.geometry)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        tmp.write_text(data)
        os.replace(tmp, self.path)


def bring_to_front(window: Any) -> None:
    """Show a hidden or minimised window and raise it above the others."""
    window.show()
    window.restore()
    # Toggling "on top" is the one raise that works on every backend.
    window.on_top = True
    window.on_top = False
