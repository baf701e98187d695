"""Every `RECIPES_*` environment variable, typed and described, read in one place.

The README and docs/deploy.md settings tables are `settings_table()`'s output (a test
keeps them equal), and the `/docs` page lists the same descriptions.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

APP_NAME = "Recipes"
PREFIX = "RECIPES_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _setting(default: Any, shown: str, doc: str, *, flask: bool = True) -> Any:
    """A field with its default as the docs show it, its meaning, and whether it is Flask
    config (the serving options are read by the server, not by the app)."""
    return field(default=default, metadata={"shown": shown, "doc": doc, "flask": flask})


@dataclass(frozen=True)
class Settings:
    """Each field maps to `RECIPES_<FIELD>` and, unless marked otherwise, to `<FIELD>` in
    the Flask config."""

    data_dir: Path | None = _setting(
        None,
        "the user data folder (`~/.local/share/Recipes` on Linux, `/config` in the Docker image)",
        "Folder for the database (`recipes.sqlite3`), photos and the secret key",
    )
    secret_key: str | None = _setting(
        None,
        "generated once into `secret_key` (mode 0600)",
        "Use this key instead of the generated one; anyone who has it can forge a login",
    )
    allow_signup: bool = _setting(
        True, "`1`", "`0` closes registration; add accounts with `recipes user add`"
    )
    proxy_fix: bool = _setting(
        False,
        "`0`",
        "`1` trusts one reverse-proxy hop of `X-Forwarded-For/-Proto/-Host/-Port/-Prefix`",
    )
    import_allow_private: bool = _setting(
        False, "`0`", "`1` lets import fetch loopback and private addresses"
    )
    session_cookie_secure: bool = _setting(
        False, "`0`", "`1` sends the session cookie over HTTPS only (set it behind TLS)"
    )
    max_content_length: int = _setting(
        16 * 1024 * 1024,
        "`16777216` (16 MiB)",
        "Largest request body in bytes; a bigger one is refused before it is read",
    )
    ratelimit_storage_uri: str | None = _setting(
        None, "`memory://`", "Shared store for login rate limits, e.g. `redis://host:6379`"
    )
    bind: str = _setting(
        "0.0.0.0:8288",
        "`0.0.0.0:8288`",
        "Address gunicorn listens on in the Docker image (the healthcheck follows it); "
        "`recipes serve` takes `--host` and `--port` instead",
        flask=False,
    )
    workers: int = _setting(2, "`2`", "gunicorn worker processes", flask=False)
    threads: int | None = _setting(
        None,
        "`1` (gunicorn), `8` (waitress)",
        "Threads per worker; more than 1 switches gunicorn to gthread",
        flask=False,
    )
    timeout: int = _setting(
        30, "`30`", "Seconds before gunicorn restarts a stuck worker", flask=False
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the environment (or `env`); a malformed value raises ValueError naming it."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for item in fields(cls):
            raw = env.get(env_name(item.name))
            if raw is not None:
                values[item.name] = _convert(item.name, item.type, raw)
        settings = cls(**values)
        if settings.data_dir is None:
            settings = replace(settings, data_dir=default_data_dir())
        return settings

    def flask_config(self) -> dict[str, object]:
        return {
            item.name.upper(): getattr(self, item.name)
            for item in fields(self)
            if item.metadata["flask"]
        }


def env_name(name: str) -> str:
    return f"{PREFIX}{name.upper()}"


def default_data_dir() -> Path:
    """The platform's per-user data folder (platformdirs loads only when needed)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def _parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be 1/0, true/false, yes/no or on/off, not {raw!r}")


def _convert(name: str, kind: object, raw: str) -> object:
    variable = env_name(name)
    if kind in (bool, "bool"):
        return _parse_bool(variable, raw)
    if kind in (int, "int", "int | None"):
        if not raw.strip() and kind == "int | None":
            return None
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{variable} must be a whole number, not {raw!r}") from None
    if kind in (Path, "Path | None"):
        return Path(raw).expanduser() if raw else None
    return raw or None


def descriptions() -> dict[str, str]:
    """`RECIPES_*` name -> meaning, in declaration order (the /docs page lists them)."""
    return {env_name(item.name): item.metadata["doc"] for item in fields(Settings)}


def settings_table() -> str:
    """The Markdown table the README and docs/deploy.md carry, one row per variable."""
    rows = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for item in fields(Settings):
        shown, doc = item.metadata["shown"], item.metadata["doc"]
        rows.append(f"| `{env_name(item.name)}` | {shown} | {doc} |")
    return "\n".join(rows)


if __name__ == "__main__":  # `python -m recipes.settings` prints the table for the docs
    print(settings_table())
