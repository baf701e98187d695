"""`POST /api/v1/imports`: import a file (any export we read) as a background job;
`GET /api/v1/imports/<id>`: its progress and report. The same jobs as the Import page."""

from __future__ import annotations

from flask import current_app, jsonify, request, url_for
from werkzeug.wrappers import Response

from recipes.api.auth import api_blueprint, api_user
from recipes.api.payload import ApiError
from recipes.households import require_writer
from recipes.importing import jobs

bp = api_blueprint("imports_api", __name__)


def _state(job_id: str) -> dict:
    state = jobs.read_state(current_app.config["DATA_DIR"], job_id, api_user().id)
    if state is None:
        raise ApiError(404, "There is no such import job.")
    return {key: value for key, value in state.items() if key != "user_id"} | {"id": job_id}


@bp.post("/imports")
def start() -> tuple[Response, int]:
    require_writer()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(422, "Send the file as multipart/form-data field 'file'.",
                       fields={"file": "required"})  # fmt: skip
    job_id = jobs.start(
        current_app.config["DATABASE"],
        current_app.config["DATA_DIR"],
        api_user().id,
        upload.stream,
        upload.filename,
        allow_private=bool(current_app.config.get("IMPORT_ALLOW_PRIVATE")),
        household_id=api_user().household_id,
    )
    response = jsonify(_state(job_id))
    response.headers["Location"] = url_for("imports_api.status", job_id=job_id)
    return response, 202


@bp.get("/imports/<job_id>")
def status(job_id: str) -> Response:
    return jsonify(_state(job_id))
