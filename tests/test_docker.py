"""The home-server image for real: a Docker daemon runs the image built by .ci/setup-docker.sh.

Every container runs as a user would run it (`--read-only --tmpfs /tmp`, a named volume on
/config), only with a fast health interval. Names are unique per test and cleaned up.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.system import free_port, need, need_executable

pytestmark = [pytest.mark.docker, pytest.mark.slow]

# Not RECIPES_*: tests/conftest.py clears those so the app sees a clean environment.
ROOT = Path(__file__).resolve().parent.parent
IMAGE = os.environ.get("DOCKER_TEST_IMAGE", "recipes:ci")
UID = 10001
HEALTH_FLAGS = [
    "--health-interval=1s",
    "--health-timeout=3s",
    "--health-start-period=20s",
    "--health-retries=3",
]
PASSWORD = "correct horse battery staple"


def docker(*args: str, timeout: float = 60, check: bool = True, stdin: str | None = None) -> str:
    result = subprocess.run(
        ["docker", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        pytest.fail(f"docker {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result.stdout


@pytest.fixture(scope="module")
def image() -> str:
    need_executable("docker")
    info = subprocess.run(["docker", "info"], capture_output=True, timeout=30, check=False)
    need(info.returncode == 0, "no Docker daemon answers `docker info`")
    found = subprocess.run(
        ["docker", "image", "inspect", IMAGE], capture_output=True, timeout=30, check=False
    )
    need(found.returncode == 0, f"image {IMAGE} is not built (run .ci/setup-docker.sh)")
    return IMAGE


@pytest.fixture
def volume(image: str) -> Iterator[str]:
    name = f"recipes-test-{uuid.uuid4().hex[:10]}"
    docker("volume", "create", name)
    yield name
    docker("volume", "rm", "-f", name, check=False)


@dataclass
class Container:
    name: str
    port: int

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def exec(self, *command: str, stdin: str | None = None) -> str:
        args = ["exec", "-i", self.name, *command] if stdin else ["exec", self.name, *command]
        return docker(*args, stdin=stdin)

    def state(self, field: str) -> str:
        return docker("inspect", "-f", "{{" + field + "}}", self.name).strip()

    def logs(self) -> str:
        result = subprocess.run(
            ["docker", "logs", self.name], capture_output=True, text=True, timeout=30
        )
        return result.stdout + result.stderr

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        status = ""
        while time.monotonic() < deadline:
            status = self.state("if .State.Health}}{{.State.Health.Status}}{{end")
            if status == "healthy":
                return
            if status == "unhealthy" or self.state(".State.Running") != "true":
                break
            time.sleep(0.3)
        pytest.fail(f"{self.name} is {status or 'not running'}:\n{self.logs()[-4000:]}")


@contextmanager
def container(image: str, volume: str, *env: str) -> Iterator[Container]:
    box = Container(f"recipes-test-{uuid.uuid4().hex[:10]}", free_port())
    env_args = [arg for pair in env for arg in ("-e", pair)]
    docker(
        "run",
        "-d",
        "--name",
        box.name,
        "--read-only",
        "--tmpfs",
        "/tmp",
        "-p",
        f"127.0.0.1:{box.port}:8288",
        "-v",
        f"{volume}:/config",
        *HEALTH_FLAGS,
        *env_args,
        image,
    )
    try:
        yield box
    finally:
        docker("rm", "-f", box.name, check=False)


def processes(box: Container) -> list[tuple[int, int, str]]:
    """(pid, uid, command line) of every process in the container but our own probe."""
    script = (
        'for p in /proc/[0-9]*; do [ "${p#/proc/}" = "$$" ] && continue; '
        "u=$(awk '/^Uid:/{print $2}' \"$p/status\" 2>/dev/null) || continue; "
        '[ -n "$u" ] && echo "${p#/proc/} $u $(tr "\\0" " " < "$p/cmdline")"; done'
    )
    rows = []
    for line in box.exec("sh", "-c", script).splitlines():
        pid, uid, cmdline = (line.split(" ", 2) + [""])[:3]
        rows.append((int(pid), int(uid), cmdline.strip()))
    return rows


def heartbeat_files(box: Container) -> set[str]:
    """gunicorn's worker heartbeat files: unlinked at once, so seen through /proc/*/fd."""
    listing = box.exec("sh", "-c", "ls -l /proc/[0-9]*/fd/ 2>/dev/null || true")
    return set(re.findall(r"(/dev/shm/wgunicorn-\S+)", listing))


