"""Unmasking personal data (permission + reason, audited) and re-authentication for bulk unmasked exports."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.permissions import Perm, require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import ValidationFailed

from .fields import EncryptedTextField

REAUTH_SESSION_KEY = "tc_reauth_at"


def pii_unmask(
    *, actor: Any, obj: models.Model, field: str, reason: str, source_ip: str | None = None
) -> str:
    """The clear value of one encrypted field of one record the actor can already see.

    The caller must have fetched ``obj`` through a scoped selector. Needs the unmask permission and a reason;
    every unmask is an audit event (who, whose, which field, why).
    """
    require_perm(actor, Perm.PII_UNMASK)
    model_field = obj._meta.get_field(field)
    if not isinstance(model_field, EncryptedTextField):
        raise ValidationFailed(fields={"field": [_("This field holds no personal data to unmask.")]})
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
    return str(getattr(obj, field) or "")


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
