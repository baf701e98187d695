"""Health, headers, error pages and the CLI."""

import os
import stat

import pytest

from recipes.security import HEADERS

HTML_PAGES = ["/auth/login", "/auth/register", "/docs", "/nope"]


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_healthz_503_when_database_unusable(app, client):
    db_path = app.config["DATABASE"]
    os.remove(db_path)
    os.mkdir(db_path)  # a folder where the database file should be: unopenable
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error"


@pytest.mark.parametrize("path", HTML_PAGES)
def test_security_headers_on_html(client, path):
    response = client.get(path)
    for name, value in HEADERS.items():
        assert response.headers[name] == value
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp


def test_no_inline_script_in_templates():
    import pathlib
    import re

    folder = pathlib.Path(__file__).parents[1] / "recipes" / "templates"
    for template in folder.rglob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or "application/ld+json" in tag, (template.name, tag)
        assert not re.search(r"\son[a-z]+=", text), template.name
        assert "style=" not in text, template.name


def test_404_and_500_pages(app, client, auth):
    @app.route("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = client.get("/definitely/missing")
    assert response.status_code == 404 and b"Not found" in response.data

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data and b"kaboom" not in response.data


def test_body_too_large_is_413(app, client, auth):
    auth.register()
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/recipes/new", data={"title": "x" * 5000})
    assert response.status_code == 413


def test_docs_page_explains_usage(client):
    html = client.get("/docs").get_data(as_text=True)
    assert "chick" in html and "RECIPES_DATA_DIR" in html


def test_cli_user_add_and_info(runner, app):
    from recipes.cli import cli

    env = {"RECIPES_DATA_DIR": app.config["DATA_DIR"]}
    result = runner.invoke(
        cli, ["user", "add", "carol", "--password-stdin", "--admin"],
        input="a long password\n", env=env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli, ["user", "add", "dave", "--password-stdin"], input="short\n", env=env
    )
    assert result.exit_code != 0 and "at least 8" in result.output
    result = runner.invoke(cli, ["info"], env=env)
    assert result.exit_code == 0
    assert app.config["DATABASE"] in result.output and "Users:          1" in result.output
    assert stat.S_IMODE(os.stat(app.config["DATA_DIR"]).st_mode) & 0o077 == 0


def test_the_web_app_never_imports_the_desktop():
    """Layers point one way: the desktop registers itself (entry point, app-factory hook)."""
    import pathlib
    import re

    root = pathlib.Path(__file__).parents[1] / "recipes"
    importers = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"^\s*(from|import)\s+desktop\b", path.read_text(), re.M)
    ]
    assert importers == []


def test_recipes_desktop_is_registered_through_the_entry_point():
    from importlib.metadata import entry_points

    from recipes.cli import COMMAND_GROUP, cli

    names = {entry.name: entry.value for entry in entry_points(group=COMMAND_GROUP)}
    assert names.get("desktop") == "desktop.command:desktop"
    assert "desktop" in cli.commands
