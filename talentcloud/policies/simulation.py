"""政策沙盘: what a draft would change, before anyone publishes it.

The published rule (with today's parameters) and the draft rule (with the parameters the user tries) are
both compiled to SQL (``rules.to_sql``) and counted in one grouped query over the archive in the viewer's
scope: who qualifies now, who would under the draft, who gains and who loses, by industry chain, park or
street, and degree. The yearly cost comes from the same counts, grouped by the fact the amount depends on.
Unknown (a missing fact) counts as not qualifying, as the sweep treats it. The figures come before 就高不重复
and before verification (the sweep applies both), which the page says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from talentcloud.accounts.scope import scope_queryset
from talentcloud.enterprises.models import Enterprise
from talentcloud.rules.facts import FACTS, with_sql_facts
from talentcloud.rules.logic import facts_used, params_named, to_sql
from talentcloud.talents.enums import Degree
from talentcloud.talents.models import Talent

from .formulas import yearly_fen_sql
from .models import Policy, parameters_on

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User

# The columns the simulation groups by, per target: key → value expression.
DIMENSIONS: dict[str, dict[str, Any]] = {
    "talent": {
        "chain": "chain__name",
        "area": Coalesce("employer__park__name", "employer__street__name"),
        "degree": "highest_degree",
    },
    "enterprise": {"chain": "chain__name", "area": Coalesce("park__name", "street__name")},
}


@dataclass
class Group:
    label: str
    now: int = 0
    draft: int = 0
    gain: int = 0
    lose: int = 0


@dataclass
class Simulation:
    on: date
    params: dict[str, Any]
    now: int = 0
    draft: int = 0
    gain: int = 0
    lose: int = 0
    unknown: int = 0  # people the draft cannot decide (a fact it needs is missing)
    cost_now: Decimal = Decimal(0)
    cost_draft: Decimal = Decimal(0)
    budget: Decimal | None = None
    groups: dict[str, list[Group]] = field(default_factory=dict)
    target: str = "talent"
    gainers: list[Any] = field(default_factory=list)  # talents or enterprises
    losers: list[Any] = field(default_factory=list)

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.cost_draft > self.budget


def _flags(
    qs: QuerySet[Any],
    current: Policy | None,
    draft: Policy,
    on: date,
    params: dict[str, Any],
    draft_params: dict[str, Any],
) -> QuerySet[Any]:
    now_rule = to_sql(current.rule, params, on) if current is not None else Value(False)
    return with_sql_facts(qs, on).alias(
        is_now=ExpressionWrapper(now_rule, output_field=BooleanField()),
        is_new=ExpressionWrapper(to_sql(draft.rule, draft_params, on), output_field=BooleanField()),
    )


NOW, NEW = Q(is_now=True), Q(is_new=True)
NOT_NOW, NOT_NEW = Q(is_now=False) | Q(is_now__isnull=True), Q(is_new=False) | Q(is_new__isnull=True)
COUNTS = {
    "now": Count("pk", filter=NOW),
    "draft": Count("pk", filter=NEW),
    "gain": Count("pk", filter=NEW & NOT_NOW),
    "lose": Count("pk", filter=NOW & NOT_NEW),
}


def simulate(
    *,
    draft: Policy,
    current: Policy | None,
    viewer: User | AnonymousUser,
    on: date,
    overrides: dict[str, Any] | None = None,
    sample: int = 20,
) -> Simulation:
    params = parameters_on(on)
    draft_params = {**params, **(overrides or {})}

    target = draft.target
    base = Talent.objects.filter(restricted=False) if target == "talent" else Enterprise.objects.all()
    qs = _flags(
        scope_queryset(base, viewer),
        current,
        draft,
        on,
        params,
        draft_params,
    )
    totals = qs.aggregate(**COUNTS, unknown=Count("pk", filter=Q(is_new__isnull=True)))
    result = Simulation(
        on,
        {k: draft_params.get(k) for k in sorted(params_named(draft.rule))},
        budget=draft.yearly_budget,
        **totals,
    )
    degree_labels = dict(Degree.choices)
    result.target = target
    for key, column in DIMENSIONS[target].items():
        rows = qs.values(
            label=column if not isinstance(column, str) else Coalesce(column, Value(""))
        ).annotate(**COUNTS)
        groups = [
            Group(
                str(degree_labels.get(r["label"], r["label"]) if key == "degree" else r["label"])
                or _("not recorded"),
                r["now"],
                r["draft"],
                r["gain"],
                r["lose"],
            )
            for r in rows
            if r["now"] or r["draft"]
        ]
        result.groups[key] = sorted(groups, key=lambda g: (-(g.gain + g.lose), -g.draft, g.label))
    # Yearly cost: each matching person's yearly amount (a table, a formula), summed inside the database.
    for policy, flag, attribute, values in (
        (current, NOW, "cost_now", params),
        (draft, NEW, "cost_draft", draft_params),
    ):
        if policy is None or policy.benefit.get("kind") != "money":
            continue
        yearly = yearly_fen_sql(policy.benefit, values, on)
        total = qs.filter(flag).aggregate(fen=Sum(yearly))["fen"] or 0
        setattr(result, attribute, (Decimal(int(total)) / 100).quantize(Decimal("0.01")))
    people = qs.select_related("employer" if target == "talent" else "park", "chain").order_by("name", "pk")
    result.gainers = list(people.filter(NEW & NOT_NOW)[:sample])
    result.losers = list(people.filter(NOW & NOT_NEW)[:sample])
    return result


def parse_overrides(data: Any, names: set[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Parameter values a user tries (``p.<name>`` fields): whole numbers for now, as every seeded
    parameter is; returns the values and the problems by parameter name."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name in sorted(names):
        raw = str(data.get(f"p.{name}", "")).strip()
        if not raw:
            continue
        if raw.lstrip("-").isdigit() and len(raw) < 10:
            values[name] = int(raw)
        else:
            problems[name] = _("A whole number.")
    return values, problems


def facts_of(rule: Any) -> list[str]:
    return [str(FACTS[k].label) for k in sorted(facts_used(rule)) if k in FACTS]
