"""JSON API v1: the caller's household, its members and invitations (admins manage)."""

from __future__ import annotations

from flask import url_for
from werkzeug.wrappers import Response

from recipes import households
from recipes.db import get_db
from recipes.household_pages import invitation_url
from recipes.users import get_user_by_name

from .auth import api_blueprint, api_user
from .payload import ApiError, json_body, validate
from .responses import json_response
from .schemas import (
    HouseholdOut,
    HouseholdRename,
    InvitationIn,
    InvitationList,
    InvitationOut,
    LeaveIn,
    MemberOut,
    RoleChange,
)

bp = api_blueprint("household_api", __name__)


def _household(household_id: int | None = None) -> HouseholdOut:
    found = households.get_household(get_db(), household_id or api_user().household_id)
    members = [MemberOut(username=m.username, role=m.role) for m in found.members]  # type: ignore[arg-type]
    return HouseholdOut(name=found.name, members=members)


def _member_id(username: str) -> int:
    """A member of the caller's household by name, or 404 (others are not confirmed)."""
    user = get_user_by_name(get_db(), username)
    if user is None or user.household_id != api_user().household_id:
        raise ApiError(404, "There is no member with that username in your household.")
    return user.id


def _refused(exc: households.HouseholdError) -> ApiError:
    return ApiError(409, str(exc))


@bp.get("/household")
def get() -> Response:
    return json_response(_household())


@bp.patch("/household")
def rename() -> Response:
    households.require_admin()
    body = validate(HouseholdRename, json_body(), strict=True)
    households.rename(get_db(), api_user().household_id, body.name)
    return json_response(_household())


@bp.patch("/household/members/<username>")
def set_role(username: str) -> Response:
    households.require_admin()
    user_id = _member_id(username)
    body = validate(RoleChange, json_body(), strict=True)
    try:
        households.set_role(get_db(), api_user().household_id, user_id, body.role)
    except households.HouseholdError as exc:
        raise _refused(exc) from None
    return json_response(_household())


@bp.delete("/household/members/<username>")
def remove(username: str) -> Response:
    households.require_admin()
    user_id = _member_id(username)
    try:
        households.remove_member(get_db(), api_user().household_id, user_id, api_user().id)
    except households.HouseholdError as exc:
        raise _refused(exc) from None
    return json_response(_household())


@bp.post("/household/leave")
def leave() -> Response:
    body = validate(LeaveIn, json_body(), strict=True)
    try:
        new_id = households.leave(get_db(), api_user(), body.take)
    except households.HouseholdError as exc:
        raise _refused(exc) from None
    return json_response(_household(new_id))


def _invitation(item: households.Invitation, secret: str | None = None) -> InvitationOut:
    return InvitationOut(
        id=item.id,
        role=item.role,  # type: ignore[arg-type]
        created_at=item.created_at,
        expires_at=item.expires_at,
        used=item.used_at is not None,
        used_by=item.used_by,
        url=invitation_url(secret) if secret else None,
    )


@bp.get("/household/invitations")
def invitations() -> Response:
    households.require_admin()
    items = households.list_invitations(get_db(), api_user().household_id)
    return json_response(InvitationList(items=[_invitation(item) for item in items]))


@bp.post("/household/invitations")
def invite() -> Response:
    households.require_admin()
    body = validate(InvitationIn, json_body(), strict=True)
    user = api_user()
    item, secret = households.create_invitation(get_db(), user.household_id, body.role, user.id)
    response = json_response(_invitation(item, secret), 201)
    response.headers["Location"] = url_for("household_api.invitations")
    return response


@bp.delete("/household/invitations/<int:invitation_id>")
def revoke(invitation_id: int) -> Response:
    households.require_admin()
    household_id = api_user().household_id
    if not households.revoke_invitation(get_db(), household_id, invitation_id):
        raise ApiError(404, "There is no invitation with that id in your household.")
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response
