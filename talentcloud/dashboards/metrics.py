"""Dashboard metrics, defined in code, each one set-based query over the archive (architecture.md, rule 8).

Each metric returns {"labels": [...], "series": {name: [values]}} ready for a chart. ``snapshot_refresh``
computes all of them (a periodic job) and pages only read the stored snapshots.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.enums import UnitKind
from talentcloud.accounts.models import OrgUnit
from talentcloud.enterprises.models import Enterprise, IndustryChain
from talentcloud.talents.enums import Degree, NeedStatus, PyramidCategory
from talentcloud.talents.models import Need, Talent

from .models import MetricSnapshot

Figures = dict[str, Any]


@dataclass(frozen=True)
class Metric:
    key: str
    title: Any
    chart: str  # "bar", "pie" or "line"
    compute: Callable[[], Figures]


def _talents() -> Any:
    return Talent.objects.filter(restricted=False)


def by_choice(field: str, choices: Any) -> Callable[[], Figures]:
    def compute() -> Figures:
        counts = dict(_talents().values_list(field).annotate(n=Count("pk")).order_by())
        return {
            "labels": [str(label) for _v, label in choices.choices],
            "series": {"talents": [counts.get(v, 0) for v, _l in choices.choices]},
        }

    return compute


def talents_by_chain() -> Figures:
    counts = dict(_talents().values_list("chain__code").annotate(n=Count("pk")).order_by())
    chains = list(IndustryChain.objects.order_by("sort_order"))
    return {
        "labels": [c.name for c in chains],
        "series": {"talents": [counts.get(c.code, 0) for c in chains]},
    }


def talents_by_area() -> Figures:
    parks = dict(_talents().values_list("employer__park__code").annotate(n=Count("pk")).order_by())
    streets = dict(_talents().values_list("residence_street__code").annotate(n=Count("pk")).order_by())
    units = list(
        OrgUnit.objects.filter(kind__in=[UnitKind.PARK, UnitKind.STREET]).order_by("kind", "sort_order")
    )
    return {
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
    return {"labels": labels, "series": {"arrivals": [counts.get(label, 0) for label in labels]}}


def enterprises_by_chain() -> Figures:
    counts = dict(Enterprise.objects.values_list("chain__code").annotate(n=Count("pk")).order_by())
    chains = list(IndustryChain.objects.order_by("sort_order"))
    return {
        "labels": [c.name for c in chains],
        "series": {"enterprises": [counts.get(c.code, 0) for c in chains]},
    }


def needs_by_department() -> Figures:
    today = timezone.localdate()
    rows = (
        Need.objects.filter(status=NeedStatus.OPEN)
        .values_list("owner_department__name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        .order_by("owner_department__sort_order")
    )
    return {
        "labels": [name for name, _o, _d in rows],
        "series": {"open": [o for _n, o, _d in rows], "overdue": [d for _n, _o, d in rows]},
    }


METRICS: tuple[Metric, ...] = (
    Metric(
        "talents_by_category", _("Talents by pyramid category"), "pie", by_choice("category", PyramidCategory)
    ),
    Metric("talents_by_degree", _("Talents by highest degree"), "pie", by_choice("highest_degree", Degree)),
    Metric("talents_by_chain", _("Talents by industry chain"), "bar", talents_by_chain),
    Metric("talents_by_area", _("Talents by park (employer) and street (residence)"), "bar", talents_by_area),
    Metric("arrivals_by_month", _("Arrivals in the district by month"), "line", arrivals_by_month),
    Metric("enterprises_by_chain", _("Enterprises by industry chain"), "bar", enterprises_by_chain),
    Metric("needs_by_department", _("Open and overdue needs by department"), "bar", needs_by_department),
)
SERIES_NAMES = {
    "talents": _("Talents"),
    "arrivals": _("Arrivals"),
    "enterprises": _("Enterprises"),
    "open": _("Open"),
    "overdue": _("Overdue"),
}
KEEP = 48  # snapshots kept per metric


def snapshot_refresh() -> int:
    with transaction.atomic():
        for metric in METRICS:
            MetricSnapshot.objects.create(metric=metric.key, data=metric.compute())
            stale = MetricSnapshot.objects.filter(metric=metric.key).values_list("pk", flat=True)[KEEP:]
            MetricSnapshot.objects.filter(pk__in=list(stale)).delete()
    return len(METRICS)


def snapshot_refresh_job() -> None:
    snapshot_refresh()


def latest_snapshots() -> list[dict[str, Any]]:
    """What the dashboard page shows: the newest snapshot of each metric (two small queries)."""
    newest_ids = (
        MetricSnapshot.objects.values("metric").annotate(last=Max("id")).values_list("last", flat=True)
    )
    by_metric = {snap.metric: snap for snap in MetricSnapshot.objects.filter(pk__in=list(newest_ids))}
    return [{"metric": m, "snapshot": by_metric.get(m.key)} for m in METRICS]
