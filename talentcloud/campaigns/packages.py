"""The policy package of a post (政策包): what a candidate who takes the post would get, by the policy
calculator (``policies.engine.calculate_for_facts``), for each degree level the post accepts.

The candidate is hypothetical and the facts assumed are stated on the page (``ASSUMED``): a full-time graduate
of this year holding that degree, employed in the district in this post with social insurance paid here, who
owns no home in the city. Nothing else is assumed: a policy that needs another fact (an age, a grade) is
listed as "may also apply" with the facts it needs, never counted in the package."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentcloud.policies.engine import ELIGIBLE, MISSING, Verdict, calculate_for_facts
from talentcloud.rules.facts import FACTS
from talentcloud.talents.enums import Degree
from talentcloud.talents.facts import DEGREE_RANK

LEVELS = (Degree.JUNIOR_COLLEGE, Degree.BACHELOR, Degree.MASTER, Degree.DOCTOR)
ASSUMED = gettext_lazy(
    "Assumed: a full-time graduate of this year with this degree who takes this post (employed in the "
    "district, social insurance paid here for at least a year) and owns no home in the city."
)


def candidate_facts(degree: str, on: dt.date) -> dict[str, Any]:
    """The facts of a hypothetical candidate with ``degree`` taking a post on ``on``."""
    return {
        "highest_degree": degree,
        "degree_rank": DEGREE_RANK[Degree(degree)],
        "highest_degree_full_time": True,
        "graduated_on": on,
        "years_since_graduation": 0,
        "employed_in_district": True,
        "social_insurance_since": on - dt.timedelta(days=366),
        "social_insurance_years": 1,
        "si_continuous_months": 12,
        "si_months_in_district": 12,
        "owns_home_in_city": False,
    }


@dataclass(frozen=True)
class Line:
    """One policy of a package: its amount per period, how many periods, the total."""

    code: str
    title: str
    per_period: Decimal
    period: str
    periods: int
    total: Decimal
    text: str
    source: str  # the policy's document number (文号)


@dataclass
class Package:
    degree: str
    degree_label: str
    lines: list[Line] = field(default_factory=list)
    entitlements: list[str] = field(default_factory=list)
    maybe: list[tuple[str, list[str]]] = field(default_factory=list)  # (policy, facts it still needs)

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))


def _money_text(amount: Decimal, period: str, periods: int) -> str:
    figure = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    if period == "month":
        return _("%(amount)s yuan a month × %(n)s") % {"amount": figure, "n": periods}
    if period == "year":
        return _("%(amount)s yuan a year × %(n)s") % {"amount": figure, "n": periods}
    if period == "tranches":
        return _("%(amount)s yuan in yearly tranches") % {"amount": figure}
    return _("%(amount)s yuan once") % {"amount": figure}


def _line(verdict: Verdict) -> Line:
    amount = verdict.amount
    assert amount is not None
    return Line(
        code=verdict.policy.code,
        title=str(verdict.policy),
        per_period=amount.per_period,
        period=amount.period,
        periods=amount.periods,
        total=amount.total,
        text=_money_text(
            amount.per_period if amount.period != "tranches" else amount.total, amount.period, amount.periods
        ),
        source=verdict.policy.document_number,
    )


def accepted_levels(min_degree: str) -> list[str]:
    """The degree levels a post accepts: its minimum and every higher one."""
    rank = DEGREE_RANK[Degree(min_degree)]
    return [str(level) for level in LEVELS if DEGREE_RANK[level] >= rank]


def package_for(degree: str, on: dt.date | None = None) -> Package:
    """The package of a candidate with ``degree`` on ``on`` (today)."""
    on = on or timezone.localdate()
    verdicts = calculate_for_facts(candidate_facts(degree, on), on=on)
    package = Package(degree, str(Degree(degree).label))
    for verdict in verdicts:
        if verdict.status == ELIGIBLE and verdict.amount is not None:
            package.lines.append(_line(verdict))
        elif verdict.status == ELIGIBLE:
            text = verdict.entitlement()
            package.entitlements.append(f"{verdict.policy}{'：' + text if text else ''}")
        elif verdict.status == MISSING:
            needs = [FACTS[c.fact].text() for c in verdict.outcome.missing if c.fact in FACTS]
            package.maybe.append((str(verdict.policy), list(dict.fromkeys(needs))))
    return package


def post_packages(demand: Any, on: dt.date | None = None) -> list[Package]:
    """The package for each degree level ``demand`` accepts (the post's minimum degree and above)."""
    on = on or timezone.localdate()
    return [package_for(level, on) for level in accepted_levels(demand.degree)]
