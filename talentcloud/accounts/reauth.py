"""Confirming again who one is: the password re-entered on a page before a bulk unmasked export, or a step-up
through the API (``step_up_confirm``); either holds for PRIVACY_REAUTH_SECONDS."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.audit.services import audit_record
from talentcloud.common.errors import ValidationFailed

REAUTH_SESSION_KEY = "tc_reauth_at"


def reauth_confirm(*, request: HttpRequest, password: str) -> None:
    """Re-enter the password before a bulk unmasked export; valid for PRIVACY_REAUTH_SECONDS."""
    user = request.user
    if not user.is_authenticated or not user.check_password(password):
        audit_record(
            actor=user, action="auth.reauth", outcome="failure", object_type="user", object_id=user.pk
        )
        raise ValidationFailed(fields={"password": [_("The password is not right.")]})
    request.session[REAUTH_SESSION_KEY] = int(time.time())
    audit_record(actor=user, action="auth.reauth", object_type="user", object_id=user.pk)


def reauth_fresh(request: HttpRequest) -> bool:
    at = request.session.get(REAUTH_SESSION_KEY)
    return at is not None and time.time() - int(at) <= settings.PRIVACY_REAUTH_SECONDS


def step_up_fresh(request: HttpRequest) -> bool:
    """Whether the caller confirmed who they are within PRIVACY_REAUTH_SECONDS: through this API token
    (``POST /api/v1/auth/step-up``), or, for a session, on the re-authentication page or the same call."""
    token = getattr(request, "api_token", None)
    if token is not None:
        at = token.stepped_up_at
        return at is not None and timezone.now() - at <= timedelta(seconds=settings.PRIVACY_REAUTH_SECONDS)
    return reauth_fresh(request)
