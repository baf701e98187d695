"""The benchmark: generate N recipes, load them, and measure the product over real HTTP.

    .venv/bin/python -m benchmarks.run --n 1000 10000 100000

Writes benchmarks/results/bench-<time>.json and .md (and latest.json / latest.md), and prints
the markdown table. Nothing here asserts speed; docs/performance.md holds the targets.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.client import Client
from benchmarks.generate import recipe
from benchmarks.load import PASSWORD, USERNAME, write_export_file
from benchmarks.report import markdown, stats
from benchmarks.servers import ROOT, children, pss_mb, rss_mb, serve, server_env

RESULTS = ROOT / "benchmarks" / "results"
# Single words, two words, prefixes, accent folding, rare and common terms.
QUERIES = [
    "chicken", "garlic", "salt", "saffron", "gochujang", "pasta", "chocolate", "lentils",
    "chicken garlic", "lemon butter", "beef stew", "olive oil",
    "chick", "tom", "choc", "sau",
    "creme fraiche", "jalapeno", "souffle", "minutes",
]  # fmt: skip
SEED = 7


def run_child(command: list[str], env: dict[str, str] | None = None) -> tuple[str, float, float]:
    """(stdout, seconds, peak RSS in MB) of a child process, measured by wait4."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{command} failed with {process.returncode}")
    return out, seconds, usage.ru_maxrss / 1024


# --- data -----------------------------------------------------------------------------------


def prepare(n: int, fresh: bool, folder: Path = RESULTS) -> tuple[Path, dict[str, Any]]:
    """A data folder holding N recipes, loaded with `benchmarks.load` (cached between runs)."""
    data_dir = folder / f"data-{n}"
    marker = data_dir / "loaded.json"
    if fresh or not marker.exists():
        shutil.rmtree(data_dir, ignore_errors=True)
        command = [sys.executable, "-m", "benchmarks.load", str(data_dir), str(n)]
        out, seconds, peak = run_child(command)
        loaded = json.loads(out) | {"wall_seconds": seconds, "peak_rss_mb": peak}
        marker.write_text(json.dumps(loaded))
    return data_dir, json.loads(marker.read_text())


def api_token(data_dir: Path) -> str:
    command = [sys.executable, "-m", "recipes", "token", "add", USERNAME, "--name", "bench"]
    out, _, _ = run_child(command, server_env(data_dir))
    return out.strip().splitlines()[0]


def database_size(data_dir: Path) -> dict[str, float]:
    db = sqlite3.connect(data_dir / "recipes.sqlite3")
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        total = (
            db.execute("PRAGMA page_count").fetchone()[0]
            * db.execute("PRAGMA page_size").fetchone()[0]
        )
        try:
            fts = db.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'recipe_fts%'"
            ).fetchone()[0]
        except sqlite3.OperationalError:  # SQLite built without dbstat
            fts = None
    finally:
        db.close()
    return {"total_mb": total / 2**20, "fts_mb": (fts or 0) / 2**20}


def recipe_ids(data_dir: Path) -> list[int]:
    db = sqlite3.connect(data_dir / "recipes.sqlite3")
    try:
        return [row[0] for row in db.execute("SELECT id FROM recipes ORDER BY id")]
    finally:
        db.close()


def drop_created(data_dir: Path, keep_up_to: int) -> None:
    """Remove what the create benchmark added, so a cached folder keeps exactly N recipes."""
    db = sqlite3.connect(data_dir / "recipes.sqlite3")
    try:
        with db:
            db.execute("DELETE FROM recipe_fts WHERE rowid > ?", (keep_up_to,))
            db.execute("DELETE FROM recipe_tags WHERE recipe_id > ?", (keep_up_to,))
            db.execute("DELETE FROM recipes WHERE id > ?", (keep_up_to,))
            db.execute("DELETE FROM api_tokens")
    finally:
        db.close()


# --- measurements ------------------------------------------------------------------------


