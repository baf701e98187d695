"""Bulk imports from the web page run in a background thread; their progress lives in a
small JSON file (<data dir>/import-jobs/<id>.json) so that any server worker can show it.

At most `slots.PER_USER` jobs run at once for one user and `MAX_RUNNING` in all (per server
process); later ones wait in a queue, and their page says how many are ahead of them.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recipes.db import connect
from recipes.importing.errors import ImportFailed
from recipes.importing.files import read_file
from recipes.importing.saving import Outcome, Report, import_all
from recipes.importing.slots import PER_USER, Slots

log = logging.getLogger(__name__)
MAX_LISTED = 500  # failures/duplicates listed in the report; the counts are always complete
MAX_RUNNING = 4
_JOB_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def folder(data_dir: str | Path) -> Path:
    path = Path(data_dir) / "import-jobs"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def count_entries(path: Path) -> int | None:
    """How many recipes a file holds, when that is cheap to know (zips)."""
    from recipes.importing.archive import MAX_MEMBERS, member_count
    from recipes.importing.files import count_in_zip

    try:
        with open(path, "rb") as stream:
            if stream.read(2) != b"PK":
                return _count_urls(path)
            declared = member_count(stream)
            if declared is None or declared > MAX_MEMBERS:  # refused when read, not here
                return None
            with zipfile.ZipFile(stream) as archive:
                return count_in_zip(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None


def _count_urls(path: Path) -> int | None:
    from recipes.importing.files import url_list

    try:
        if path.stat().st_size > 5 * 1024 * 1024:
            return None
        return len(url_list(path.read_text("utf-8", errors="replace"))) or None
    except OSError:
        return None


def write_state(data_dir: str | Path, job_id: str, state: dict[str, Any]) -> None:
    path = folder(data_dir) / f"{job_id}.json"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state), "utf-8")
    os.replace(temporary, path)


def read_state(data_dir: str | Path, job_id: str, user_id: int) -> dict[str, Any] | None:
    if not _JOB_ID.match(job_id):
        return None
    try:
        state = json.loads((folder(data_dir) / f"{job_id}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return state if state.get("user_id") == user_id else None


def _listed(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    return [
        {"name": o.name, "reason": o.reason, "recipe_id": o.recipe_id}
        for o in outcomes[:MAX_LISTED]
    ]


def _state(user_id: int, filename: str, total: int | None, report: Report, done: bool,
           error: str = "", ahead: int | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "user_id": user_id,
        "queued": ahead is not None,
        "ahead": ahead or 0,
        "per_user": PER_USER,
        "max_running": MAX_RUNNING,
        "filename": filename,
        "total": total,
        "processed": report.total,
        "imported": report.imported,
        "duplicates": len(report.duplicates),
        "failed": len(report.failed),
        "duplicate_list": _listed(report.duplicates),
        "failed_list": _listed(report.failed),
        "formats": list(report.formats),
        "done": done,
        "error": error,
        "summary": report.summary(),
    }


def run(
    database: str,
    data_dir: str,
    job_id: str,
    user_id: int,
    upload: Path,
    filename: str,
    allow_private: bool = False,
    *,
    household_id: int,
) -> None:
    """The job itself: read the file, save every entry, keep the state file current."""
    total = count_entries(upload)
    report = Report()
    last_write = 0.0

    def progress(_outcome: Outcome, current: Report) -> None:
        nonlocal last_write
        if time.monotonic() - last_write > 0.5:
            write_state(data_dir, job_id, _state(user_id, filename, total, current, False))
            last_write = time.monotonic()

    db = connect(database)
    error = ""
    try:
        with open(upload, "rb") as stream:
            entries = read_file(stream, filename, allow_private=allow_private)
            report = import_all(db, household_id, entries, progress, by=user_id)
    except ImportFailed as failure:
        error = str(failure)
    except Exception as failure:  # the report must always end, whatever happened
        log.exception("import job %s failed", job_id)
        error = f"the import stopped unexpectedly ({type(failure).__name__})"
    finally:
        db.close()
        upload.unlink(missing_ok=True)
    write_state(data_dir, job_id, _state(user_id, filename, total, report, True, error))


@dataclass(frozen=True)
class Job:
    database: str
    data_dir: str
    job_id: str
    user_id: int
    upload: Path
    filename: str
    allow_private: bool = False
    household_id: int = 0  # where the recipes go (the starter's household)


_lock = threading.Lock()
_waiting: list[Job] = []
_running = Slots(total=MAX_RUNNING, per_user=PER_USER)


def start(
    database: str,
    data_dir: str,
    user_id: int,
    upload_stream,
    filename: str,
    allow_private: bool = False,
    *,
    household_id: int,
) -> str:
    """Save the upload and queue it (it starts at once when a slot is free); the job id."""
    job_id = secrets.token_urlsafe(18)
    upload = folder(data_dir) / f"{job_id}.upload"
    with open(upload, "wb") as out:
        while chunk := upload_stream.read(1024 * 1024):
            out.write(chunk)
    job = Job(database, data_dir, job_id, user_id, upload, filename, allow_private, household_id)
    with _lock:
        _waiting.append(job)
        _dispatch()
    return job_id


def _dispatch() -> None:
    """Start every waiting job the limits allow; tell the others their place. Under _lock."""
    still_waiting: list = []
    for job in _waiting:
        if _running.acquire(job.user_id):
            _launch(job)
            continue
        total = count_entries(job.upload)
        state = _state(job.user_id, job.filename, total, Report(), False, ahead=len(still_waiting))
        write_state(job.data_dir, job.job_id, state)
        still_waiting.append(job)
    _waiting[:] = still_waiting


def _launch(job: Job) -> None:
    total = count_entries(job.upload)
    write_state(job.data_dir, job.job_id, _state(job.user_id, job.filename, total, Report(), False))
    thread = threading.Thread(target=_run_then_next, args=(job,), name=f"import-{job.job_id[:6]}")
    thread.daemon = True
    thread.start()


def _run_then_next(job: Job) -> None:
    try:
        run(job.database, job.data_dir, job.job_id, job.user_id, job.upload, job.filename,
            job.allow_private, household_id=job.household_id)  # fmt: skip
    finally:
        _running.release(job.user_id)
        with _lock:
            _dispatch()


def waiting() -> int:
    """How many jobs wait for a slot in this process."""
    with _lock:
        return len(_waiting)
