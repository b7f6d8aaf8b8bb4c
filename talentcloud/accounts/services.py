"""Account services: every write here has an actor and leaves an audit event in the same transaction."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import SESSION_KEY, password_validation
from django.contrib.auth.signals import user_login_failed
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentcloud.accounts.reauth import REAUTH_SESSION_KEY
from talentcloud.audit.models import Outcome
from talentcloud.audit.services import audit_record, request_ip
from talentcloud.common.errors import LockedOut, NotFound, PermissionDenied, ValidationFailed

from .enums import RoleKind
from .models import ApiToken, OrgUnit, PasswordHistory, Role, User
from .permissions import AccountPerm, admin_groups_of, declared_codes, require_perm
from .selectors import live_sessions, session_ref

TOKEN_PREFIX = "tc"  # noqa: S105 (the visible prefix of every token)


# --- organisation units ----------------------------------------------------------------------


def orgunit_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    name_en: str = "",
    sort_order: int = 0,
) -> OrgUnit:
    if actor is not None:
        require_perm(actor, AccountPerm.ORGUNIT_MANAGE)
    if OrgUnit.objects.filter(code=code).exists():
        raise ValidationFailed(fields={"code": [_("A unit with this code already exists.")]})
    path = f"{parent.path if parent else '/'}{code}/"
    with transaction.atomic():
        unit = OrgUnit.objects.create(
            code=code, name=name, name_en=name_en, kind=kind, parent=parent, path=path, sort_order=sort_order
        )
        if actor is not None:
            audit_record(actor=actor, action="orgunit.create", object_type="orgunit", object_id=unit.pk)
    return unit


# --- users and roles -------------------------------------------------------------------------


def _check_admin_separation(roles: list[Role]) -> None:
    perms: set[str] = {code for role in roles for code in role.permissions}
    groups = admin_groups_of(perms)
    if len(groups) > 1:
        raise ValidationFailed(
            _("The system, security and audit administrator roles cannot be held together."),
            fields={
                "roles": [_("The system, security and audit administrator roles cannot be held together.")]
            },
        )


def role_validate_permissions(permissions: list[str]) -> None:
    known = declared_codes()
    unknown = sorted(set(permissions) - known)
    if unknown:
        raise ValidationFailed(fields={"permissions": [_("Unknown permission: %s") % ", ".join(unknown)]})
    if len(admin_groups_of(set(permissions))) > 1:
        raise ValidationFailed(
            fields={"permissions": [_("One role cannot combine the duties of two administrators.")]}
        )


def role_upsert(*, code: str, name: str, name_en: str, kind: str, scope: str, permissions: list[str]) -> Role:
    """Reference data for roles (seed and migrations of the role catalogue); not an end-user action."""
    role_validate_permissions(permissions)
    role, _created = Role.objects.update_or_create(
        code=code,
        defaults={"name": name, "name_en": name_en, "kind": kind, "scope": scope, "permissions": permissions},
    )
    return role


def _set_password(user: User, raw_password: str) -> None:
    user.set_password(raw_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    PasswordHistory.objects.create(user=user, password=user.password)


def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    unit: OrgUnit | None,
    roles: list[Role],
    display_name: str = "",
    is_demo: bool = False,
    validate_password: bool = True,
) -> User:
    """Create an account. ``actor`` None means the operator at the console (`talentcloud user create`)."""
    if actor is not None:
        require_perm(actor, AccountPerm.USER_MANAGE)
    errors: dict[str, list[Any]] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken.")]
    if not roles:
        errors["roles"] = [_("Choose at least one role.")]
    candidate = User(username=username, display_name=display_name, unit=unit)
    if validate_password:
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    if any(role.kind not in (RoleKind.TALENT, RoleKind.ENTERPRISE) for role in roles) and unit is None:
        errors["unit"] = [_("Staff accounts belong to a unit.")]
    if errors:
        raise ValidationFailed(fields=errors)
    _check_admin_separation(roles)
    with transaction.atomic():
        candidate.is_demo = is_demo
        candidate.save()
        candidate.roles.set(roles)
        _set_password(candidate, password)
        audit_record(
            actor=actor,
            actor_username="console" if actor is None else "",
            action="user.create",
            object_type="user",
            object_id=candidate.pk,
            details={"roles": [r.code for r in roles], "unit": unit.code if unit else None},
        )
    return candidate


def user_set_roles(*, actor: User, user: User, roles: list[Role]) -> User:
    """Security administrator's job: role assignment (a permission change, audited)."""
    require_perm(actor, AccountPerm.ROLE_ASSIGN)
    if actor.pk == user.pk:
        raise PermissionDenied(_("You cannot change your own roles."))
    if not roles:
        raise ValidationFailed(fields={"roles": [_("Choose at least one role.")]})
    _check_admin_separation(roles)
    before = sorted(user.roles.values_list("code", flat=True))
    with transaction.atomic():
        user.roles.set(roles)
        user.forget_cached_roles()
        audit_record(
            actor=actor,
            action="user.roles_change",
            object_type="user",
            object_id=user.pk,
            details={"before": before, "after": sorted(r.code for r in roles)},
        )
    return user


