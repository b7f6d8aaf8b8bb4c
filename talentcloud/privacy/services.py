"""Unmasking personal data (permission + reason, audited), re-authentication for bulk unmasked exports, and
the door of API operations that return personal data in clear (rate limit + a fresh step-up)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from talentcloud.accounts.permissions import Perm, require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import RateLimited, StepUpRequired, ValidationFailed

from .fields import EncryptedTextField

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

REAUTH_SESSION_KEY = "tc_reauth_at"


def _unmask_record(
    *, actor: AbstractBaseUser, obj: models.Model, field: str, reason: str, source_ip: str | None
) -> None:
    """What every unmask shares: the permission, a reason, and the audit event (who, whose, what, why)."""
    require_perm(actor, Perm.PII_UNMASK)
    reason = reason.strip()
    if len(reason) < 4:
        raise ValidationFailed(fields={"reason": [_("Say why you need to see it (at least 4 characters).")]})
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="pii.unmask",
            object_type=obj._meta.label_lower,
            object_id=obj.pk,
            source_ip=source_ip,
            details={"field": field, "reason": reason[:200]},
        )


def pii_unmask(
    *, actor: AbstractBaseUser, obj: models.Model, field: str, reason: str, source_ip: str | None = None
) -> str:
    """The clear value of one encrypted field of one record the actor can already see.

    The caller must have fetched ``obj`` through a scoped selector. Needs the unmask permission and a reason;
    every unmask is an audit event (who, whose, which field, why).
    """
    model_field = obj._meta.get_field(field)
    if not isinstance(model_field, EncryptedTextField):
        require_perm(actor, Perm.PII_UNMASK)
        raise ValidationFailed(fields={"field": [_("This field holds no personal data to unmask.")]})
    _unmask_record(actor=actor, obj=obj, field=field, reason=reason, source_ip=source_ip)
    return str(getattr(obj, field) or "")


def pii_unmask_value(
    *,
    actor: AbstractBaseUser,
    obj: models.Model,
    field: str,
    part: str,
    value: str,
    reason: str,
    source_ip: str | None = None,
) -> str:
    """``pii_unmask`` for one value held inside an encrypted field (an answer of a case's encrypted form,
    ``field="form_data"``, ``part="bank_account"``): the same permission, reason and audit event, the
    event naming ``field.part``. The caller read ``value`` from ``obj``, fetched through a scoped selector."""
    model_field = obj._meta.get_field(field)
    if not isinstance(model_field, EncryptedTextField):
        require_perm(actor, Perm.PII_UNMASK)
        raise ValidationFailed(fields={"field": [_("This field holds no personal data to unmask.")]})
    _unmask_record(actor=actor, obj=obj, field=f"{field}.{part}", reason=reason, source_ip=source_ip)
    return value


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


def pii_api_door(request: HttpRequest) -> None:
    """The door of every API operation that returns personal data in clear, called before anything is
    read: at most RATELIMIT_PII calls per user (429 ``rate_limited``), and a fresh step-up (403
    ``step_up_required``)."""
    if is_ratelimited(request, group="api.pii", key="user", rate=settings.RATELIMIT_PII, increment=True):
        raise RateLimited()
    if not step_up_fresh(request):
        raise StepUpRequired()
