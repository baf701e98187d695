"""Property-based run of the OpenAPI document against a live waitress server (schemathesis).

Every generated request, valid or not, must get a documented status with a body that
conforms to the document, and never a 5xx. Bounded: a fixed number of examples per
operation, and a hard timeout on the whole run.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest

from tests.support.live_server import add_token, add_user, environment, running_server, server_log
from tests.support.system import need

MAX_EXAMPLES = 40
RUN_TIMEOUT = 300  # seconds; about 100 s here with the plan and shopping endpoints, under load
WARNINGS = ",".join(
    ["missing_auth", "base_url_mismatch", "validation_mismatch", "missing_deserializer",
     "unused_openapi_auth", "unsupported_regex", "method_not_allowed", "constants_extraction",
     "unmatched_filter", "unresolvable_reference", "rate_limited",
     "dictionary_mismatch", "timeout_units"]
)  # fmt: skip
# Not "low_valid_rate": random shopping item and list-recipe ids mostly do not exist, as photo
# ids do not (tests/test_shopping.py covers those operations).


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """A real `recipes serve --server waitress` with a user and a CLI-made token."""
    data_dir = tmp_path / "data"
    add_user(data_dir, "alice", "correct horse 1")
    token = add_token(data_dir, "alice", "fuzz")
    assert re.fullmatch(r"rcp_[\w-]{40,}", token)
    with running_server(data_dir, timeout=30) as base:
        yield base, token, server_log(data_dir)


@pytest.mark.slow  # 5-20 s: the full suite and CI run it, the quick lane does not
@pytest.mark.timeout(RUN_TIMEOUT + 60)
def test_schemathesis_finds_nothing(live_server, tmp_path):
    need(importlib.util.find_spec("schemathesis") is not None, "schemathesis is not installed")
    base, token, log = live_server
    # 412 answers a valid If-Match that names an older version (any made-up ETag does):
    # expected, not a rejection of valid data. Members are named by username: alice is
    # the one member there is (random names only find 404s).
    (tmp_path / "schemathesis.toml").write_text(
        '[parameters]\n"path.username" = "alice"\n\n'
        "[checks.positive_data_acceptance]\n"
        'expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "412", "429", "5xx"]\n'
    )
    started = time.monotonic()
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("st")), "run", f"{base}/api/v1/openapi.json",
            "--header", f"Authorization: Bearer {token}",
            "--checks", "all",
            "--max-examples", str(MAX_EXAMPLES),
            "--workers", "1",  # the machine is shared; one worker keeps it polite
            "--request-timeout", "10",
            "--generation-database", "none",
            # The importer fetches pages from the network; its own tests cover it.
            "--exclude-operation-id", "importRecipe",
            # Each file import starts a background job (and its status needs one); their
            # own tests cover them with real and hostile files (tests/test_import_*.py).
            "--exclude-operation-id", "importFile",
            "--exclude-operation-id", "getImportJob",
            "--exclude-operation-id", "uploadPhoto",  # run on its own below
            # Without uploads the photo ids never exist, so those operations only ever 404
            # here (tests/test_photos.py covers them); every other warning stays on.
            "--warnings", WARNINGS,
            "--no-color",
        ],
        cwd=tmp_path, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False,
    )  # fmt: skip
    photo_run = _photo_upload_run(base, token, tmp_path)
    elapsed = time.monotonic() - started
    output = done.stdout + done.stderr
    summary = re.search(r"(\d+) generated", output)
    print(f"schemathesis: {summary.group(0) if summary else '?'} in {elapsed:.1f} s")
    assert done.returncode == 0, output[-6000:]
    assert "No issues found" in output, output[-3000:]
    assert summary and int(summary.group(1)) >= 500, output[-3000:]
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert f"✅  {phase}" in output, output[-3000:]
    assert photo_run.returncode == 0, (photo_run.stdout + photo_run.stderr)[-6000:]
    assert "Traceback" not in log.read_text()


def _photo_upload_run(base: str, token: str, cwd: Path) -> subprocess.CompletedProcess:
    """The upload again, on its own: any bytes fit its schema but only images are accepted,
    so a 422 for schema-valid data is right there (and only that check is left out)."""
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("st")), "run", f"{base}/api/v1/openapi.json",
            "--header", f"Authorization: Bearer {token}",
            "--include-operation-id", "uploadPhoto",
            "--checks", "all", "--exclude-checks", "positive_data_acceptance",
            "--max-examples", "20", "--workers", "1", "--request-timeout", "10",
            "--generation-database", "none", "--no-color",
        ],
        cwd=cwd, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False,
    )  # fmt: skip


PAGE = """<html><head><title>Pancakes</title><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "Recipe", "name": "Imported pancakes",
 "recipeIngredient": ["flour", "milk"], "recipeInstructions": ["Fry."]}
</script></head><body></body></html>"""


def _guide_blocks(base: str) -> list[str]:
    """The shell examples of the docs' API guide, as a user would copy them."""
    with urllib.request.urlopen(f"{base}/docs", timeout=10) as response:
        html = response.read().decode()
    guide = html.split('id="api"', 1)[1].split('id="api-errors"', 1)[0]
    blocks = [unescape(block) for block in re.findall(r"<pre>(.*?)</pre>", guide, re.S)]
    # The placeholder line stands for the token the first block created.
    return [block.replace("TOKEN=rcp_…   # the token you copied\n", "") for block in blocks]


@pytest.mark.timeout(120)
def test_docs_shell_examples_work_against_a_live_server(live_server, tmp_path):
    need(shutil.which("curl") is not None, "curl is not installed")
    need(shutil.which("jq") is not None, "jq is not installed")
    base, token, _ = live_server
    blocks = _guide_blocks(base)
    # Skip the one example that makes the server fetch a page from the internet.
    runnable = [b for b in blocks if "/recipes/import" not in b or "--rawfile" in b]
    assert len(runnable) == len(blocks) - 1
    (tmp_path / "page.html").write_text(PAGE)
    script = "set -eu\n" + '\necho "@@@"\n'.join(runnable)
    env = environment(tmp_path / "data")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    done = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    outputs = [out.strip() for out in done.stdout.split("@@@")]
    token_made, me, created, found, changed, imported = outputs
    assert token_made == ""
    assert json.loads(me)["username"] == "alice" and json.loads(me)["auth"] == "token"
    assert json.loads(created)["title"] == "Pancakes" and json.loads(created)["id"] == 1
    assert json.loads(found)["total"] == 1
    patched, shared = (json.loads(line) for line in changed.splitlines())  # DELETE: no body
    assert patched["rating"] == 4 and shared["url"].startswith(base + "/s/")
    assert json.loads(imported)["title"] == "Imported pancakes"
    request = urllib.request.Request(
        f"{base}/api/v1/recipes", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        titles = [r["title"] for r in json.loads(response.read())["items"]]
    assert titles == ["Imported pancakes"]  # the example deleted the pancakes
