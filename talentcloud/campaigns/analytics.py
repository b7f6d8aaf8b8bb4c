"""The office's figures over applications (within the viewer's scope): how long applications stay in each
stage (median and mean days, from the timeline: a stage lasts from the step that entered it to the next step;
a stage still under way is not counted) and conversion by channel (applied → invited → offered → accepted,
per channel kind and reference: a campaign, a session, an event or a station)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet

from .channels import channel_label, ref_name
from .enums import PIPELINE
from .enums import ApplicationState as A
from .models import ApplicationEvent, JobApplication

DAY = Decimal(86400)
TENTH = Decimal("0.1")


def _days(seconds: float) -> Decimal:
    return (Decimal(str(seconds)) / DAY).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class StageFigure:
    stage: str
    label: str
    count: int
    median_days: Decimal
    mean_days: Decimal


def stage_durations(applications: QuerySet[JobApplication]) -> list[StageFigure]:
    """Per stage of the pipeline: how many applications left it, and the median and mean days they spent."""
    spans: dict[str, list[float]] = defaultdict(list)
    last: dict[Any, tuple[str, Any]] = {}
    events = (
        ApplicationEvent.objects.filter(application__in=applications.order_by().values("pk"))
        .order_by("application_id", "at", "id")
        .values_list("application_id", "to_state", "at")
    )
    for application_id, state, at in events.iterator(chunk_size=5000):
        previous = last.get(application_id)
        if previous is not None:
            spans[previous[0]].append((at - previous[1]).total_seconds())
        last[application_id] = (state, at)
    labels = dict(A.choices)
    return [
        StageFigure(
            stage=str(stage),
            label=str(labels[stage]),
            count=len(spans[stage]),
            median_days=_days(statistics.median(spans[stage])),
            mean_days=_days(statistics.fmean(spans[stage])),
        )
        for stage in PIPELINE
        if spans.get(stage)
    ]


@dataclass(frozen=True)
class ChannelFigure:
    kind: str
    kind_label: str
    ref: str
    ref_label: str
    applied: int
    invited: int
    offered: int
    accepted: int

    @property
    def invited_rate(self) -> Decimal:
        return _rate(self.invited, self.applied)

    @property
    def accepted_rate(self) -> Decimal:
        return _rate(self.accepted, self.applied)


def _rate(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / whole).quantize(TENTH, rounding=ROUND_HALF_UP)


def conversion_by_channel(applications: QuerySet[JobApplication]) -> list[ChannelFigure]:
    """Per channel (kind and reference): applications, and how many reached an invitation, an offer and an
    accepted offer (from the timeline, so a later rejection does not hide an invitation once made)."""
    reached: dict[tuple[str, str], dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    channel_of = {
        pk: (kind, ref)
        for pk, kind, ref in applications.order_by().values_list("pk", "channel", "channel_ref")
    }
    for pk in channel_of:
        reached[channel_of[pk]]["applied"].add(pk)
    events = ApplicationEvent.objects.filter(
        application__in=applications.order_by().values("pk"),
        to_state__in=[A.INVITED, A.OFFERED, A.ACCEPTED],
    ).values_list("application_id", "to_state")
    for pk, state in events.iterator(chunk_size=5000):
        reached[channel_of[pk]][state].add(pk)
    figures = [
        ChannelFigure(
            kind=kind,
            kind_label=channel_label(kind),
            ref=ref,
            ref_label=ref_name(kind, ref),
            applied=len(steps["applied"]),
            invited=len(steps[A.INVITED]),
            offered=len(steps[A.OFFERED]),
            accepted=len(steps[A.ACCEPTED]),
        )
        for (kind, ref), steps in reached.items()
    ]
    figures.sort(key=lambda f: (f.kind, -f.applied, f.ref_label))
    return figures