def user_set_active(*, actor: User, user: User, active: bool) -> User:
    require_perm(actor, AccountPerm.USER_MANAGE)
    if actor.pk == user.pk:
        raise PermissionDenied(_("You cannot deactivate your own account."))
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="user.activate" if active else "user.deactivate",
            object_type="user",
            object_id=user.pk,
        )
    return user


def language_set(*, actor: User, language: str) -> bool:
    """Keep the language ``actor`` chose with the switch (their e-mail and SMS are written in it). True when
    it changed; an unknown code is refused."""
    if language not in dict(settings.LANGUAGES):
        message = _("Choose one of the platform's languages.")
        raise ValidationFailed(message, fields={"language": [message]})
    if actor.preferred_language == language:
        return False
    with transaction.atomic():
        User.objects.filter(pk=actor.pk).update(preferred_language=language)
        actor.preferred_language = language
        audit_record(
            actor=actor,
            action="account.language",
            object_type="user",
            object_id=actor.pk,
            details={"language": language},
        )
    return True


def password_change(*, actor: User, old_password: str, new_password: str) -> None:
    if not actor.check_password(old_password):
        raise ValidationFailed(fields={"old_password": [_("The current password is not right.")]})
    try:
        password_validation.validate_password(new_password, actor)
    except ValidationError as exc:
        raise ValidationFailed(fields={"new_password": list(exc.messages)}) from exc
    with transaction.atomic():
        _set_password(actor, new_password)
        audit_record(actor=actor, action="user.password_change", object_type="user", object_id=actor.pk)


def password_reset_by_operator(*, user: User, new_password: str, validate: bool = True) -> None:
    """Console only (demo and `talentcloud user`): set a password without knowing the old one."""
    if validate:
        try:
            password_validation.validate_password(new_password, user)
        except ValidationError as exc:
            raise ValidationFailed(fields={"password": list(exc.messages)}) from exc
    with transaction.atomic():
        _set_password(user, new_password)
        audit_record(
            actor=None,
            actor_username="console",
            action="user.password_reset",
            object_type="user",
            object_id=user.pk,
        )


def account_unlock(*, actor: User, username: str, source_ip: str | None = None) -> int:
    """Security administrator's job: clear the lockout of ``username``; returns attempts cleared."""
    require_perm(actor, AccountPerm.ACCOUNT_UNLOCK)
    with transaction.atomic():
        cleared = axes_reset(username=username)
        audit_record(
            actor=actor,
            action="account.unlock",
            object_type="user",
            object_id=User.objects.filter(username=username).values_list("pk", flat=True).first() or "",
            source_ip=source_ip,
            details={"username": username, "attempts_cleared": cleared},
        )
    return cleared


# --- TOTP devices ----------------------------------------------------------------------------


def totp_device_create(
    *, user: User, name: str = "default", confirmed: bool = False, key: str | None = None
) -> TOTPDevice:
    kwargs: dict[str, Any] = {"user": user, "name": name, "confirmed": confirmed}
    if key:
        kwargs["key"] = key
    return TOTPDevice.objects.create(**kwargs)


