"""`recipes desktop`: registered through the `recipes.commands` entry point, so the
`recipes` package never imports this one."""

from __future__ import annotations

import click


@click.command(
    "desktop", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
def desktop() -> None:
    """Open the desktop app window."""
    from desktop.app import main

    raise SystemExit(main())
