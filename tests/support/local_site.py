"""A throwaway HTTP site on 127.0.0.1 for the importer's tests (pages, slow and hostile
servers), served from a thread."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # clients hang up on purpose here
        pass


@contextlib.contextmanager
def local_site(handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> Iterator[str]:
    """Serve `handler` on a free port; yields the base address (with `host` as its name)."""
    httpd = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://{host}:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def drip(handler: BaseHTTPRequestHandler, pieces: list[bytes], pause: float) -> None:
    """Write raw bytes a piece at a time, pausing between them, until the client hangs up."""
    handler.close_connection = True
    with contextlib.suppress(OSError):
        for piece in pieces:
            handler.wfile.write(piece)
            handler.wfile.flush()
            time.sleep(pause)
