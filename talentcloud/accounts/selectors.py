from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .middleware import SESSION_ACTIVE_AT, SESSION_IP, SESSION_LOGIN_AT
from .models import ApiToken, OrgUnit, Role, User
from .permissions import AccountPerm, require_perm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def orgunit_list(*, viewer: User | AnonymousUser) -> QuerySet[OrgUnit]:
    """The organisation tree is reference data every signed-in user may read (it names no person)."""
    return OrgUnit.objects.select_related("parent").order_by("path")


def role_list() -> QuerySet[Role]:
    return Role.objects.order_by("code")


def user_list(*, viewer: User | AnonymousUser, query: str = "") -> QuerySet[User]:
    require_perm_any(viewer, (AccountPerm.USER_MANAGE, AccountPerm.ROLE_ASSIGN))
    qs = User.objects.select_related("unit").prefetch_related("roles").order_by("username")
    if query:
        qs = qs.filter(username__icontains=query) | qs.filter(display_name__icontains=query)
    return qs


def user_get(*, viewer: User | AnonymousUser, user_id: int) -> User | None:
    require_perm_any(viewer, (AccountPerm.USER_MANAGE, AccountPerm.ROLE_ASSIGN))
    return User.objects.select_related("unit").prefetch_related("roles").filter(pk=user_id).first()


def require_perm_any(viewer: User | AnonymousUser, perms: tuple[str, ...]) -> None:
    codes = viewer.permission_codes() if isinstance(viewer, User) else frozenset()
    if not any(p in codes for p in perms):
        require_perm(viewer, perms[0])


def token_list(*, viewer: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=viewer).order_by("-created_at")


def lockout_list(*, viewer: User | AnonymousUser) -> QuerySet[AccessAttempt]:
    require_perm(viewer, AccountPerm.ACCOUNT_UNLOCK)
    return AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by(
        "-attempt_time"
    )


def confirmed_totp_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_code_spent(device: TOTPDevice, code: str) -> bool:
    """Whether ``code`` is the device's right code for now but was used already: TOTP accepts each time step
    once (replay protection), so signing in twice within one 30-second window needs the next code. Call it
    after ``verify_token`` refused the code, to say so instead of "not right"."""
    try:
        token = int(code)
    except (TypeError, ValueError):
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return bool(totp.verify(token, device.tolerance)) and totp.t() <= device.last_t


# --- Signed-in sessions (the security administrator's list) ---------------------------------------


@dataclass(frozen=True)
class SignedInSession:
    """One live session. ``ref`` names it on the page and in forms: a keyed digest of the session key, so
    the key itself (a bearer credential) never leaves the server."""

    ref: str
    user: User
    login_at: datetime | None
    active_at: datetime | None
    ip: str
    expires_at: datetime


def session_ref(session_key: str) -> str:
    return salted_hmac("talentcloud.accounts.session_ref", session_key).hexdigest()[:32]


def _moment(value: object) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC) if value else None  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return None


def _user_id(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def live_sessions() -> list[tuple[str, dict[str, Any], datetime]]:
    """(session key, decoded data, expiry) of every unexpired session that belongs to a signed-in user and
    is still within the idle and absolute limits (``SessionLimitsMiddleware`` would end the others)."""

    now = time.time()
    rows = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).order_by("-expire_date").iterator():
        data = session.get_decoded()
        if SESSION_KEY not in data:
            continue
        active_at = int(data.get(SESSION_ACTIVE_AT, now))
        login_at = int(data.get(SESSION_LOGIN_AT, now))
        if (
            active_at + settings.SESSION_IDLE_SECONDS <= now
            or login_at + settings.SESSION_ABSOLUTE_SECONDS <= now
        ):
            continue
        rows.append((session.session_key, data, session.expire_date))
    return rows


def signed_in_sessions(*, viewer: User | AnonymousUser) -> list[SignedInSession]:
    """Every live signed-in session, the most recently active first (security administrator)."""

    require_perm(viewer, AccountPerm.SESSION_MANAGE)
    rows = live_sessions()
    user_ids = {_user_id(data[SESSION_KEY]) for _k, data, _e in rows}
    users = User.objects.select_related("unit").in_bulk(user_ids - {None})
    sessions = [
        SignedInSession(
            ref=session_ref(key),
            user=users[_user_id(data[SESSION_KEY])],
            login_at=_moment(data.get(SESSION_LOGIN_AT)),
            active_at=_moment(data.get(SESSION_ACTIVE_AT)),
            ip=str(data.get(SESSION_IP, "")),
            expires_at=expires,
        )
        for key, data, expires in rows
        if _user_id(data[SESSION_KEY]) in users
    ]
    far_past = datetime.min.replace(tzinfo=UTC)
    return sorted(sessions, key=lambda s: s.active_at or far_past, reverse=True)
