"""The dashboard's mechanism: every app's metrics (``<app>/metrics.py``: ``METRICS``, typed by
``common.metrics.Metric``), computed by a periodic job into snapshots that pages only read (architecture.md,
rules 8 and 12).

Each metric returns {"keys": [...], "labels": [...], "series": {name: [values]}} ready for a chart.
``snapshot_refresh`` computes all of them and pages only read the stored snapshots. ``keys`` are codes (a
choice's value, a chain's or a unit's code, a month): the labels a page shows are looked up from them when it
is drawn, in the reader's language (``snapshot_labels``, through each metric's ``names``); the stored
``labels`` are those of the computing process, kept for snapshots made before keys were stored.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from typing import Any

from django.db import transaction
from django.db.models import Max

from talentcloud.common.metrics import KeyNames, Metric
from talentcloud.common.registries import Declarations, forgotten_with_apps

from .models import MetricSnapshot

DECLARED: Declarations[Metric] = Declarations("metrics", "METRICS")
KEEP = 48  # snapshots kept per metric


@forgotten_with_apps
@cache
def metrics() -> list[Metric]:
    """Every installed app's metrics, in the dashboard's order (``Metric.order``; ties keep the apps' order).
    A key declared twice is an error: the snapshots are stored by key."""
    found = sorted(DECLARED.items(), key=lambda metric: metric.order)
    seen: set[str] = set()
    for metric in found:
        if metric.key in seen:
            raise ValueError(f"metrics.METRICS: {metric.key!r} declared twice")
        seen.add(metric.key)
    return found


def snapshot_refresh() -> int:
    every = metrics()
    with transaction.atomic():
        for metric in every:
            MetricSnapshot.objects.create(metric=metric.key, data=metric.compute())
            stale = MetricSnapshot.objects.filter(metric=metric.key).values_list("pk", flat=True)[KEEP:]
            MetricSnapshot.objects.filter(pk__in=list(stale)).delete()
    return len(every)


def snapshot_refresh_job() -> None:
    snapshot_refresh()


def snapshot_labels(panels: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Each snapshot's labels in the active language, from its keys (one lookup per metrics' ``names``, so at
    most one query for chains and one for units, whatever the number of panels). A snapshot without keys, or a
    key no longer known (a chain since removed), keeps the label stored with it."""
    wanted: dict[KeyNames, set[str]] = {}
    for panel in panels:
        metric, snapshot = panel["metric"], panel["snapshot"]
        if snapshot is not None and metric.names is not None:
            wanted.setdefault(metric.names, set()).update(str(k) for k in snapshot.data.get("keys") or [])
    names: dict[KeyNames, dict[str, str]] = {
        lookup: dict(lookup(codes)) if codes else {} for lookup, codes in wanted.items()
    }
    labels: dict[str, list[str]] = {}
    for panel in panels:
        metric, snapshot = panel["metric"], panel["snapshot"]
        if snapshot is None:
            continue
        stored = [str(label) for label in snapshot.data.get("labels", [])]
        keys: Collection[Any] | None = snapshot.data.get("keys")
        if not keys or len(keys) != len(stored):
            labels[metric.key] = stored
        elif metric.names is None:
            labels[metric.key] = [str(k) for k in keys]
        else:
            known = names[metric.names]
            labels[metric.key] = [known.get(str(k), old) for k, old in zip(keys, stored, strict=True)]
    return labels


def latest_snapshots() -> list[dict[str, Any]]:
    """What the dashboard page shows: the newest snapshot of each metric (two small queries)."""
    newest_ids = (
        MetricSnapshot.objects.values("metric").annotate(last=Max("id")).values_list("last", flat=True)
    )
    by_metric = {snap.metric: snap for snap in MetricSnapshot.objects.filter(pk__in=list(newest_ids))}
    return [{"metric": m, "snapshot": by_metric.get(m.key)} for m in metrics()]
