from __future__ import annotations

import time
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ApiToken, OrgUnit, Role, User
from .permissions import Perm, require_perm


def orgunit_list(*, viewer: Any) -> QuerySet[OrgUnit]:
    """The organisation tree is reference data every signed-in user may read (it names no person)."""
    return OrgUnit.objects.select_related("parent").order_by("path")


def role_list() -> QuerySet[Role]:
    return Role.objects.order_by("code")


def user_list(*, viewer: Any, query: str = "") -> QuerySet[User]:
    require_perm_any(viewer, (Perm.USER_MANAGE, Perm.ROLE_ASSIGN))
    qs = User.objects.select_related("unit").prefetch_related("roles").order_by("username")
    if query:
        qs = qs.filter(username__icontains=query) | qs.filter(display_name__icontains=query)
    return qs


def user_get(*, viewer: Any, user_id: int) -> User | None:
    require_perm_any(viewer, (Perm.USER_MANAGE, Perm.ROLE_ASSIGN))
    return User.objects.select_related("unit").prefetch_related("roles").filter(pk=user_id).first()


def require_perm_any(viewer: Any, perms: tuple[Perm, ...]) -> None:
    codes = viewer.permission_codes() if getattr(viewer, "is_authenticated", False) else frozenset()
    if not any(p in codes for p in perms):
        require_perm(viewer, perms[0])


def token_list(*, viewer: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=viewer).order_by("-created_at")


def lockout_list(*, viewer: Any) -> QuerySet[AccessAttempt]:
    require_perm(viewer, Perm.ACCOUNT_UNLOCK)
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
