"""Peak memory of file imports: hostile files and 10,000-recipe exports.

    python -m benchmarks.import_memory [--recipes 10000] [--only NAME]

Each file is imported in a fresh process, the way the server does it (the app is
created, then `jobs.run` reads the file and saves every recipe into a new database); the
process reports its peak RSS. Figures are in docs/import.md.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

LIMIT_MB = 200


def _jpeg() -> bytes:
    """A real 640x480 photo (imports run every photo through Pillow)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 90, 40)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


JPEG = _jpeg()


def _zip(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


def _empties(size: int) -> bytes:
    """`[{},{},...]`: the cheapest bytes that make the most Python objects."""
    return b"[" + b"{}," * (size // 3) + b"{}]"


# --- hostile files: each must be refused (or cut) without memory growing ---------------


def paprika_bomb() -> bytes:
    """A ~40 KB .paprikarecipes whose one entry inflates to 40 MB of `{},`."""
    return _zip({"bomb.paprikarecipe": gzip.compress(_empties(40_000_000), 9)})


def json_zip_bomb() -> bytes:
    """A ~48 KB zip of a 48 MB JSON array of empty objects."""
    return _zip({"recipes.json": _empties(48_000_000)})


def upload_sized_json() -> bytes:
    """16 MB (the default upload limit) of `[{},{},...]`, not compressed at all."""
    return _empties(16 * 1024 * 1024)


def deep_json() -> bytes:
    return b"[" * 5_000_000 + b"]" * 5_000_000


def mealie_row_bomb() -> bytes:
    rows = b'{"recipes": [{"id": "1", "name": "x", "extra": ' + _empties(60_000_000) + b"}]}"
    return _zip({"database.json": rows})


def many_members() -> bytes:
    return _zip({f"{n}": b"" for n in range(200_000)}, zipfile.ZIP_STORED)


def nested_zips() -> bytes:
    data = _zip({"recipe.json": _empties(20_000_000)})
    for level in range(5):
        data = _zip({f"level{level}.zip": data})
    return data


def html_bomb() -> bytes:
    item = b'<li class="recipeIngredient">salt</li>'
    page = b'<html><body><div class="recipe"><div id="name">X</div><ul>' + item * 1_500_000
    return _zip({"recipes.html": page})


def csv_bomb() -> bytes:
    return b'title,ingredients,directions\nA,"' + b"x" * 30_000_000 + b'",b\n'


def yaml_bomb() -> bytes:
    lines = ["---", "title: Laughs", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        prev = chr(ord("a") + n - 1)
        name = chr(ord("a") + n)
        lines.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    lines += ["ingredients: *j", "directions: [x]", "---", ""]
    return "\n".join(lines).encode()


def mealmaster_bomb() -> bytes:
    head = b"MMMMM----- Recipe via Meal-Master (tm) v8.05\n\n      Title: Big\n\n"
    return head + (b"x" * 1_000_000 + b"\n") * 14


HOSTILE: dict[str, Callable[[], bytes]] = {
    "paprika-40KB-bomb": paprika_bomb,
    "zip-of-empty-objects": json_zip_bomb,
    "16MB-json-of-empty-objects": upload_sized_json,
    "deeply-nested-json": deep_json,
    "mealie-row-bomb": mealie_row_bomb,
    "zip-of-200k-files": many_members,
    "zips-nested-6-deep": nested_zips,
    "copy-me-that-one-huge-recipe": html_bomb,
    "csv-30MB-field": csv_bomb,
    "yaml-billion-laughs": yaml_bomb,
    "mealmaster-huge-lines": mealmaster_bomb,
}


# --- big, honest exports -----------------------------------------------------------------


def _ingredients(n: int) -> list[str]:
    return [f"{k + 1} cups ingredient {k} for recipe {n}, chopped" for k in range(12)]


def big_paprika(count: int) -> bytes:
    photo = base64.b64encode(JPEG).decode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(count):
            data = {"uid": f"U{n}", "name": f"Recipe {n}",
                    "ingredients": "\n".join(_ingredients(n)),
                    "directions": "\n".join(f"Step {k} of recipe {n}." for k in range(8)),
                    "notes": "Notes. " * 100, "categories": ["Dinner"], "photo_data": photo,
                    "created": "2020-01-01 00:00:00"}  # fmt: skip
            archive.writestr(f"Recipe {n}.paprikarecipe", gzip.compress(json.dumps(data).encode()))
    return buffer.getvalue()


def big_mealie(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("database.json", "w") as out:
            out.write(b'{"alembic_version": [{"version_num": "x"}], "recipes": [')
            for n in range(count):
                row = {"id": f"{n:032x}", "name": f"Recipe {n}", "description": "Good. " * 50,
                       "recipe_yield": "4 servings", "org_url": f"https://example.com/r/{n}",
                       "prep_time": "10 minutes", "created_at": "2023-01-01T00:00:00"}  # fmt: skip
                out.write((b"," if n else b"") + json.dumps(row).encode())
            out.write(b'], "recipes_ingredients": [')
            first = True
            for n in range(count):
                for k, line in enumerate(_ingredients(n)):
                    row = {"id": f"{n}-{k}", "recipe_id": f"{n:032x}", "position": k, "note": line}
                    out.write((b"" if first else b",") + json.dumps(row).encode())
                    first = False
            out.write(b'], "recipe_instructions": [')
            first = True
            for n in range(count):
                for k in range(8):
                    row = {"id": f"{n}-{k}", "recipe_id": f"{n:032x}", "position": k,
                           "text": f"Step {k} of recipe {n}: stir well and wait."}  # fmt: skip
                    out.write((b"" if first else b",") + json.dumps(row).encode())
                    first = False
            out.write(b"]}")
        for n in range(count):
            archive.writestr(f"data/recipes/{n:032x}/images/original.jpg", JPEG)
    return buffer.getvalue()


def big_tandoor(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(count):
            recipe = {"name": f"Recipe {n}", "keywords": [{"name": "dinner"}], "servings": 4,
                      "working_time": 10, "waiting_time": 20,
                      "source_url": f"https://example.com/t/{n}",
                      "steps": [{"name": "", "instruction": f"Cook recipe {n}.", "ingredients": [
                          {"food": {"name": f"food {k}"}, "unit": {"name": "g"}, "amount": k + 1,
                           "note": "", "order": k} for k in range(12)]}]}  # fmt: skip
            inner = _zip({"recipe.json": json.dumps(recipe).encode(), "image.jpg": JPEG})
            archive.writestr(f"{n}.zip", inner)
    return buffer.getvalue()


BIG: dict[str, Callable[[int], bytes]] = {
    "paprika": big_paprika,
    "mealie-backup": big_mealie,
    "tandoor": big_tandoor,
}


# --- measuring -------------------------------------------------------------------------------


SETUP = """
import sys
from recipes import create_app
from recipes.db import connect
from recipes.users import ensure_local_user
app = create_app({"DATA_DIR": sys.argv[1]})
db = connect(app.config["DATABASE"])
print(ensure_local_user(db, "measure").id)
db.close()
"""
_IMPORT = """
import json, shutil, sys, time
from pathlib import Path
from benchmarks.import_memory import household_of, peak_rss_mb
from recipes import create_app
from recipes.importing import jobs
data, user_id = sys.argv[1], int(sys.argv[2])
app = create_app({"DATA_DIR": data})
before = peak_rss_mb()
upload = Path(data) / "upload"
shutil.copyfile(sys.argv[3], upload)
start = time.monotonic()
jobs.run(app.config["DATABASE"], data, "x" * 20, user_id, upload, "upload",
         household_id=household_of(app.config["DATABASE"], user_id))
state = jobs.read_state(data, "x" * 20, user_id)
print(json.dumps({"before_mb": before, "peak_mb": peak_rss_mb(),
    "seconds": time.monotonic() - start, "imported": state["imported"],
    "failed": state["failed"], "error": state["error"],
    "reason": (state["failed_list"] or [{}])[0].get("reason", "")}))
"""


def household_of(database: str, user_id: int) -> int:
    """The household an account's imports go to."""
    from recipes.db import connect

    db = connect(database)
    try:
        return db.execute("SELECT household_id FROM users WHERE id = ?", (user_id,)).fetchone()[0]
    finally:
        db.close()


def peak_rss_mb() -> float:
    """This process's peak RSS. Linux's VmHWM, not `ru_maxrss`: a child's `ru_maxrss`
    starts from its parent's peak at fork, which would count the test's own memory."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def python(code: str, *args: str) -> str:
    """Run `code` in a fresh interpreter at the project's root; its last line of output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECIPES_")}
    root = str(Path(__file__).resolve().parent.parent)
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, check=False, env=env, cwd=root)  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"the measuring process failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1]


def measure(path: Path) -> dict:
    """Import `path` in a fresh process as the server would (the account is made in
    another process first: password hashing alone takes tens of MB); its peak RSS."""
    with tempfile.TemporaryDirectory() as data:
        user_id = python(SETUP, data)
        return json.loads(python(_IMPORT, data, user_id, str(path)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipes", type=int, default=10_000)
    parser.add_argument("--only", help="one case by name")
    args = parser.parse_args(argv)
    cases: list[tuple[str, Callable[[], bytes]]] = list(HOSTILE.items()) + [
        (f"{name}-{args.recipes}", (lambda make=make: make(args.recipes)))
        for name, make in BIG.items()
    ]
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for name, make in cases:
            if args.only and args.only != name:
                continue
            path = Path(folder) / name
            started = time.monotonic()
            path.write_bytes(make())
            built = time.monotonic() - started
            figures = measure(path)
            worst = max(worst, figures["peak_mb"])
            print(
                f"{name:32} {path.stat().st_size / 1e6:7.1f} MB file  "
                f"peak RSS {figures['peak_mb']:6.1f} MB (app {figures['before_mb']:5.1f})  "
                f"{figures['seconds']:6.1f} s  imported {figures['imported']:6}  "
                f"failed {figures['failed']}  {(figures['error'] or figures['reason'])[:60]}"
                f"  [built in {built:.0f} s]",
                flush=True,
            )
            path.unlink()
    print(f"worst peak RSS: {worst:.1f} MB (limit {LIMIT_MB} MB)")
    return 0 if worst < LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())
