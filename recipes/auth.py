"""Accounts: register, log in, log out, and the Flask-Login wiring."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from recipes import households
from recipes.db import get_db
from recipes.forms import ConfirmForm, LoginForm, RegisterForm
from recipes.throttle import (
    Throttle,
)
from recipes.users import (
    AccountError,
    User,
    authenticate,
    count_users,
    create_user,
    end_login,
    get_login,
    start_login,
)

bp = Blueprint("auth", __name__, url_prefix="/auth")
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see that page."
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The cookie's user while its login lasts (the cookie holds "user id:login id")."""
    uid, _, login_id = user_id.partition(":")
    if not uid.isdigit() or not login_id:
        return None
    return get_login(get_db(), int(uid), login_id)


def signup_open() -> bool:
    # Closed means closed, even with no accounts yet: the owner adds one with the CLI.
    return bool(current_app.config["ALLOW_SIGNUP"])


def safe_next(target: str | None) -> str:
    """Only same-site paths, so a crafted link cannot bounce a user to another site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for("recipes.index")


def _start_session(user: User, remember: bool = False) -> None:
    # A fresh session at login: nothing from before (fixation) carries over.
    session.clear()
    login_user(start_login(get_db(), user), remember=remember)


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | Response:
    """Open signup makes a new household; through an invitation link (?invite=) the new
    account joins that household instead, even when signup is closed."""
    secret = request.args.get("invite", "")[:200]
    invitation = households.find_invitation(get_db(), secret) if secret else None
    if secret and invitation is None:
        return render_template("join_invalid.html"), 404  # type: ignore[return-value]
    if not signup_open() and invitation is None:
        return render_template("auth/register_closed.html"), 403  # type: ignore[return-value]
    form = RegisterForm()
    if form.validate_on_submit():
        limits = [(_config_limit("REGISTER_LIMIT_PER_ADDRESS"), f"register:{_address()}")]
        with _throttle().serialised(_address()):
            _refuse_while_limited(limits)
            try:
                user = _new_account(form, secret if invitation else None)
            except AccountError as exc:
                getattr(form, exc.field).errors.append(str(exc))
            except households.HouseholdError as exc:
                return render_template("join_invalid.html", message=str(exc)), 404  # type: ignore[return-value]
            else:
                _throttle().count(limits)
                _start_session(user)
                flash(f"Welcome, {user.username}! Your account is ready.", "success")
                return redirect(url_for("recipes.index"))
    status = 422 if form.is_submitted() else 200
    first = count_users(get_db()) == 0
    return render_template(  # type: ignore[return-value]
        "auth/register.html", form=form, first=first, invitation=invitation
    ), status


def _new_account(form: RegisterForm, secret: str | None) -> User:
    username, password = form.username.data or "", form.password.data or ""
    if secret:
        return households.register(get_db(), username, password, secret)
    return create_user(get_db(), username, password)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = _checked_login(form.username.data or "", form.password.data or "")
        if user is not None:
            _start_session(user, remember=bool(form.remember.data))
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append("Wrong username or password.")
    status = 401 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form, signup=signup_open()), status  # type: ignore[return-value]


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    login_id = getattr(current_user, "login_id", None)
    logout_user()
    session.clear()
    if login_id:
        end_login(get_db(), login_id)  # every copy of the cookie dies with it
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


def _address() -> str:
    return request.remote_addr or "-"


def _config_limit(name: str) -> str:
    from recipes import throttle

    return str(current_app.config.get(name) or getattr(throttle, name))


def _throttle() -> Throttle:
    return current_app.extensions["throttle"]


def _refuse_while_limited(limits: list[tuple[str, str]]) -> None:
    if current_app.config.get("RATELIMIT_ENABLED", True):
        wait = _throttle().wait(limits)
        if wait:
            raise TooManyRequests(retry_after=wait)


def _checked_login(username: str, password: str) -> User | None:
    """authenticate(), slowed down per (username, address) and per address.

    Only failures count, so whoever types the right password is never held up, and a
    stranger's failures from another address never lock the real user out.
    """
    address = _address()
    name = username.strip().casefold()[:64]  # case and spaces do not make a new name
    limits = [
        (_config_limit("LOGIN_LIMIT_PER_USER_ADDRESS"), f"login:{address}:{name}"),
        (_config_limit("LOGIN_LIMIT_PER_ADDRESS"), f"login:{address}"),
    ]
    with _throttle().serialised(address):
        _refuse_while_limited(limits)
        user = authenticate(get_db(), username, password)
        if user is None:
            _throttle().count(limits)
    return user


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.register_blueprint(bp)
    app.extensions["throttle"] = Throttle(app.config.get("RATELIMIT_STORAGE_URI"))
