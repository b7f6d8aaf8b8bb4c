"""Unmasking personal data (permission + reason, audited) and
the door of API operations that return personal data in clear (rate limit + a fresh step-up)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from talentcloud.accounts.reauth import step_up_fresh
from talentcloud.audit.services import audit_record
from talentcloud.common.access import require_perm
from talentcloud.common.errors import RateLimited, StepUpRequired, ValidationFailed

from .fields import EncryptedTextField
from .permissions import PrivacyPerm

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


def _unmask_record(
    *, actor: AbstractBaseUser, obj: models.Model, field: str, reason: str, source_ip: str | None
) -> None:
    """What every unmask shares: the permission, a reason, and the audit event (who, whose, what, why)."""
    require_perm(actor, PrivacyPerm.PII_UNMASK)
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
        require_perm(actor, PrivacyPerm.PII_UNMASK)
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
        require_perm(actor, PrivacyPerm.PII_UNMASK)
        raise ValidationFailed(fields={"field": [_("This field holds no personal data to unmask.")]})
    _unmask_record(actor=actor, obj=obj, field=f"{field}.{part}", reason=reason, source_ip=source_ip)
    return value


def pii_api_door(request: HttpRequest) -> None:
    """The door of every API operation that returns personal data in clear, called before anything is
    read: at most RATELIMIT_PII calls per user (429 ``rate_limited``), and a fresh step-up (403
    ``step_up_required``)."""
    if is_ratelimited(request, group="api.pii", key="user", rate=settings.RATELIMIT_PII, increment=True):
        raise RateLimited()
    if not step_up_fresh(request):
        raise StepUpRequired()
