"""The household page (members, roles, invitations, leaving) and invitation links."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from recipes import households
from recipes.db import get_db
from recipes.forms import ConfirmForm
from recipes.users import ROLES, count_users

bp = Blueprint("household", __name__)
ROLE_CHOICES = [
    ("member", "Member: reads and changes recipes"),
    ("viewer", "Viewer: reads recipes and plans, uses shopping lists"),
    ("admin", "Admin: also manages members and invitations"),
]
TAKE_CHOICES = [
    ("nothing", "Take nothing: the recipes stay with the household"),
    ("copy", "Take a copy of the recipes I added (they also stay with the household)"),
]


class InviteForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES, default="member")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[(r, r.capitalize()) for r in ROLES])


class RenameForm(FlaskForm):
    name = StringField("Household name", validators=[DataRequired(), Length(max=200)])


class TakeForm(FlaskForm):
    take = RadioField("Your recipes", choices=TAKE_CHOICES, default="nothing")


def invitation_url(secret: str) -> str:
    return url_for("household.join", token=secret, _external=True)


def households_shown() -> bool:
    """Whether to show household features: always on a server; in the desktop app only
    once a second account exists (one local person needs no household)."""
    if not current_app.config.get("AUTO_LOGIN_USER"):
        return True
    return count_users(get_db()) > 1


@bp.route("/household")
@login_required
def page() -> Response:
    return _render()


def _render(secret: str | None = None, status: int = 200) -> Response:
    db = get_db()
    household = households.get_household(db, current_user.household_id)
    admin = current_user.role == "admin"
    html = render_template(
        "household.html",
        household=household,
        admin=admin,
        invitations=households.list_invitations(db, household.id) if admin else [],
        invite_form=InviteForm(formdata=None),
        rename_form=RenameForm(formdata=None, name=household.name),
        role_form=RoleForm,
        form=ConfirmForm(),
        invitation_link=invitation_url(secret) if secret else None,
    )
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"  # the page may hold a new link
    return response


def _admin_form(form: FlaskForm) -> None:
    if not form.validate_on_submit():
        abort(400)
    households.require_admin()


@bp.post("/household/name")
@login_required
def rename() -> Response:
    form = RenameForm()
    households.require_admin()
    if not form.validate_on_submit():
        flash("Give the household a name (at most 200 characters).", "error")
        return redirect(url_for("household.page"))
    households.rename(get_db(), current_user.household_id, (form.name.data or "").strip())
    flash("Household renamed.", "success")
    return redirect(url_for("household.page"))


@bp.post("/household/invitations")
@login_required
def invite() -> Response:
    form = InviteForm()
    _admin_form(form)
    _, secret = households.create_invitation(
        get_db(), current_user.household_id, form.role.data, current_user.id
    )
    flash("Invitation created. Send the link to the person you invite: it works once.", "success")
    return _render(secret=secret)


@bp.post("/household/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(invitation_id: int) -> Response:
    _admin_form(ConfirmForm())
    db = get_db()
    if not households.revoke_invitation(db, current_user.household_id, invitation_id):
        abort(404)
    flash("Invitation revoked: its link no longer works.", "info")
    return redirect(url_for("household.page"))


@bp.post("/household/members/<int:user_id>/role")
@login_required
def set_role(user_id: int) -> Response:
    form = RoleForm()
    _admin_form(form)
    return _change_member(
        lambda db: households.set_role(db, current_user.household_id, user_id, form.role.data),
        lambda member: (f"{member.username} is now {member.role}.", "success"),
    )


@bp.post("/household/members/<int:user_id>/remove")
@login_required
def remove(user_id: int) -> Response:
    _admin_form(ConfirmForm())
    return _change_member(
        lambda db: households.remove_member(
            db, current_user.household_id, user_id, current_user.id
        ),
        lambda member: (
            f"{member.username} was removed; the recipes they added stay here.",
            "info",
        ),
    )


def _change_member(
    change: Callable[[sqlite3.Connection], households.Member],
    done: Callable[[households.Member], tuple[str, str]],
) -> Response:
    """Apply an admin's change to one member: 404 for a stranger, the rule broken as a
    flash (the last admin stays), else `done`'s message."""
    try:
        member = change(get_db())
    except LookupError:
        abort(404)
    except households.HouseholdError as exc:
        flash(str(exc), "error")
    else:
        flash(*done(member))
    return redirect(url_for("household.page"))


@bp.route("/household/leave", methods=["GET", "POST"])
@login_required
def leave() -> Response:
    form = TakeForm()
    db = get_db()
    household = households.get_household(db, current_user.household_id)
    if form.validate_on_submit():
        try:
            households.leave(db, current_user, form.take.data)  # type: ignore[arg-type]
        except households.HouseholdError as exc:
            flash(str(exc), "error")
            return redirect(url_for("household.page"))
        flash(f"You left {household.name}; you now have a household of your own.", "info")
        return redirect(url_for("recipes.index"))
    return make_response(render_template("household_leave.html", household=household, form=form))


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str) -> Response:
    """An invitation link: sign in or register through it, then confirm to join."""
    db = get_db()
    invitation = households.find_invitation(db, token)
    if invitation is None:
        return make_response(render_template("join_invalid.html"), 404)
    if not current_user.is_authenticated:
        return make_response(render_template("join.html", invitation=invitation, token=token))
    if invitation.household_id == current_user.household_id:
        flash("You are already a member of this household.", "info")
        return redirect(url_for("household.page"))
    form = TakeForm()
    if form.validate_on_submit():
        try:
            households.join(db, current_user, token, form.take.data)  # type: ignore[arg-type]
        except households.HouseholdError as exc:
            flash(str(exc), "error")
            return redirect(url_for("household.page"))
        flash(f"Welcome to {invitation.household_name}!", "success")
        return redirect(url_for("recipes.index"))
    alone = households.member_count(db, current_user.household_id) == 1
    return make_response(
        render_template("join.html", invitation=invitation, token=token, form=form, alone=alone)
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["households_shown"] = households_shown
