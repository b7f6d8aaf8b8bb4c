"""Login, second factor, password, personal API tokens, and the system/security administrators' pages.

Views are thin: parse the form, call one service or selector, render.
"""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.decorators import ratelimit

from talentcloud.accounts.reauth import reauth_confirm
from talentcloud.audit.models import Outcome
from talentcloud.audit.services import audit_record, request_ip
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError, PermissionDenied

from . import selectors, services
from .forms import (
    LoginForm,
    OrgUnitCreateForm,
    OtpForm,
    PasswordChangeForm,
    ReauthForm,
    TokenCreateForm,
    UserCreateForm,
    UserRolesForm,
    apply_domain_error,
)
from .middleware import session_touch
from .passwords import password_expired
from .permissions import AccountPerm, has_perm
from .types import AuthedRequest

NEXT_SESSION_KEY = "tc_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return reverse("web:home")


def _after_full_login(request: AuthedRequest) -> HttpResponse:
    if password_expired(request.user):
        messages.warning(
            request,
            _("Your password is older than %(days)d days. Please choose a new one.")
            % {"days": settings.PASSWORD_MAX_AGE_DAYS},
        )
        return redirect("accounts:password_change")
    return redirect(_safe_next(request, request.session.pop(NEXT_SESSION_KEY, None)))


@access("public")
@ratelimit(key="ip", rate=lambda g, r: settings.RATELIMIT_LOGIN, method="POST", block=True)
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    form = LoginForm(request.POST or None)
    locked = False
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            locked = True
        elif user is None:
            form.add_error(None, _("The username or password is not right."))
        else:
            next_url = request.GET.get("next")
            login(request, user)
            session_touch(request, login=True)
            request.session[NEXT_SESSION_KEY] = _safe_next(request, next_url)
            if user.requires_second_factor:
                if selectors.confirmed_totp_device(user) is None:
                    return redirect("accounts:otp_setup")
                return redirect("accounts:otp_verify")
            return _after_full_login(request)  # type: ignore[arg-type]
    status = 429 if locked else (400 if request.method == "POST" else 200)
    return render(request, "accounts/login.html", {"form": form, "locked": locked}, status=status)


