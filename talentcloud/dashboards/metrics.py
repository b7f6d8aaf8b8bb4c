"""Dashboard metrics, defined in code, each one set-based query over the archive (architecture.md, rule 8).

Each metric returns {"keys": [...], "labels": [...], "series": {name: [values]}} ready for a chart.
``snapshot_refresh`` computes all of them (a periodic job) and pages only read the stored snapshots. ``keys``
are codes (a choice's value, a chain's or a unit's code, a month): the labels a page shows are looked up from
them when it is drawn, in the reader's language (``snapshot_labels``); the stored ``labels`` are those of the
computing process, kept for snapshots made before keys were stored.
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
    # What a key names: "choice" (``choices``' labels), "chain" (industry chains), "unit" (org units) or
    # "same" (the key is its own label: a month).
    keys: str = "same"
    choices: Any = None


def _talents() -> Any:
    return Talent.objects.filter(restricted=False)


def by_choice(field: str, choices: Any) -> Callable[[], Figures]:
    def compute() -> Figures:
        counts = dict(_talents().values_list(field).annotate(n=Count("pk")).order_by())
        return {
            "keys": [v for v, _l in choices.choices],
            "labels": [str(label) for _v, label in choices.choices],
            "series": {"talents": [counts.get(v, 0) for v, _l in choices.choices]},
        }

    return compute


def talents_by_chain() -> Figures:
    counts = dict(_talents().values_list("chain__code").annotate(n=Count("pk")).order_by())
    chains = list(IndustryChain.objects.order_by("sort_order"))
    return {
        "keys": [c.code for c in chains],
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


def enterprises_by_chain() -> Figures:
    counts = dict(Enterprise.objects.values_list("chain__code").annotate(n=Count("pk")).order_by())
    chains = list(IndustryChain.objects.order_by("sort_order"))
    return {
        "keys": [c.code for c in chains],
        "labels": [c.name for c in chains],
        "series": {"enterprises": [counts.get(c.code, 0) for c in chains]},
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


METRICS: tuple[Metric, ...] = (
    Metric(
        "talents_by_category",
        _("Talents by pyramid category"),
        "pie",
        by_choice("category", PyramidCategory),
        keys="choice",
        choices=PyramidCategory,
    ),
    Metric(
        "talents_by_degree",
        _("Talents by highest degree"),
        "pie",
        by_choice("highest_degree", Degree),
        keys="choice",
        choices=Degree,
    ),
    Metric("talents_by_chain", _("Talents by industry chain"), "bar", talents_by_chain, keys="chain"),
    Metric(
        "talents_by_area",
        _("Talents by park (employer) and street (residence)"),
        "bar",
        talents_by_area,
        keys="unit",
    ),
    Metric("arrivals_by_month", _("Arrivals in the district by month"), "line", arrivals_by_month),
    Metric(
        "enterprises_by_chain", _("Enterprises by industry chain"), "bar", enterprises_by_chain, keys="chain"
    ),
    Metric(
        "needs_by_department",
        _("Open and overdue needs by department"),
        "bar",
        needs_by_department,
        keys="unit",
    ),
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


def snapshot_labels(panels: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Each snapshot's labels in the active language, from its keys (at most one query for chains and one for
    units, whatever the number of panels). A snapshot without keys, or a key no longer known (a chain since
    removed), keeps the label stored with it."""
    wanted: dict[str, set[str]] = {"chain": set(), "unit": set()}
    for panel in panels:
        metric, snapshot = panel["metric"], panel["snapshot"]
        if snapshot is not None and metric.keys in wanted:
            wanted[metric.keys].update(str(k) for k in snapshot.data.get("keys") or [])
    names: dict[str, dict[str, str]] = {"chain": {}, "unit": {}}
    if wanted["chain"]:
        names["chain"] = {c.code: str(c) for c in IndustryChain.objects.filter(code__in=wanted["chain"])}
    if wanted["unit"]:
        names["unit"] = {u.code: u.display_name for u in OrgUnit.objects.filter(code__in=wanted["unit"])}
    labels: dict[str, list[str]] = {}
    for panel in panels:
        metric, snapshot = panel["metric"], panel["snapshot"]
        if snapshot is None:
            continue
        stored = [str(label) for label in snapshot.data.get("labels", [])]
        keys = snapshot.data.get("keys")
        if not keys or len(keys) != len(stored):
            labels[metric.key] = stored
            continue
        if metric.keys == "choice":
            known = {value: str(label) for value, label in metric.choices.choices}
        else:
            known = names.get(metric.keys, {})
        if metric.keys == "same":
            labels[metric.key] = [str(k) for k in keys]
        else:
            labels[metric.key] = [known.get(str(k), old) for k, old in zip(keys, stored, strict=True)]
    return labels


def latest_snapshots() -> list[dict[str, Any]]:
    """What the dashboard page shows: the newest snapshot of each metric (two small queries)."""
    newest_ids = (
        MetricSnapshot.objects.values("metric").annotate(last=Max("id")).values_list("last", flat=True)
    )
    by_metric = {snap.metric: snap for snap in MetricSnapshot.objects.filter(pk__in=list(newest_ids))}
    return [{"metric": m, "snapshot": by_metric.get(m.key)} for m in METRICS]
