"""The talent code's dashboard figures: verifications of the last 30 days by scene (valid and refused) and by
result, and codes by status (discovered by the dashboards app; ``common.metrics``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.common.metrics import Figures, Metric, choice_names, count_by_choice

from .enums import CodeStatus, Result
from .models import Scene, TalentCode, Verification

WINDOW_DAYS = 30


def _recent() -> Any:
    return Verification.objects.filter(at__gte=timezone.now() - timedelta(days=WINDOW_DAYS))


def scene_names(codes: Collection[str]) -> Mapping[str, str]:
    return {s.code: s.display_name for s in Scene.objects.filter(code__in=list(codes))}


def verifications_by_scene() -> Figures:
    scenes = list(Scene.objects.order_by("order", "code"))
    counts = {
        row["scene__code"]: row
        for row in _recent()
        .values("scene__code")
        .annotate(
            valid=Count("pk", filter=Q(result=Result.VALID)),
            refused=Count("pk", filter=~Q(result=Result.VALID)),
        )
        .order_by()
    }
    return {
        "keys": [s.code for s in scenes],
        "labels": [s.name for s in scenes],
        "series": {
            "valid": [counts.get(s.code, {}).get("valid", 0) for s in scenes],
            "refused": [counts.get(s.code, {}).get("refused", 0) for s in scenes],
        },
    }


METRICS = [
    Metric(
        "talentcode_verifications_by_scene",
        _("Talent-code verifications by scene (30 days)"),
        "bar",
        verifications_by_scene,
        names=scene_names,
        series={"valid": _("Valid"), "refused": _("Refused")},
        order=150,
    ),
    Metric(
        "talentcode_verifications_by_result",
        _("Talent-code verifications by result (30 days)"),
        "pie",
        count_by_choice(_recent, "result", Result, "verifications"),
        names=choice_names(Result),
        series={"verifications": _("Verifications")},
        order=151,
    ),
    Metric(
        "talentcode_codes_by_status",
        _("Talent codes by status"),
        "pie",
        count_by_choice(lambda: TalentCode.objects.all(), "status", CodeStatus, "codes"),
        names=choice_names(CodeStatus),
        series={"codes": _("Talent codes")},
        order=152,
    ),
]
