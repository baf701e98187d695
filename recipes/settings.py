"""Typed settings, read once from `RECIPES_*` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from recipes.datadir import data_dir

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be 1/0, true/false, yes/no or on/off, not {raw!r}")


@dataclass(frozen=True)
class Settings:
    """Each field maps to `RECIPES_<FIELD>` and to the Flask config key `<FIELD>`."""

    data_dir: Path
    secret_key: str | None = None
    allow_signup: bool = True
    proxy_fix: bool = False
    import_allow_private: bool = False
    session_cookie_secure: bool = False
    max_content_length: int = 16 * 1024 * 1024
    ratelimit_storage_uri: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        values: dict[str, object] = {"data_dir": data_dir()}
        for field in fields(cls):
            raw = env.get(f"RECIPES_{field.name.upper()}")
            if raw is None or field.name == "data_dir":
                continue
            values[field.name] = _convert(field.name, field.type, raw)
        return cls(**values)  # type: ignore[arg-type]

    def flask_config(self) -> dict[str, object]:
        return {field.name.upper(): getattr(self, field.name) for field in fields(self)}


def _convert(name: str, kind: object, raw: str) -> object:
    env_name = f"RECIPES_{name.upper()}"
    if kind in (bool, "bool"):
        return _parse_bool(env_name, raw)
    if kind in (int, "int"):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{env_name} must be a whole number, not {raw!r}") from None
    return raw or None


SETTINGS_DOC = {
    "RECIPES_DATA_DIR": "Folder for the database and secret key (default: the user data folder)",
    "RECIPES_SECRET_KEY": "Use this secret key instead of the generated one",
    "RECIPES_ALLOW_SIGNUP": "1/0: let people register accounts (0: add them with recipes user add)",
    "RECIPES_PROXY_FIX": "1: trust one proxy hop of X-Forwarded-* headers",
    "RECIPES_IMPORT_ALLOW_PRIVATE": "1: let import fetch private and loopback addresses",
    "RECIPES_SESSION_COOKIE_SECURE": "1: send the session cookie over HTTPS only",
    "RECIPES_MAX_CONTENT_LENGTH": "Largest request body in bytes (default 16 MiB)",
    "RECIPES_RATELIMIT_STORAGE_URI": "Shared store for login rate limits, e.g. redis://host:6379",
}