def totp_device_confirm(*, actor: User, device: TOTPDevice, code: str) -> None:
    if device.user_id != actor.pk:
        raise NotFound()
    if not device.verify_token(code):
        raise ValidationFailed(
            fields={"code": [_("The code is not right or has expired. Try the current one.")]}
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
        audit_record(actor=actor, action="otp.enrol", object_type="user", object_id=actor.pk)


# --- API tokens ------------------------------------------------------------------------------


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_max_days(user: User) -> int:
    """How long a token of ``user`` may live: staff (who sign in with a second factor) get
    STAFF_API_TOKEN_MAX_DAYS, talents and enterprise HR API_TOKEN_MAX_DAYS."""
    if user.requires_second_factor:
        return min(settings.STAFF_API_TOKEN_MAX_DAYS, settings.API_TOKEN_MAX_DAYS)
    return int(settings.API_TOKEN_MAX_DAYS)


def token_create(
    *, actor: User, name: str, days: int | None = None, otp_code: str | None = None, console: bool = False
) -> tuple[ApiToken, str]:
    """Issue a personal token and return it with its clear text (shown once).

    Staff must prove a second factor now (``otp_code``), even inside a verified session; the
    console (`talentcloud token create`) is an operator action and is audited as such.
    """
    days = days if days is not None else settings.API_TOKEN_DEFAULT_DAYS
    max_days = token_max_days(actor)
    errors: dict[str, list[Any]] = {}
    if not name.strip():
        errors["name"] = [_("Give the token a name, so you recognise it later.")]
    if not 1 <= days <= max_days:
        errors["days"] = [_("Between 1 and %(max)d days.") % {"max": max_days}]
    if errors:
        raise ValidationFailed(fields=errors)
    if not actor.is_active:
        raise PermissionDenied()
    if actor.requires_second_factor and not console:
        devices = TOTPDevice.objects.filter(user=actor, confirmed=True)
        if not otp_code or not any(device.verify_token(otp_code) for device in devices):
            raise ValidationFailed(
                fields={"otp_code": [_("Enter the current code from your authenticator app.")]}
            )
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    clear = f"{TOKEN_PREFIX}_{prefix}_{secret}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name.strip(),
            prefix=prefix,
            digest=token_digest(clear),
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit_record(
            actor=actor,
            action="token.create",
            object_type="api_token",
            object_id=token.pk,
            details={"prefix": prefix, "days": days, "via": "console" if console else "web"},
        )
    return token, clear


def token_revoke(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    if token.user_id != actor.pk and AccountPerm.TOKEN_REVOKE_ANY not in actor.permission_codes():
        raise NotFound()
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="token.revoke", object_type="api_token", object_id=token.pk)
    return token


def token_lookup(clear: str) -> ApiToken | None:
    """The usable token behind a bearer string (its user loaded), or None when it is unknown, expired,
    revoked, its user inactive, or a staff token older than STAFF_API_TOKEN_MAX_DAYS (a token issued before
    the user became staff stops there too)."""
    parts = clear.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not secrets.compare_digest(token.digest, token_digest(clear)):
        return None
    now = timezone.now()
    if not token.is_usable(now) or not token.user.is_active:
        return None
    if now - token.created_at > timedelta(days=token_max_days(token.user)):
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_authenticate(clear: str) -> User | None:
    """The user behind a bearer token, or None (see ``token_lookup``)."""
    token = token_lookup(clear)
    return token.user if token is not None else None


# --- step-up: a fresh password or authenticator check through the API -------------------------------


def _step_up_failed(*, request: HttpRequest, actor: User, factor: str, via: str) -> None:
    """Audit the failure and count it toward the account's lockout as a failed login does (django-axes);
    raise LockedOut when this failure locks the account, else the field's message."""
    audit_record(
        actor=actor,
        action="auth.step_up",
        object_type="user",
        object_id=actor.pk,
        outcome=Outcome.FAILURE,
        source_ip=request_ip(request),
        details={"factor": factor, "via": via},
    )
    # ``step_up`` tells our own receiver the failure is already audited (axes ignores it).
    user_login_failed.send(
        sender=__name__, credentials={"username": actor.get_username(), "step_up": True}, request=request
    )
    if getattr(request, "axes_locked_out", False):
        # Answer with our JSON error, not the lockout page AxesMiddleware would put in its place.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        raise LockedOut()
    if factor == "otp":
        raise ValidationFailed(
            fields={"otp": [_("The code is not right or has expired. Try the current one.")]}
        )
    raise ValidationFailed(fields={"password": [_("The password is not right.")]})


def step_up_confirm(
    *, request: HttpRequest, actor: User, password: str = "", otp: str = "", token: ApiToken | None = None
) -> datetime:
    """Re-check who is calling before personal data is released in clear; the check holds for
    PRIVACY_REAUTH_SECONDS. Recorded on ``token`` (a bearer call) or in the session (a page's session).

    Staff (who sign in with a second factor) give the current code of their authenticator app (``otp``); a
    password sent with it is checked too. Talents and enterprise HR give their password (or a code, where
    they have an authenticator). A locked account is refused before anything is checked; every failure is
    audited and counts toward the lockout as a failed login does.
    """
    via = "token" if token is not None else "session"
    if AxesProxyHandler.is_locked(request, {"username": actor.get_username()}):
        audit_record(
            actor=actor,
            action="auth.step_up",
            object_type="user",
            object_id=actor.pk,
            outcome=Outcome.DENIED,
            source_ip=request_ip(request),
            details={"via": via, "locked": True},
        )
        raise LockedOut()
    devices = list(TOTPDevice.objects.filter(user=actor, confirmed=True))
    if actor.requires_second_factor:
        if not devices:
            raise PermissionDenied(_("Set up your authenticator app first (sign in on the website)."))
        if not otp:
            raise ValidationFailed(fields={"otp": [_("Enter the current code from your authenticator app.")]})
    elif not password and not (otp and devices):
        raise ValidationFailed(fields={"password": [_("Enter your password.")]})
    if password and not actor.check_password(password):
        _step_up_failed(request=request, actor=actor, factor="password", via=via)
    if otp and not any(device.verify_token(otp) for device in devices):
        _step_up_failed(request=request, actor=actor, factor="otp", via=via)
    now = timezone.now()
    with transaction.atomic():
        if token is not None:
            ApiToken.objects.filter(pk=token.pk).update(stepped_up_at=now)
            token.stepped_up_at = now
        else:
            request.session[REAUTH_SESSION_KEY] = int(now.timestamp())
        audit_record(
            actor=actor,
            action="auth.step_up",
            object_type="user",
            object_id=actor.pk,
            source_ip=request_ip(request),
            details={"via": via, "factor": "otp" if otp else "password"}
            | ({"token": token.prefix} if token is not None else {}),
        )
    return now


# --- Signed-in sessions ----------------------------------------------------------------------


def session_end(*, actor: User, ref: str, source_ip: str | None = None) -> User:
    """Security administrator's forced sign-out: delete the session ``ref`` names (``selectors.session_ref``).

    The session row is gone, so its cookie names nothing: the person's next request is anonymous and every
    page but the public ones sends them to the login. Returns whose session it was."""

    require_perm(actor, AccountPerm.SESSION_MANAGE)
    found = next(((key, data) for key, data, _e in live_sessions() if session_ref(key) == ref), None)
    if found is None:
        raise NotFound(_("That session has ended already."))
    key, data = found
    user = User.objects.filter(pk=data[SESSION_KEY]).first()
    if user is None:
        raise NotFound(_("That session has ended already."))
    with transaction.atomic():
        Session.objects.filter(session_key=key).delete()
        audit_record(
            actor=actor,
            action="session.end",
            object_type="user",
            object_id=user.pk,
            source_ip=source_ip,
            details={"session": ref[:8], "own": user.pk == getattr(actor, "pk", None)},
        )
    return user
