"""Retention: what is deleted or blanked after how long (PIPL art. 19, minimum necessary).

Each app declares the rules for its own rows in its ``retention.py`` as ``RETENTION_RULES``, a list of
``common.declarations.RetentionRule``: a name, what it removes (for people), the rows past a cutoff, the
period in days, and whether the rows are deleted or one field blanked. The daily ``retention_sweep`` job
applies every installed app's rules (in ``INSTALLED_APPS`` order) and writes one audit event with the
counts. An operator changes a period by the rule's name in ``settings.RETENTION_DAYS``
(``TALENTCLOUD_RETENTION_JSON``); a name no rule has is refused. The audit log has its own rule
(``talentcloud audit prune``, never under six months).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from talentcloud.audit.services import audit_record
from talentcloud.common.declarations import RetentionRule
from talentcloud.common.registries import Declarations

RETENTION: Declarations[RetentionRule] = Declarations("retention", "RETENTION_RULES")


def retention_rules() -> list[RetentionRule]:
    """Every installed app's rules; two rules of one name are an error."""
    rules = RETENTION.items()
    names = [rule.name for rule in rules]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ValueError(f"retention rules declared twice: {twice}")
    return rules


def retention_days() -> dict[str, int]:
    """Each rule's period in days: its own, unless ``settings.RETENTION_DAYS`` changes it. A period set for a
    rule no app declares is an error (a mistyped name would otherwise be ignored)."""
    rules = retention_rules()
    overrides: dict[str, int] = getattr(settings, "RETENTION_DAYS", {}) or {}
    unknown = set(overrides) - {rule.name for rule in rules}
    if unknown:
        raise ValueError(
            f"RETENTION_DAYS (TALENTCLOUD_RETENTION_JSON) names unknown rules: {sorted(unknown)}"
        )
    return {rule.name: int(overrides.get(rule.name, rule.days)) for rule in rules}


def retention_sweep(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    days = retention_days()
    counts: dict[str, int] = {}
    with transaction.atomic():
        for rule in retention_rules():
            counts[rule.name] = rule.apply(now - timedelta(days=days[rule.name]))
        audit_record(
            actor=None, actor_username="scheduler", action="retention.sweep", details={"counts": counts}
        )
    return counts


def retention_sweep_job() -> None:
    retention_sweep()
