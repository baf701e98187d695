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
