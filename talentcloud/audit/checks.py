"""Deployment checks (``manage.py check --deploy``): production seals with a key and anchors the chain."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def audit_protection_check(app_configs: Any, **kwargs: Any) -> list[Warning]:
    problems = []
    if not settings.AUDIT_SEAL_KEYS or not settings.AUDIT_SEAL_ACTIVE_KEY:
        problems.append(
            Warning(
                "audit seals are not keyed: the database owner could rewrite the chain and recompute it",
                hint="set TALENTCLOUD_AUDIT_SEAL_KEYS and _ACTIVE_KEY (docs/operations.md)",
                id="talentcloud.W101",
            )
        )
    if not settings.AUDIT_ANCHOR_PATH:
        problems.append(
            Warning(
                "the audit chain is not anchored outside the database: a deleted tail cannot be seen",
                hint="set TALENTCLOUD_AUDIT_ANCHOR_PATH to a file on another volume (docs/operations.md)",
                id="talentcloud.W102",
            )
        )
    return problems
