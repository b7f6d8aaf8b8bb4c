"""The dashboard's figures about 引才 (discovered by the dashboards app; ``common.metrics``): demand by state,
and the headcount of this year's open demand by post (the ten most sought)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.common.metrics import Figures, Metric, choice_names, count_by_choice

from .enums import DemandState
from .models import Demand, Post


def post_names(codes: Collection[str]) -> Mapping[str, str]:
    return dict(Post.objects.filter(code__in=list(codes)).values_list("code", "name"))


def open_headcount_by_post() -> Figures:
    rows = list(
        Demand.objects.filter(state=DemandState.OPEN, year=timezone.localdate().year)
        .values_list("post__code", "post__name")
        .annotate(n=Sum("headcount"))
        .order_by("-n", "post__code")[:10]
    )
    return {
        "keys": [code for code, _name, _n in rows],
        "labels": [name for _code, name, _n in rows],
        "series": {"headcount": [n for _code, _name, n in rows]},
    }


METRICS = [
    Metric(
        "demand_by_state",
        _("Talent demand by state"),
        "pie",
        count_by_choice(lambda: Demand.objects.all(), "state", DemandState, "demand"),
        names=choice_names(DemandState),
        series={"demand": _("Demand")},
        order=80,
    ),
    Metric(
        "open_headcount_by_post",
        _("Open demand this year: headcount by post"),
        "bar",
        open_headcount_by_post,
        names=post_names,
        series={"headcount": _("Headcount")},
        order=85,
    ),
]
