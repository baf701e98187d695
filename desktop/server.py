"""waitress on 127.0.0.1, in a daemon thread, with a stop that really stops."""

from __future__ import annotations

import contextlib
import threading

from waitress import create_server, wasyncore

from desktop.guard import WSGIApp


class LocalServer:
    """Binds a free port at construction; serves after start(); stop() frees the port."""

    def __init__(self, app: WSGIApp, threads: int = 4) -> None:
        self._server = create_server(
            app, host="127.0.0.1", port=0, threads=threads, ident="Recipes"
        )
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
