"""Issue 12, "memory stays bounded": hostile import files (compression bombs, JSON of
millions of empty objects, deep nesting, zips of 200,000 files, zips in zips, one huge
recipe in an HTML export, a 30 MB CSV field, YAML "billion laughs", endless MealMaster
lines) are imported the way the server does it, in a fresh process, which must stay
under 200 MB peak RSS and report each file's failure with its reason."""

from __future__ import annotations

import json

import pytest

from benchmarks import import_memory

_RUN = """
import json, shutil, sys
from pathlib import Path
from benchmarks.import_memory import household_of, peak_rss_mb
from recipes import create_app
from recipes.importing import jobs
data, user_id, folder = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
app = create_app({"DATA_DIR": data})
results = {}
for path in sorted(folder.iterdir()):
    upload = Path(data) / "upload"
    shutil.copyfile(path, upload)
    jobs.run(app.config["DATABASE"], data, "x" * 20, user_id, upload, path.name,
             household_id=household_of(app.config["DATABASE"], user_id))
    state = jobs.read_state(data, "x" * 20, user_id)
    reason = state["error"] or " ".join(f["reason"] for f in state["failed_list"])
    results[path.name] = {"imported": state["imported"], "reason": reason}
results["peak_mb"] = peak_rss_mb()
print(json.dumps(results))
"""

EXPECTED_REASONS = {
    "paprika-40KB-bomb": "too large",
    "zip-of-empty-objects": "too large",
    "16MB-json-of-empty-objects": "too many JSON objects",
    "deeply-nested-json": "too many JSON objects",
    "mealie-row-bomb": "too many JSON objects",
    "zip-of-200k-files": "too many files",
    "zips-nested-6-deep": "nested too deeply",
    "copy-me-that-one-huge-recipe": "",  # cut to 1 MB: read, no crash
    "csv-30MB-field": "field larger than field limit",
    "yaml-billion-laughs": "aliases are not accepted",
    "mealmaster-huge-lines": "",  # lines cut to 4 KB: read, no crash
}


@pytest.mark.slow
def test_hostile_files_stay_under_200_mb_and_say_why(tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    for name, make in import_memory.HOSTILE.items():  # built here, not in the measured process
        (files / name).write_bytes(make())
    data = tmp_path / "data"
    user_id = import_memory.python(import_memory.SETUP, str(data))  # the account, elsewhere
    results = json.loads(import_memory.python(_RUN, str(data), user_id, str(files)))
    peak = results.pop("peak_mb")
    assert set(results) == set(import_memory.HOSTILE) == set(EXPECTED_REASONS)
    for name, expected in EXPECTED_REASONS.items():
        assert expected in results[name]["reason"], (name, results[name])
        assert results[name]["imported"] <= 1, name
    assert peak < import_memory.LIMIT_MB, f"peak RSS {peak:.0f} MB"
    print(f"hostile imports: peak RSS {peak:.0f} MB")