def get(url: str, timeout: float = 5, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def stall(port: int) -> socket.socket:
    """Half a request: it keeps one sync worker busy until the socket closes."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    # docker-proxy dials the container only after accepting us: let the half request
    # reach a worker before the next connection can overtake it.
    time.sleep(0.5)
    return sock


def test_image_runs_healthy_read_only_as_non_root(image: str, volume: str) -> None:
    with container(image, volume) as box:
        box.wait_healthy()
        status, body = get(box.url("/healthz"))
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        assert box.state(".HostConfig.ReadonlyRootfs") == "true"
        procs = processes(box)
        assert procs, "no processes seen"
        assert {uid for _, uid, _ in procs} == {UID}, procs
        assert any("tini" in cmd for pid, _, cmd in procs if pid == 1), procs
        assert sum("gunicorn" in cmd for _, _, cmd in procs) == 3, procs  # master + 2
        # The root file system really is read-only, /config is not.
        denied = subprocess.run(
            ["docker", "exec", box.name, "touch", "/opt/recipes/x"],
            capture_output=True,
            timeout=30,
        )
        assert denied.returncode != 0
        listing = box.exec(
            "stat", "-c", "%a %u %n", "/config/secret_key", "/config/recipes.sqlite3"
        )
        modes = {row.split()[2]: row.split()[:2] for row in listing.splitlines()}
        assert modes["/config/secret_key"] == ["600", str(UID)]
        assert modes["/config/recipes.sqlite3"] == ["600", str(UID)]


def test_image_holds_every_file_of_the_package(image: str) -> None:
    # The image installs a wheel, not the checkout: a subpackage or template left out
    # of pyproject.toml would be missing only here.
    listing = docker(
        "run",
        "--rm",
        "--entrypoint",
        "python3",
        image,
        "-c",
        "import os, recipes\n"
        "root = os.path.dirname(recipes.__file__)\n"
        "for folder, _, names in os.walk(root):\n"
        "    for name in names:\n"
        "        print(os.path.relpath(os.path.join(folder, name), root))\n",
    )
    installed = set(listing.split())
    tracked = subprocess.run(
        ["git", "ls-files", "recipes"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.split()
    expected = {path.removeprefix("recipes/") for path in tracked}
    missing = sorted(expected - installed)
    assert not missing, f"not in the image's wheel (check pyproject.toml packages): {missing}"


def test_two_workers_serve_at_once_with_heartbeats_in_shm(image: str, volume: str) -> None:
    with container(image, volume) as box:
        box.wait_healthy()
        assert len(heartbeat_files(box)) == 2
        first = stall(box.port)
        try:
            started = time.monotonic()
            assert get(box.url("/healthz"))[0] == 200
            assert time.monotonic() - started < 2
            second = stall(box.port)
            try:
                # Both sync workers are held: a third request waits, which proves
                # that the answer above came from a second worker.
                with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
                    get(box.url("/healthz"), timeout=1.5)
            finally:
                second.close()
        finally:
            first.close()
        assert get(box.url("/healthz"))[0] == 200


def test_docker_stop_is_quick_and_clean(image: str, volume: str) -> None:
    with container(image, volume) as box:
        box.wait_healthy()
        started = time.monotonic()
        docker("stop", "--time", "10", box.name, timeout=30)
        took = time.monotonic() - started
        assert took < 5, f"docker stop took {took:.1f} s"
        assert box.state(".State.ExitCode") == "0"
        assert "Shutting down: Master" in box.logs()


def test_own_gunicorn_conf_in_config_replaces_ours(image: str, volume: str) -> None:
    with container(image, volume) as box:
        box.wait_healthy()
        box.exec(
            "sh",
            "-c",
            "cat > /config/gunicorn.conf.py",
            stdin="exec(open('/app/gunicorn.conf.py').read())\nworkers = 3\n",
        )
        docker("restart", "--time", "10", box.name, timeout=60)
        box.wait_healthy()
        assert len(heartbeat_files(box)) == 3


def add_user_and_token(box: Container, name: str) -> str:
    box.exec("recipes", "user", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
    token = box.exec("recipes", "token", "add", name, "--name", "ci").strip()
    assert token and "\n" not in token
    return token


def log_in(opener: urllib.request.OpenerDirector, box: Container, name: str) -> None:
    with opener.open(box.url("/auth/login"), timeout=10) as response:
        page = response.read().decode()
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    assert match, "no csrf_token on the login page"
    form = {"username": name, "password": PASSWORD, "csrf_token": match.group(1)}
    data = urllib.parse.urlencode(form).encode()
    with opener.open(box.url("/auth/login"), data=data, timeout=10) as response:
        assert response.status == 200
        assert "/auth/login" not in response.url


def share_url(box: Container, token: str, headers: dict[str, str]) -> str:
    """Create a recipe, share it through the API, return the public link it reports."""
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = json.dumps({"title": "Proxied", "ingredients": ["x"], "instructions": ["y"]}).encode()
    created = urllib.request.Request(
        box.url("/api/v1/recipes"), data=body, headers=auth, method="POST"
    )
    with urllib.request.urlopen(created, timeout=10) as response:
        recipe_id = json.loads(response.read())["id"]
    shared = urllib.request.Request(
        box.url(f"/api/v1/recipes/{recipe_id}/share"),
        data=b"",
        headers={**auth, **headers},
        method="POST",
    )
    with urllib.request.urlopen(shared, timeout=10) as response:
        return json.loads(response.read())["url"]


@pytest.mark.parametrize("proxy_fix", ["1", "0"])
def test_proxy_fix_trusts_forwarded_headers_only_when_set(
    image: str, volume: str, proxy_fix: str
) -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "recipes.home.example"}
    with container(image, volume, f"RECIPES_PROXY_FIX={proxy_fix}") as box:
        box.wait_healthy()
        url = share_url(box, add_user_and_token(box, "proxied"), forwarded)
    if proxy_fix == "1":
        assert url.startswith("https://recipes.home.example/s/"), url
    else:
        assert url.startswith(f"http://127.0.0.1:{box.port}/s/"), url


def secret_digest(box: Container) -> str:
    # Compared as a digest so the key itself never reaches the test output.
    return box.exec("sha256sum", "/config/secret_key").split()[0]


def test_recipe_and_session_survive_a_new_container(image: str, volume: str) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    title = f"Volume soup {uuid.uuid4().hex[:6]}"
    with container(image, volume) as first:
        first.wait_healthy()
        token = add_user_and_token(first, "alice")
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        body = json.dumps(
            {"title": title, "ingredients": ["1 l stock"], "instructions": ["Heat it."]}
        ).encode()
        request = urllib.request.Request(
            first.url("/api/v1/recipes"), data=body, headers=auth, method="POST"
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 201
            recipe_id = json.loads(response.read())["id"]
        log_in(opener, first, "alice")
        assert any(cookie.name == "recipes_session" for cookie in jar)
        digest = secret_digest(first)
    # The first container is gone (docker rm -f); a new one gets the same volume.
    with container(image, volume) as second:
        second.wait_healthy()
        status, payload = get(second.url(f"/api/v1/recipes/{recipe_id}"), headers=auth)
        assert status == 200
        assert json.loads(payload)["title"] == title
        assert secret_digest(second) == digest
        # The old session cookie still logs alice in: the secret key was kept.
        with opener.open(second.url("/"), timeout=10) as response:
            assert response.status == 200
            assert "/auth/login" not in response.url
            assert title in response.read().decode()
