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
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from recipes.db import get_db
from recipes.forms import ConfirmForm, LoginForm, RegisterForm
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
# Failed logins allowed per client address and per username. The counters live in memory
# (per process) unless RATELIMIT_STORAGE_URI names a shared store such as redis://.
LOGIN_LIMIT_PER_IP = "20 per minute"
LOGIN_LIMIT_PER_USERNAME = "5 per minute"


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
    if not signup_open():
        return render_template("auth/register_closed.html"), 403  # type: ignore[return-value]
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = create_user(get_db(), form.username.data or "", form.password.data or "")
        except AccountError as exc:
            getattr(form, exc.field).errors.append(str(exc))
        else:
            _start_session(user)
            flash(f"Welcome, {user.username}! Your account is ready.", "success")
            return redirect(url_for("recipes.index"))
    status = 422 if form.is_submitted() else 200
    first = count_users(get_db()) == 0
    return render_template("auth/register.html", form=form, first=first), status  # type: ignore[return-value]


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(get_db(), form.username.data or "", form.password.data or "")
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


def _login_username() -> str:
    """The rate-limit key for the username being tried (case and spaces do not evade it)."""
    name = (request.form.get("username") or "").strip().casefold()[:64]
    return f"login-user:{name}"


def _failed_login(response: Response) -> bool:
    # Only failures count, so people who type their password right are never slowed down.
    return response.status_code == 401


def _limit_login(app: Flask) -> None:
    """Rate-limit failed logins per IP and per username, on a limiter of this app's own."""
    limiter = Limiter(
        get_remote_address,
        app=app,
        default_limits=[],
        headers_enabled=True,
        # A sliding window: a fixed one would allow twice the limit across its boundary.
        strategy="moving-window",
        storage_uri=app.config.get("RATELIMIT_STORAGE_URI") or "memory://",
    )
    config = app.config
    per_ip = limiter.limit(
        lambda: config.get("LOGIN_LIMIT_PER_IP", LOGIN_LIMIT_PER_IP),
        methods=["POST"],
        deduct_when=_failed_login,
    )
    per_user = limiter.limit(
        lambda: config.get("LOGIN_LIMIT_PER_USERNAME", LOGIN_LIMIT_PER_USERNAME),
        key_func=_login_username,
        methods=["POST"],
        deduct_when=_failed_login,
    )
    app.view_functions["auth.login"] = per_ip(per_user(app.view_functions["auth.login"]))
    app.extensions["login_limiter"] = limiter


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.register_blueprint(bp)
    _limit_login(app)
