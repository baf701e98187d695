"""The usage guide."""

from __future__ import annotations

from flask import Blueprint, render_template

from recipes.settings import SETTINGS_DOC

bp = Blueprint("docs", __name__)


@bp.route("/docs")
def guide() -> str:
    return render_template("docs.html", settings=SETTINGS_DOC)
