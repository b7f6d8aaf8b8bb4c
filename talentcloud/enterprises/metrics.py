"""The dashboard's figures about enterprises (discovered by the dashboards app; ``common.metrics``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from talentcloud.common.metrics import Figures, Metric

from .models import Enterprise, IndustryChain


def chain_names(codes: Collection[str]) -> Mapping[str, str]:
    """Industry chains' names in the reader's language, by code (one query)."""
    return {c.code: str(c) for c in IndustryChain.objects.filter(code__in=list(codes))}


def enterprises_by_chain() -> Figures:
    counts = dict(Enterprise.objects.values_list("chain__code").annotate(n=Count("pk")).order_by())
    chains = list(IndustryChain.objects.order_by("sort_order"))
    return {
        "keys": [c.code for c in chains],
        "labels": [c.name for c in chains],
        "series": {"enterprises": [counts.get(c.code, 0) for c in chains]},
    }


METRICS = [
    Metric(
        "enterprises_by_chain",
        _("Enterprises by industry chain"),
        "bar",
        enterprises_by_chain,
        names=chain_names,
        series={"enterprises": _("Enterprises")},
        order=60,
    ),
]