@access("own")
@ratelimit(key="user", rate=lambda g, r: settings.RATELIMIT_OTP, method="POST", block=True)
@require_http_methods(["GET", "POST"])
def otp_verify(request: AuthedRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect("web:home")
    device = selectors.confirmed_totp_device(request.user)
    if device is None:
        return redirect("accounts:otp_setup")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            audit_record(
                actor=request.user,
                action="auth.otp",
                object_type="user",
                object_id=request.user.pk,
                source_ip=request_ip(request),
            )
            return _after_full_login(request)
        audit_record(
            actor=request.user,
            action="auth.otp",
            object_type="user",
            object_id=request.user.pk,
            outcome=Outcome.FAILURE,
            source_ip=request_ip(request),
        )
        if selectors.totp_code_spent(device, form.cleaned_data["code"]):
            form.add_error(
                "code",
                _(
                    "This code has been used already. Wait for the next code in your authenticator app "
                    "(a new one comes every 30 seconds) and enter that."
                ),
            )
        else:
            form.add_error("code", _("The code is not right or has expired. Try the current one."))
    return render(request, "accounts/otp_verify.html", {"form": form}, status=400 if form.errors else 200)


@access("own")
@require_http_methods(["GET", "POST"])
def otp_setup(request: AuthedRequest) -> HttpResponse:
    user = request.user
    # Enrolling a new device is allowed before the first one exists, or inside a verified session;
    # never as a way around a device the user already has.
    if selectors.confirmed_totp_device(user) is not None and not user.is_verified():
        return redirect("accounts:otp_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or services.totp_device_create(
        user=user, name="authenticator"
    )
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_device_confirm(actor=user, device=device, code=form.cleaned_data["code"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return _after_full_login(request)
    qr = segno.make(device.config_url, micro=False)
    context = {
        "form": form,
        "qr_data_uri": qr.svg_data_uri(scale=4, border=2),
        "secret": _base32_secret(device),
    }
    return render(request, "accounts/otp_setup.html", context, status=400 if form.errors else 200)


def _base32_secret(device: TOTPDevice) -> str:

    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@access("own")
@require_POST
def logout_view(request: AuthedRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@access("own")
@ratelimit(key="user", rate=lambda g, r: settings.RATELIMIT_OTP, method="POST", block=True)
@require_http_methods(["GET", "POST"])
def reauth_view(request: AuthedRequest) -> HttpResponse:
    """Re-enter the password before a sensitive bulk action (an unmasked export)."""
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reauth_confirm(request=request, password=form.cleaned_data["password"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect(_safe_next(request, request.GET.get("next")))
    return render(request, "accounts/reauth.html", {"form": form}, status=400 if form.errors else 200)


@access("own")
@require_http_methods(["GET", "POST"])
def password_change_view(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("web:home")
    return render(
        request, "accounts/password_change.html", {"form": form}, status=400 if form.errors else 200
    )


@access("own")
@require_http_methods(["GET", "POST"])
def tokens_view(request: AuthedRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = services.token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                otp_code=form.cleaned_data["otp_code"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            form = TokenCreateForm()
    context = {"form": form, "tokens": selectors.token_list(viewer=request.user), "new_token": new_token}
    return render(request, "accounts/tokens.html", context, status=400 if form.errors else 200)


@access("own")
@require_POST
def token_revoke_view(request: AuthedRequest, token_id: int) -> HttpResponse:
    try:
        services.token_revoke(actor=request.user, token_id=token_id)
    except DomainError as exc:
        raise Http404 from exc
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:tokens")


# --- system administrator --------------------------------------------------------------------


@access("admin")
@require_http_methods(["GET", "POST"])
def users_view(request: AuthedRequest) -> HttpResponse:
    can_create = has_perm(request.user, AccountPerm.USER_MANAGE)
    users = selectors.user_list(viewer=request.user, query=request.GET.get("q", "").strip())
    form = UserCreateForm(request.POST or None) if can_create else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied()
        if form.is_valid():
            try:
                created = services.user_create(
                    actor=request.user,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password"],
                    unit=form.cleaned_data["unit"],
                    roles=list(form.cleaned_data["roles"]),
                    display_name=form.cleaned_data["display_name"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Account %(username)s created.") % {"username": created.username})
                return redirect("accounts:users")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/users.html",
        {
            "page": page,
            "form": form,
            "query": request.GET.get("q", ""),
            "perms_role_assign": has_perm(request.user, AccountPerm.ROLE_ASSIGN),
        },
        status=400 if form is not None and form.errors else 200,
    )


@access("admin")
@require_POST
def user_active_view(request: AuthedRequest, user_id: int) -> HttpResponse:
    target = selectors.user_get(viewer=request.user, user_id=user_id)
    if target is None:
        raise Http404
    try:
        services.user_set_active(actor=request.user, user=target, active=request.POST.get("active") == "1")
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("accounts:users")


@access("admin")
@require_http_methods(["GET", "POST"])
def units_view(request: AuthedRequest) -> HttpResponse:
    can_manage = has_perm(request.user, AccountPerm.ORGUNIT_MANAGE)
    if not can_manage and not has_perm(request.user, AccountPerm.ORGUNIT_VIEW):
        raise PermissionDenied()
    form = OrgUnitCreateForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied()
        if form.is_valid():
            try:
                services.orgunit_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Unit created."))
                return redirect("accounts:units")
    units = selectors.orgunit_list(viewer=request.user)
    return render(
        request,
        "accounts/units.html",
        {"units": units, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


# --- security administrator ------------------------------------------------------------------


@access("admin")
@require_http_methods(["GET", "POST"])
def user_roles_view(request: AuthedRequest, user_id: int) -> HttpResponse:
    if not has_perm(request.user, AccountPerm.ROLE_ASSIGN):
        raise PermissionDenied()
    target = selectors.user_get(viewer=request.user, user_id=user_id)
    if target is None:
        raise Http404
    form = UserRolesForm(request.POST or None, initial={"roles": list(target.roles.all())})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_roles(actor=request.user, user=target, roles=list(form.cleaned_data["roles"]))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Roles of %(username)s updated.") % {"username": target.username})
            return redirect("accounts:users")
    return render(
        request,
        "accounts/user_roles.html",
        {"form": form, "target": target},
        status=400 if form.errors else 200,
    )


@access("admin")
@require_http_methods(["GET", "POST"])
def lockouts_view(request: AuthedRequest) -> HttpResponse:
    attempts = selectors.lockout_list(viewer=request.user)
    if request.method == "POST":
        username = request.POST.get("username", "")
        services.account_unlock(actor=request.user, username=username, source_ip=request_ip(request))
        messages.success(request, _("%(username)s can sign in again.") % {"username": username})
        return redirect("accounts:lockouts")
    return render(request, "accounts/lockouts.html", {"attempts": attempts})
