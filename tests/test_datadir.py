import os
import stat

import pytest

from recipes import create_app
from recipes.datadir import SECRET_FILE, data_dir, load_or_create_secret
from recipes.settings import Settings


def test_secret_is_created_once_with_0600_and_reused(data_dir):
    first = create_app({"DATA_DIR": str(data_dir)})
    second = create_app({"DATA_DIR": str(data_dir)})
    path = data_dir / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.secret_key == second.secret_key == path.read_text().strip()
    assert len(first.secret_key) == 64


def test_session_survives_a_restart(data_dir):
    first = create_app({"DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": False}).test_client()
    first.post(
        "/auth/register",
        data={"username": "ann", "password": "correct horse 1", "confirm": "correct horse 1"},
    )
    second = create_app({"DATA_DIR": str(data_dir)}).test_client()
    second.set_cookie("recipes_session", first.get_cookie("recipes_session").value)
    assert second.get("/").status_code == 200


def test_environment_secret_overrides_the_file(data_dir, monkeypatch):
    monkeypatch.setenv("RECIPES_SECRET_KEY", "s" * 40)
    app = create_app({"DATA_DIR": str(data_dir)})
    assert app.secret_key == "s" * 40
    assert not (data_dir / SECRET_FILE).exists()


def test_unreadable_or_empty_secret_is_never_replaced(tmp_path):
    path = tmp_path / SECRET_FILE
    path.write_text("")
    with pytest.raises(RuntimeError, match="empty or too short"):
        load_or_create_secret(tmp_path)
    assert path.read_text() == ""
    if os.geteuid() != 0:  # root reads anything, so only a normal user can test 000
        path.write_text("k" * 64)
        path.chmod(0)
        with pytest.raises(RuntimeError, match="cannot read"):
            load_or_create_secret(tmp_path)


def test_data_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("RECIPES_DATA_DIR", str(tmp_path / "x"))
    assert data_dir() == tmp_path / "x"
    monkeypatch.delenv("RECIPES_DATA_DIR")
    assert data_dir().name == "Recipes"
    app = create_app({"DATA_DIR": str(tmp_path / "y")})
    assert app.config["DATABASE"] == str(tmp_path / "y" / "recipes.sqlite3")


def test_typed_settings_from_environment(tmp_path):
    env = {"RECIPES_ALLOW_SIGNUP": "no", "RECIPES_PROXY_FIX": "1",
           "RECIPES_MAX_CONTENT_LENGTH": "1024"}  # fmt: skip
    settings = Settings.from_env(env)
    assert settings.allow_signup is False and settings.proxy_fix is True
    assert settings.max_content_length == 1024
    with pytest.raises(ValueError, match="RECIPES_ALLOW_SIGNUP"):
        Settings.from_env({"RECIPES_ALLOW_SIGNUP": "maybe"})
    with pytest.raises(ValueError, match="whole number"):
        Settings.from_env({"RECIPES_MAX_CONTENT_LENGTH": "lots"})
