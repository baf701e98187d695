"""gunicorn's access log without secrets: share links appear as `/s/…`.

Loaded by gunicorn by name (`logger_class` in `recipes.serving`), so nothing imports
gunicorn on platforms that lack it.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from recipes.sharing import redact_share_tokens


class RedactingLogger(Logger):
    """Every text field of an access log line (request line, path, query, Referer) is
    redacted before the format string sees it."""

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        values = super().atoms(resp, req, environ, request_time)
        return {
            key: redact_share_tokens(value) if isinstance(value, str) else value
            for key, value in values.items()
        }