def timed(client: Client, paths: list[str], warmup: bool = True) -> dict[str, float]:
    if warmup:
        for path in paths[: min(len(paths), 20)]:
            client.get(path)
    samples = []
    for path in paths:
        status, body, seconds = client.get(path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:200]!r}")
        samples.append(seconds)
    return stats(samples)


def measure_reads(port: int, token: str, ids: list[int], rounds: int) -> dict[str, Any]:
    rng = random.Random(SEED)
    api, web = Client(port, token), Client(port)
    web.login(USERNAME, PASSWORD)
    searches = [f"/api/v1/recipes?q={q.replace(' ', '+')}" for q in QUERIES] * rounds
    pages = [f"/search?q={q.replace(' ', '+')}" for q in QUERIES] * rounds
    sample = [rng.choice(ids) for _ in range(40 * rounds)]
    last_page = max(1, -(-len(ids) // 50))
    deep = [f"/?page={rng.randint(max(1, last_page // 2), last_page)}" for _ in range(10 * rounds)]
    result = {
        "search_api": timed(api, searches),
        "search_html": timed(web, pages),
        "recipe_json": timed(api, [f"/api/v1/recipes/{i}" for i in sample]),
        "recipe_html": timed(web, [f"/recipes/{i}" for i in sample]),
        "index_first": timed(web, ["/"] * 10 * rounds),
        "index_deep": timed(web, deep),
        "per_query_api_ms": {
            q: timed(api, [f"/api/v1/recipes?q={q.replace(' ', '+')}"] * 3, False)["median_ms"]
            for q in QUERIES
        },
    }
    api.close()
    web.close()
    return result


def measure_creates(port: int, token: str, count: int) -> dict[str, Any]:
    client = Client(port, token)
    payloads = [recipe(index) for index in range(20_000_000, 20_000_000 + count)]
    samples = []
    started = time.perf_counter()
    for payload in payloads:
        status, body, seconds = client.post_json("/api/v1/recipes", payload)
        if status != 201:
            raise RuntimeError(f"create answered {status}: {body[:200]!r}")
        samples.append(seconds)
    elapsed = time.perf_counter() - started
    client.close()
    return stats(samples) | {"per_second": count / elapsed}


def measure_wrk(
    port: int, cookie: str, ids: list[int], seconds: int, folder: Path
) -> dict[str, Any]:
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"skipped": "wrk is not installed (apt-get install -y wrk)"}
    script = folder / "recipe_pages.lua"
    chosen = random.Random(SEED).sample(ids, min(len(ids), 500))
    script.write_text(
        "math.randomseed(7)\n"
        f"local ids = {{{','.join(map(str, chosen))}}}\n"
        'request = function() return wrk.format("GET", "/recipes/" .. ids[math.random(#ids)]) end\n'
    )
    command = [
        wrk, "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", str(script),
        "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{port}/",
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> dict[str, Any]:
    result: dict[str, Any] = {"errors": 0, "non_2xx": 0}
    for line in out.splitlines():
        words = line.split()
        if line.startswith("Requests/sec:"):
            result["per_second"] = float(words[1])
        elif "requests in" in line:
            result["requests"] = int(words[0])
        elif line.startswith("  Socket errors:"):
            result["errors"] = sum(int(w.strip(",")) for w in words[3::2])
        elif line.startswith("  Non-2xx or 3xx responses:"):
            result["non_2xx"] = int(words[-1])
        elif words[:1] in (["50%"], ["99%"]):
            result[f"p{words[0][:-1]}"] = words[1]
    return result


def cold_starts(data_dir: Path, tries: int) -> dict[str, Any]:
    # An installed app starts from bytecode (pip compiles the wheel; PyInstaller bundles
    # it), so compile the sources first: with PYTHONDONTWRITEBYTECODE set, every start
    # would otherwise compile the package again (0.2 s here), which no user ever waits for.
    compileall.compile_dir(ROOT / "recipes", quiet=1)
    samples = []
    for _ in range(tries):
        with serve(data_dir, "waitress") as (_, _, seconds):
            samples.append(seconds)
    return stats(samples)


def benchmark(n: int, args: argparse.Namespace) -> dict[str, Any]:
    data_dir, loaded = prepare(n, args.fresh, args.out)
    ids = recipe_ids(data_dir)
    result: dict[str, Any] = {"n": len(ids), "load": loaded}
    result["cold_start"] = cold_starts(data_dir, args.cold_starts)
    token = api_token(data_dir)
    with serve(data_dir, "waitress") as (process, port, _):
        result |= measure_reads(port, token, ids, args.rounds)
        result["create_api"] = measure_creates(port, token, args.creates)
        time.sleep(1)
        result["waitress_idle"] = {"rss_mb": rss_mb(process.pid), "pss_mb": pss_mb(process.pid)}
    drop_created(data_dir, ids[-1])
    if not args.skip_wrk:
        with serve(data_dir, "gunicorn", workers=2) as (process, port, _):
            web = Client(port)
            web.login(USERNAME, PASSWORD)
            cookie = "; ".join(f"{k}={v}" for k, v in web.cookies.items())
            web.close()
            result["wrk_recipe_page"] = measure_wrk(port, cookie, ids, args.wrk_seconds, args.out)
            workers = children(process.pid)
            result["gunicorn_workers"] = {
                "rss_mb": max((rss_mb(pid) for pid in workers), default=0.0),
                "pss_mb": max((pss_mb(pid) for pid in workers), default=0.0),
                "count": len(workers),
            }
    result["database"] = database_size(data_dir)
    return result


def bulk_import(count: int, out: Path) -> dict[str, Any]:
    """`recipes import FILE` of an export zip into a fresh data folder (time and peak memory)."""
    folder = out / f"import-{count}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = write_export_file(folder / "export.zip", count)
    data_dir = folder / "data"
    run_child([sys.executable, "-m", "benchmarks.load", str(data_dir), "0"])
    command = [sys.executable, "-m", "recipes", "import", str(archive), "--user", USERNAME]
    try:
        _, seconds, peak = run_child(command, server_env(data_dir))
        imported = recipe_ids(data_dir)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if len(imported) != count:
        raise RuntimeError(f"recipes import loaded {len(imported)} of {count} recipes")
    return {"recipes": count, "seconds": seconds, "peak_rss_mb": peak}


def import_available() -> bool:
    help_text = subprocess.run(
        [sys.executable, "-m", "recipes", "--help"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    return any(line.split()[:1] == ["import"] for line in help_text.splitlines())


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description="Recipes performance benchmark.")
    parser.add_argument("--n", type=int, nargs="+", default=[1000], help="recipe counts")
    parser.add_argument("--rounds", type=int, default=5, help="repetitions of each sample set")
    parser.add_argument("--creates", type=int, default=500, help="recipes created via the API")
    parser.add_argument("--cold-starts", type=int, default=3)
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--skip-wrk", action="store_true")
    parser.add_argument(
        "--import", dest="imports", type=int, nargs="*", default=[1000, 10000],
        help="export-file sizes for the bulk import figure (none: skip)",
    )  # fmt: skip
    parser.add_argument("--fresh", action="store_true", help="regenerate cached data folders")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the results")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "command": " ".join(["python -m benchmarks.run", *(argv or sys.argv[1:])]),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average": os.getloadavg(),
        },
        "runs": {},
        "imports": [],
    }
    for n in args.n:
        report["runs"][str(n)] = benchmark(n, args)
    if args.imports and not import_available():
        report["imports"].append({"skipped": "`recipes import` is not available yet"})
    elif args.imports:
        report["imports"] = [bulk_import(count, args.out) for count in args.imports]
    write(report, args.out)
    return report


def write(report: dict[str, Any], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    table = markdown(report)
    for name in (f"bench-{stamp}", "latest"):
        (folder / f"{name}.json").write_text(json.dumps(report, indent=1))
        (folder / f"{name}.md").write_text(table)
    print(table)
    print(f"\nWritten to {folder / f'bench-{stamp}.json'} and .md", file=sys.stderr)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"(peak RSS of this runner: {peak} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
