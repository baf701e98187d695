"""Full disk and read-only data folder, on a real tmpfs mounted for the test (root only).

The running server answers a clear error page (HTML) or error object (API), never a
stack trace; the database stays intact; and it works again, without a restart, once
space or write access is back.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.reliability_report import record
from tests.support.reliability_server import (
    Browserless,
    add_token,
    add_user,
    api_session,
    csrf_of,
    integrity,
    rows,
    running,
)
from tests.support.system import need

pytestmark = pytest.mark.reliability
SIZE = "64m"  # room for the WAL to grow to its checkpoint size (recipes.db)
MESSAGE = "full or read-only"
LEAKS = ("Traceback", "sqlite3.", "OperationalError", 'File "')


def mount(target: Path, options: str) -> bool:
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
        capture_output=True,
        timeout=10,
    )
    return result.returncode == 0


def run(*command: str) -> None:
    subprocess.run(command, check=True, timeout=10, capture_output=True)


def make_read_only(folder: Path) -> None:
    """A read-only bind mount over the folder. (The tmpfs itself cannot go read-only
    while the server holds files open for writing.)"""
    run("mount", "--bind", str(folder), str(folder))
    run("mount", "-o", "remount,bind,ro", str(folder))


def make_writable(folder: Path) -> None:
    run("mount", "-o", "remount,bind,rw", str(folder))


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A small tmpfs as the data folder."""
    need(os.name == "posix" and os.geteuid() == 0, "mounting a tmpfs needs root")
    target = tmp_path / "data"
    target.mkdir()
    need(mount(target, f"size={SIZE},mode=0700"), "cannot mount a tmpfs here")
    try:
        yield target
    finally:
        while os.path.ismount(target):
            run("umount", "-l", str(target))


def fill(folder: Path) -> Path:
    """Write a file until the disk is full."""
    filler = folder / "filler"
    # Unbuffered: a buffered file keeps what did not fit and fails again on close, so
    # whether fill() raised depended on how the free space lined up with the chunks.
    with filler.open("wb", buffering=0) as handle:
        for size in (65536, 512):  # then the last bytes, so not even a page is left
            try:
                while handle.write(b"\0" * size):
                    pass
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc
    return filler


def big_recipe(title: str) -> dict[str, object]:
    # About 1 MB: far more than any free space left in the database or its WAL.
    return {"title": title, "instructions": [f"{n:04d} " + "stir " * 395 for n in range(500)]}


def form_fields(recipe: dict[str, object]) -> dict[str, str]:
    return {"title": str(recipe["title"]), "instructions": "\n".join(recipe["instructions"])}  # type: ignore[arg-type]


def assert_clear_error(response, api: bool) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503, response.text[:500]
    if api:
        assert MESSAGE in response.json()["error"]["message"]
    else:
        assert response.headers["Content-Type"].startswith("text/html")
        assert MESSAGE in response.text
    assert not [leak for leak in LEAKS if leak in response.text], response.text[:1000]


def test_full_disk_and_read_only_folder_fail_clearly_and_recover(small_disk: Path) -> None:
    add_user(small_disk, "ann")
    token = add_token(small_disk, "ann")
    database = small_disk / "recipes.sqlite3"
    with running(small_disk) as server:
        api = api_session(token)
        web = Browserless(server.url)
        assert web.login("ann").status_code == 302
        assert api.post(server.url + "/api/v1/recipes", json={"title": "Before"}).ok
        csrf = csrf_of(web.get("/recipes/new").text)
        refused, reads = 0, []

        # Full disk.
        filler = fill(small_disk)
        response = api.post(server.url + "/api/v1/recipes", json=big_recipe("Full API"))
        assert_clear_error(response, api=True)
        response = web.post("/recipes/new", form_fields(big_recipe("Full form")), csrf)
        assert_clear_error(response, api=False)
        # Reading may work, or fail as clearly: SQLite cannot recreate its WAL index files
        # when the last connection closed and the disk is full.
        response = web.get("/")
        if response.status_code != 200:
            assert_clear_error(response, api=False)
        refused, reads = refused + 2, [*reads, response.status_code]
        assert integrity(database) == "ok"

        filler.unlink()
        response = api.post(server.url + "/api/v1/recipes", json=big_recipe("After full API"))
        assert response.status_code == 201, response.text[:300]
        response = web.submit("/recipes/new", form_fields(big_recipe("After full form")))
        assert response.status_code == 302, response.text[:300]

        # Read-only data folder (a real read-only mount: root ignores file modes). The
        # workers are replaced, so they open the database anew on the read-only folder.
        make_read_only(small_disk)
        server.reload_workers()
        try:
            response = api.post(server.url + "/api/v1/recipes", json={"title": "Read-only"})
            assert_clear_error(response, api=True)
            response = web.post("/recipes/new", {"title": "Read-only form"}, csrf)
            assert_clear_error(response, api=False)
            response = web.get("/")
            if response.status_code != 200:
                assert_clear_error(response, api=False)
            refused, reads = refused + 2, [*reads, response.status_code]
            assert integrity(database) == "ok"
        finally:
            make_writable(small_disk)

        response = api.post(server.url + "/api/v1/recipes", json={"title": "After read-only"})
        assert response.status_code == 201, response.text[:300]
        log = server.log()

    titles = {row["title"] for row in rows(database, "SELECT title FROM recipes")}
    assert titles == {
        "Before",
        "After full API",
        "After full form",
        "After read-only",
    }
    assert integrity(database) == "ok"
    assert "Traceback" not in log, log[-3000:]
    record(
        "disk",
        writes_refused_clearly=refused,
        read_statuses_while_broken=reads,
        acknowledged_writes_lost=0,
        recovered_without_restart=True,
    )
