"""What an app declares to put a figure on the dashboard (architecture.md, rule 12).

Each app lists its metrics in its own ``metrics.py``::

    METRICS = [
        Metric("talents_by_degree", _("Talents by highest degree"), "pie",
               count_by_choice(visible_talents, "highest_degree", Degree, "talents"),
               names=choice_names(Degree), series={"talents": _("Talents")}, order=20),
    ]

The dashboards app (an entry point) discovers them, computes them in its snapshot job, stores the figures and
draws the charts. This module holds only the declaration's type and generic helpers: it imports nothing of
the project, so every app may use it.

A metric's ``compute`` returns ``{"keys": [...], "labels": [...], "series": {name: [values]}}``. ``keys`` are
codes (a choice's value, a chain's or a unit's code, a month); ``names`` says how a page names them in the
reader's language: given the set of keys of every snapshot that uses the same ``names`` it returns key →
label (one call, so at most one query, per ``names`` whatever the number of panels). Without ``names`` a key
is its own label (a month).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

Figures = dict[str, Any]
KeyNames = Callable[[Collection[str]], Mapping[str, str]]


@dataclass(frozen=True, eq=False)  # one object per metric: compared and hashed by identity
class Metric:
    key: str  # unique across apps: the snapshots are stored under it
    title: Any  # lazy text
    chart: str  # "bar", "pie" or "line"
    compute: Callable[[], Figures]
    names: KeyNames | None = None  # key → label in the reader's language; None: a key is its own label
    series: Mapping[str, Any] = field(default_factory=dict)  # series name → lazy label
    order: int = 1000  # the dashboard shows metrics by this number (ties: apps' order, then declared order)


def choice_names(choices: Any) -> KeyNames:
    """Keys that are the values of an enumeration (TextChoices), named by its labels."""

    def names(keys: Collection[str]) -> Mapping[str, str]:
        return {str(value): str(label) for value, label in choices.choices}

    return names


def count_by_choice(
    rows: Callable[[], Any], field_name: str, choices: Any, series: str
) -> Callable[[], Figures]:
    """A metric counting the rows of ``rows()`` (a queryset) by the value of a choice field, every choice
    listed (zero included), in the enumeration's order."""

    def compute() -> Figures:
        counts = dict(rows().values_list(field_name).annotate(n=Count("pk")).order_by())
        return {
            "keys": [v for v, _l in choices.choices],
            "labels": [str(label) for _v, label in choices.choices],
            "series": {series: [counts.get(v, 0) for v, _l in choices.choices]},
        }

    return compute
