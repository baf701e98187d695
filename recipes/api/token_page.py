"""The Settings page: the user's API tokens (create, shown once; revoke)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from recipes.db import get_db
from recipes.forms import ConfirmForm

from .tokens import MAX_NAME_LENGTH, TokenError, create_token, list_tokens, revoke_token

bp = Blueprint("settings", __name__)


class TokenForm(FlaskForm):
    name = StringField(
        "Token name",
        validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)],
        description="What it is for, e.g. “Phone shortcut” or “Backup script”.",
    )


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def page() -> Response:
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        try:
            record, secret = create_token(get_db(), current_user.id, form.name.data or "")
        except TokenError as exc:
            form.name.errors.append(str(exc))
        else:
            form = TokenForm(formdata=None)
            flash(f"Token “{record.name}” created. Copy it now: it is shown only once.", "success")
    html = render_template(
        "settings.html", form=form, secret=secret, tokens=list_tokens(get_db(), current_user.id)
    )
    response = make_response(html, 422 if form.errors else 200)
    response.headers["Cache-Control"] = "no-store"  # the page may hold a new secret
    return response


@bp.route("/settings/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not revoke_token(get_db(), current_user.id, token_id):
        abort(404)
    flash("Token revoked: it stops working at once.", "info")
    return redirect(url_for("settings.page"))
