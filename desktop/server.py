"""waitress on a loopback address, in a daemon thread, with a stop that really stops."""

from __future__ import annotations

import contextlib
import secrets
import sys
import threading

from waitress import create_server, wasyncore

from desktop.guard import WSGIApp
from recipes.serving import limit_malloc_arenas

FALLBACK_HOST = "127.0.0.1"


def pick_host(platform: str = sys.platform) -> str:
    """A random address in 127.0.0.0/8 where the OS answers on all of it (Linux, Windows).

    Cookies are scoped to a host, not a port: on an address no other program uses, the
    window's cookies go to nobody else. macOS has only 127.0.0.1 unless configured.
    """
    if platform.startswith("linux") or platform == "win32":
        octets = (secrets.randbelow(256), secrets.randbelow(256), 1 + secrets.randbelow(254))
        return "127.{}.{}.{}".format(*octets)
    return FALLBACK_HOST


class LocalServer:
    """Binds a free port at construction; serves after start(); stop() frees the port.

    Request bodies over `max_body` bytes are refused by waitress before it reads them.
    """

    def __init__(
        self, app: WSGIApp, threads: int = 4, max_body: int | None = None, host: str | None = None
    ) -> None:
        limit_malloc_arenas()
        options: dict = {"port": 0, "threads": threads, "ident": "Recipes"}
        if max_body:
            options["max_request_body_size"] = max_body
        self.host = host or pick_host()
        try:
            self._server = create_server(app, host=self.host, **options)
        except OSError:  # this OS does not answer on that address after all
            self.host = FALLBACK_HOST
            self._server = create_server(app, host=self.host, **options)
        self.port = int(self._server.effective_port)  # waitress reports it as a string
        self._thread = threading.Thread(target=self._serve, name="recipes-server", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _serve(self) -> None:
        # stop() closes the sockets under the loop, which may then raise: that is the end.
        with contextlib.suppress(OSError, ValueError):
            self._server.run()

    def stop(self, timeout: float = 5.0) -> None:
        # close() alone leaves keep-alive connections serving: stop the workers and
        # close every socket in the map, which also ends the loop.
        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._server._map, ignore_all=True)
        if self._thread.is_alive():
            self._thread.join(timeout)
