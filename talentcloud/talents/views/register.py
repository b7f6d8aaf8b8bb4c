"""Sign-up for talents (public): a phone code, real-name verification, the archive claimed."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from talentcloud.accounts.forms import RegisterForm, apply_domain_error
from talentcloud.accounts.identity import REGISTER_PURPOSE
from talentcloud.accounts.middleware import session_touch
from talentcloud.accounts.sms import code_send
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError
from talentcloud.common.validators import validate_mobile

from ..registration import talent_register


def _phone_key(group: str, request: HttpRequest) -> str:
    return str(request.POST.get("phone", ""))[-11:]


@access("public")
@require_POST
@ratelimit(key="ip", rate=lambda g, r: settings.RATELIMIT_SMS, block=True)
@ratelimit(key=_phone_key, rate="1/m", block=True)
def register_code_view(request: HttpRequest) -> HttpResponse:
    """Send a six-digit code to the phone (answered as a small htmx fragment)."""
    try:
        phone = validate_mobile(request.POST.get("phone", ""))
    except ValidationError as exc:
        return render(request, "talents/_code_status.html", {"error": " ".join(exc.messages)}, status=422)
    code_send(phone=phone, purpose=REGISTER_PURPOSE)
    return render(request, "talents/_code_status.html", {"sent": True})


@access("public")
@ratelimit(key="ip", rate=lambda g, r: settings.RATELIMIT_LOGIN, method="POST", block=True)
@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = talent_register(
                username=data["username"],
                password=data["password"],
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                code=data["code"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
            session_touch(request, login=True)
            if result.claimed:
                messages.success(
                    request, _("Welcome. Your archive with the district is now linked to your account.")
                )
            else:
                messages.success(
                    request,
                    _("Welcome. A new archive has been opened for you; the talent office will complete it."),
                )
            return redirect("talents:detail", talent_id=result.talent.pk)
    return render(request, "talents/register.html", {"form": form}, status=400 if form.errors else 200)
