"""The README's two commands stay true: CI runs the same test command."""

import pathlib
import re

ROOT = pathlib.Path(__file__).parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text)[:2]


def test_readme_opens_with_run_and_test_commands():
    run, test = readme_commands()
    assert run.endswith("recipes serve") and "pip install -e ." in run
    assert "pytest" in test and ".[test" in test
    assert "8288" in (ROOT / "README.md").read_text().split("```sh")[0]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert readme_commands()[1] in ci


def test_default_port_is_8288():
    from recipes.serving import DEFAULT_PORT

    assert DEFAULT_PORT == 8288


def test_settings_tables_are_the_settings_object():
    """README and docs/deploy.md carry the table `recipes.settings` generates."""
    from recipes.settings import settings_table

    table = settings_table()
    for doc in ("README.md", "docs/deploy.md"):
        assert table in (ROOT / doc).read_text(), f"{doc}: paste `python -m recipes.settings`"


def test_only_the_settings_object_reads_recipes_variables():
    readers = [
        str(path.relative_to(ROOT))
        for folder in ("recipes", "desktop")
        for path in (ROOT / folder).rglob("*.py")
        if re.search(r"environ(\.get)?\W+\"RECIPES_|getenv\(\"RECIPES_", path.read_text())
    ]
    assert readers == []


def test_readme_shows_the_real_recipes_help():
    from click.testing import CliRunner

    from recipes.cli import cli

    result = CliRunner().invoke(cli, ["--help"], prog_name="recipes", terminal_width=80)
    assert result.exit_code == 0
    shown = re.search(
        r"```text\n\$ recipes --help\n(.+?)\n```", (ROOT / "README.md").read_text(), re.S
    )
    assert shown, "README.md: add a ```text block starting with `$ recipes --help`"
    assert shown.group(1) == result.output.rstrip()
