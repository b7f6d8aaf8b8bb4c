"""Authentication events (Django's and django-axes' signals) written to the audit log; and after ``migrate``,
the standard roles' newly declared grants (``roles.standard_grants_sync``).

They record security events raised inside third-party code, where no service of ours runs, and hook the
migration command; domain logic never lives in signals.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from talentcloud.audit.models import Outcome
from talentcloud.audit.services import audit_record, request_ip

from .models import User
from .roles import standard_grants_after_migrate


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    audit_record(
        actor=user, action="auth.login", object_type="user", object_id=user.pk, source_ip=request_ip(request)
    )


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(
            actor=user,
            action="auth.logout",
            object_type="user",
            object_id=user.pk,
            source_ip=request_ip(request),
        )


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    if credentials.get("step_up"):
        return  # a failed step-up (services.step_up_confirm), audited there as auth.step_up
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=None,
        actor_username=username,
        action="auth.login",
        object_type="user",
        object_id=User.objects.filter(username=username).values_list("pk", flat=True).first() or "",
        outcome=Outcome.FAILURE,
        source_ip=request_ip(request),
    )


@receiver(user_locked_out)
def on_locked_out(
    sender: Any, request: Any, username: str | None = None, ip_address: str | None = None, **kwargs: Any
) -> None:
    audit_record(
        actor=None,
        actor_username=(username or "")[:150],
        action="account.lockout",
        object_type="user",
        object_id=User.objects.filter(username=username).values_list("pk", flat=True).first() or "",
        outcome=Outcome.DENIED,
        source_ip=ip_address or request_ip(request),
    )


@receiver(post_migrate)
def on_migrated(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    if sender.label == "accounts":
        standard_grants_after_migrate(using=using)
