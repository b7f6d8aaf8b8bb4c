"""The dashboard's figures about talents and their needs (discovered by the dashboards app;
``common.metrics``). Restricted records are never counted."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.enums import UnitKind
from talentcloud.accounts.models import OrgUnit
from talentcloud.common.metrics import Figures, Metric, choice_names, count_by_choice
from talentcloud.enterprises.metrics import chain_names
from talentcloud.enterprises.models import IndustryChain

from .enums import Degree, NeedStatus, PyramidCategory
from .models import Need, Talent

TALENTS = {"talents": _("Talents")}


def _talents() -> Any:
    return Talent.objects.filter(restricted=False)


def unit_names(codes: Collection[str]) -> Mapping[str, str]:
    """Parks', streets' and departments' names in the reader's language, by code (one query)."""
    return {u.code: u.display_name for u in OrgUnit.objects.filter(code__in=list(codes))}


def talents_by_chain() -> Figures:
    counts = dict(_talents().values_list("chain__code").annotate(n=Count("pk")).order_by())
    chains = list(IndustryChain.objects.order_by("sort_order"))
    return {
        "keys": [c.code for c in chains],
        "labels": [c.name for c in chains],
        "series": {"talents": [counts.get(c.code, 0) for c in chains]},
    }


def talents_by_area() -> Figures:
    parks = dict(_talents().values_list("employer_park__code").annotate(n=Count("pk")).order_by())
    streets = dict(_talents().values_list("residence_street__code").annotate(n=Count("pk")).order_by())
    units = list(
        OrgUnit.objects.filter(kind__in=[UnitKind.PARK, UnitKind.STREET]).order_by("kind", "sort_order")
    )
    return {
        "keys": [u.code for u in units],
        "labels": [u.name for u in units],
        "series": {
            "talents": [
                parks.get(u.code, 0) if u.kind == UnitKind.PARK else streets.get(u.code, 0) for u in units
            ]
        },
    }


def arrivals_by_month() -> Figures:
    today = timezone.localdate()
    start = date(today.year - 2, today.month, 1)
    rows = (
        _talents()
        .filter(arrived_on__gte=start)
        .annotate(month=TruncMonth("arrived_on"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    counts = {m.strftime("%Y-%m"): n for m, n in rows}
    labels = []
    year, month = start.year, start.month
    while (year, month) <= (today.year, today.month):
        labels.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return {
        "keys": labels,
        "labels": labels,
        "series": {"arrivals": [counts.get(label, 0) for label in labels]},
    }


def needs_by_department() -> Figures:
    today = timezone.localdate()
    rows = (
        Need.objects.filter(status=NeedStatus.OPEN)
        .values_list("owner_department__code", "owner_department__name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        .order_by("owner_department__sort_order")
    )
    return {
        "keys": [code for code, _n, _o, _d in rows],
        "labels": [name for _c, name, _o, _d in rows],
        "series": {"open": [o for _c, _n, o, _d in rows], "overdue": [d for _c, _n, _o, d in rows]},
    }


METRICS = [
    Metric(
        "talents_by_category",
        _("Talents by pyramid category"),
        "pie",
        count_by_choice(_talents, "category", PyramidCategory, "talents"),
        names=choice_names(PyramidCategory),
        series=TALENTS,
        order=10,
    ),
    Metric(
        "talents_by_degree",
        _("Talents by highest degree"),
        "pie",
        count_by_choice(_talents, "highest_degree", Degree, "talents"),
        names=choice_names(Degree),
        series=TALENTS,
        order=20,
    ),
    Metric(
        "talents_by_chain",
        _("Talents by industry chain"),
        "bar",
        talents_by_chain,
        names=chain_names,
        series=TALENTS,
        order=30,
    ),
    Metric(
        "talents_by_area",
        _("Talents by park (employer) and street (residence)"),
        "bar",
        talents_by_area,
        names=unit_names,
        series=TALENTS,
        order=40,
    ),
    Metric(
        "arrivals_by_month",
        _("Arrivals in the district by month"),
        "line",
        arrivals_by_month,
        series={"arrivals": _("Arrivals")},
        order=50,
    ),
    # order 60: enterprises_by_chain (enterprises/metrics.py)
    Metric(
        "needs_by_department",
        _("Open and overdue needs by department"),
        "bar",
        needs_by_department,
        names=unit_names,
        series={"open": _("Open"), "overdue": _("Overdue")},
        order=70,
    ),
]
