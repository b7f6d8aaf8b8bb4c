"""The scratch app's dashboard metric (``common.metrics``): it counts the rows of an existing table."""

from __future__ import annotations

from talentcloud.accounts.models import OrgUnit
from talentcloud.common.metrics import Figures, Metric


def units_counted() -> Figures:
    return {"keys": ["units"], "labels": ["units"], "series": {"rows": [OrgUnit.objects.count()]}}


METRICS = [
    Metric("scratch_units", "Scratch: organisation units", "bar", units_counted, series={"rows": "Rows"})
]
