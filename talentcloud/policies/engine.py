"""The calculator's engine: every published policy for one person, as eligible / not eligible / information
missing, with the amount, the reasons clause by clause, and 就高不重复 applied within exclusion groups.

Benefits are data too:

    {"kind": "money", "amount": 600, "period": "month", "months": 36}
    {"kind": "money", "amount": {"by": "highest_degree", "table": {"bachelor": 600, "doctor": 1000}},
     "period": "month", "months": 36}
    {"kind": "entitlement", "text": "子女入学统筹安排", "text_en": "A school place is arranged"}

Money is Decimal, rounded half up to the fen. In an exclusion group the best is the highest yearly amount,
then the group's declared priority (lower first), then the code; a pair of policies one names as not granted
together (``Policy.excludes``) is a group of two: ``decision.excluded_by``, which the sweep decides with too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from talentcloud.accounts.permissions import has_perm
from talentcloud.common import versions
from talentcloud.rules.facts import FACTS, facts_for
from talentcloud.rules.logic import (
    FALSE,
    TRUE,
    UNKNOWN,
    Clause,
    Compiled,
    Outcome,
    RuleError,
    compile_rule,
    continuing_part,
    evaluate,
    fact_values,
    facts_used,
    params_named,
    validate,
)
from talentcloud.rules.periods import as_date
from talentcloud.servicehall.catalogue import SERVICES_VERSION
from talentcloud.talents.facts import DEGREE_RANK

from .decision import Claim, excluded_by, exclusion_sets, fen
from .effects import effect_choices
from .formulas import (
    amount_facts,
    computation,
    compute,
    tranches,
    validate_amount,
    yearly_factor,
    yuan,
)
from .models import Parameter, Policy, PolicyStatus
from .office_facts import refresh as office_facts_refresh

ELIGIBLE, NOT_ELIGIBLE, MISSING, EXCLUDED = "eligible", "not_eligible", "missing", "excluded"
CENT = Decimal("0.01")
PERIODS = ("month", "year", "once", "tranches")


def validate_benefit(benefit: Any, target: str = "talent") -> list[RuleError]:
    if not isinstance(benefit, dict) or benefit.get("kind") not in ("money", "entitlement"):
        return [RuleError("benefit", _("A benefit is money or an entitlement."))]
    effect = benefit.get("effect")
    if effect not in (None, "") and (
        benefit["kind"] != "entitlement" or effect not in dict(effect_choices(target))
    ):
        return [RuleError("benefit.effect", _("Choose one of the effects a grant of this policy may have."))]
    if benefit["kind"] == "entitlement":
        errors = (
            []
            if str(benefit.get("text", "")).strip()
            else [RuleError("benefit.text", _("Say what is granted."))]
        )
        if "imputed_yearly" in benefit and _money(benefit["imputed_yearly"]) is None:
            errors.append(
                RuleError("benefit.imputed_yearly", _("The value the office sets on it a year: 0 or more."))
            )
        return errors
    errors = validate_amount(benefit.get("amount"), target)
    period = benefit.get("period", "once")
    if period not in PERIODS:
        errors.append(RuleError("benefit.period", _("Per month, per year, in yearly tranches or once.")))
    months = benefit.get("months")
    if months is not None and (not isinstance(months, int) or not 1 <= months <= 120):
        errors.append(RuleError("benefit.months", _("Between 1 and 120 months.")))
    years = benefit.get("years")
    if years is not None and (not isinstance(years, int) or not 1 <= years <= 10):
        errors.append(RuleError("benefit.years", _("Between 1 and 10 years.")))
    if period == "tranches":
        shares = benefit.get("shares")
        if (
            not isinstance(shares, list)
            or not 2 <= len(shares) <= 10
            or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in shares)
            or sum(shares) != 100
        ):
            errors.append(
                RuleError(
                    "benefit.shares", _("The yearly tranches in percent, whole numbers adding up to 100.")
                )
            )
    return errors


def _money(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount.quantize(CENT, rounding=ROUND_HALF_UP) if amount >= 0 else None


@dataclass(frozen=True)
class Amount:
    per_period: Decimal
    period: str
    yearly: Decimal
    total: Decimal
    steps: tuple[str, ...] = ()
    periods: int = 1  # how many periods are paid (months, years, tranches; 1 for once)

    def text(self) -> str:
        unit = {
            "month": _("yuan a month"),
            "year": _("yuan a year"),
            "once": _("yuan once"),
            "tranches": _("yuan in yearly tranches"),
        }[self.period]
        return f"{self.per_period:,.2f} {unit}"

    def computation(self) -> str:
        """How the amount was computed, in the reader's language ("8,000,000 × 10% = 800,000，上限 …")."""
        return computation(list(self.steps))


def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(CENT)


def _amount(benefit: dict[str, Any], fen: int, steps: list[str]) -> Amount:
    period = benefit.get("period", "once")
    top, bottom = yearly_factor(benefit)
    yearly = (fen * top + bottom // 2) // bottom if bottom > 1 else fen * top
    if period == "tranches":
        parts = tranches(fen, list(benefit["shares"]))
        yearly, count, total = parts[0], len(parts), fen
        shares = "/".join(yuan(p) for p in parts)
        steps = [*steps, _("in %(n)s yearly tranches: %(parts)s") % {"n": count, "parts": shares}]
    elif period == "month":
        count = int(benefit.get("months") or 12)
        total = fen * count
        if benefit.get("months"):
            steps = [
                *steps,
                _("%(amount)s × %(n)s months = %(total)s")
                % {"amount": yuan(fen), "n": count, "total": yuan(total)},
            ]
    elif period == "year":
        count = int(benefit.get("years") or 1)
        total = fen * count
        if benefit.get("years"):
            steps = [
                *steps,
                _("%(amount)s × %(n)s years = %(total)s")
                % {"amount": yuan(fen), "n": count, "total": yuan(total)},
            ]
    else:
        count, total = 1, fen
    return Amount(_yuan(fen), period, _yuan(yearly), _yuan(total), tuple(steps), count)


def benefit_amount(
    benefit: dict[str, Any],
    facts: dict[str, Any],
    on: date | None = None,
    params: dict[str, Any] | None = None,
) -> Amount | None:
    """The money a person gets under this benefit, or None (an entitlement, or unknown for this person)."""
    if benefit.get("kind") != "money":
        return None
    computed = compute(benefit.get("amount"), facts, on or timezone.localdate(), params)
    if computed.fen is None:
        return None
    return _amount(benefit, computed.fen, computed.steps)


def imputed_yearly(benefit: dict[str, Any]) -> Decimal | None:
    """The yearly value the office sets on a benefit that is not money (a flat, a school place), so an
    exclusion group compares it with money; None when it has none."""
    if benefit.get("kind") != "entitlement" or benefit.get("imputed_yearly") is None:
        return None
    return _money(benefit["imputed_yearly"])


def benefit_facts(benefit: dict[str, Any]) -> set[str]:
    """The facts a benefit's amount reads."""
    return amount_facts(benefit.get("amount")) if benefit.get("kind") == "money" else set()


@dataclass
class Verdict:
    policy: Policy
    status: str
    outcome: Outcome
    amount: Amount | None = None
    excluded_by: Policy | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def decided(self) -> bool:
        """Not eligible: the calculator lists these apart, after the ones that fit or may fit."""
        return self.status == NOT_ELIGIBLE

    @property
    def reasons(self) -> list[str]:
        """The conditions that decided the verdict (``Outcome.decisive``): those met, when eligible; the
        failed ones of the branches that failed; the unknown ones that could still change it."""
        if self.status == ELIGIBLE or self.status == EXCLUDED:
            return [c.reason() for c in self.outcome.passed]
        if self.status == MISSING:
            return [c.reason() for c in self.outcome.missing]
        return [c.reason() for c in self.outcome.failed]

    @property
    def yearly(self) -> Decimal | None:
        """What a year of it is worth: the money, or the value the office sets on an entitlement."""
        if self.amount is not None:
            return self.amount.yearly
        return imputed_yearly(self.policy.benefit)

    def entitlement(self) -> str:
        benefit = self.policy.benefit
        if benefit.get("kind") != "entitlement":
            return ""
        if (get_language() or "").startswith("en") and benefit.get("text_en"):
            return str(benefit["text_en"])
        return str(benefit.get("text", ""))


def _amount_missing(keys: list[str], language: str) -> list[Clause]:
    """The facts an amount lacks, as clauses of the verdict's "information missing"."""
    clauses = []
    for key in dict.fromkeys(keys):
        fact = FACTS[key]
        clauses.append(
            Clause(
                "benefit.amount",
                key,
                fact.text(language),
                UNKNOWN,
                fact.show(None, language),
                str(_("needed for the amount")),
                language,
            )
        )
    return clauses


_STATUS = {TRUE: ELIGIBLE, FALSE: NOT_ELIGIBLE, UNKNOWN: MISSING}


_Held = tuple[Any, list[str], dict[tuple[Any, ...], Compiled]]  # the rule, its parameters, compilations


def _compiled(policy: Policy, params: dict[str, Any], language: str, on: date) -> Compiled:
    """The policy's rule compiled (``rules.logic.compile_rule``) for this language, day and the values of the
    parameters it names, kept on the policy: published versions are held once per process and never changed
    (``in_force``, ADR 0016), so a version compiles once per language and day. A rule replaced on the
    instance (an unsaved draft being edited) compiles afresh."""
    held: _Held | None = policy.__dict__.get("_compiled_rule")
    if held is None or held[0] is not policy.rule:
        held = policy.__dict__["_compiled_rule"] = (policy.rule, sorted(params_named(policy.rule)), {})
    rule, names, kept = held
    key = (language, on, tuple(repr(params.get(name)) for name in names) if names else ())
    found = kept.get(key)
    if found is None:
        if len(kept) >= 16:
            kept.clear()
        found = kept[key] = compile_rule(rule, params, "", language, on)
    return found


def judge(policy: Policy, facts: dict[str, Any], params: dict[str, Any], on: date | None = None) -> Verdict:
    """One policy for these facts on ``on``. Eligible only with an amount: a money benefit whose amount needs
    a fact nobody knows is "information missing" (never 0, which would lose an exclusion group it wins)."""
    on = on or timezone.localdate()
    language = get_language() or ""
    outcome = _compiled(policy, params, language, on)(facts)
    status = _STATUS[outcome.status]
    amount = None
    if status == ELIGIBLE and policy.benefit.get("kind") == "money":
        computed = compute(policy.benefit.get("amount"), facts, on, params)
        if computed.fen is None:
            missing = _amount_missing(computed.missing, language)
            return Verdict(policy, MISSING, Outcome(UNKNOWN, outcome.clauses + missing, missing))
        amount = _amount(policy.benefit, computed.fen, computed.steps)
    return Verdict(policy, status, outcome, amount)


def claim(verdict: Verdict, groups: tuple[str, ...]) -> Claim:
    """An eligible verdict as the shared decision reads it: money by its yearly amount, a benefit that is not
    money by the yearly value the office sets on it; ``groups`` its exclusion groups and pairs."""
    policy = verdict.policy
    return Claim(policy.code, groups, policy.group_priority, fen(verdict.yearly))


def apply_exclusion_groups(verdicts: list[Verdict]) -> None:
    """就高不重复 (``decision.excluded_by``, the sweep's decision too): of one group, or of a pair of policies
    one names as not granted together, only the best eligible policy is granted; the others say which won."""
    eligible = [v for v in verdicts if v.status == ELIGIBLE]
    groups = exclusion_sets(v.policy for v in verdicts)
    by_code = {v.policy.code: v.policy for v in eligible}
    losers = excluded_by(claim(v, groups[v.policy.code]) for v in eligible)
    for other in eligible:
        won = losers.get(other.policy.code)
        if won is None:
            continue
        best = by_code[won.code]
        other.status, other.excluded_by = EXCLUDED, best
        if other.policy.exclusion_group and other.policy.exclusion_group == best.exclusion_group:
            note = _("Not granted as well: “%(best)s” of the same group gives more (就高不重复).")
        else:
            note = _("Not granted together with “%(best)s”, which gives more (就高不重复).")
        other.notes.append(note % {"best": best})


# The policies in force and the dated parameters, read once per process and again only when they change
# (``common.versions``, ADR 0016): the services that publish a policy, install the library, adopt a parameter
# or change a service bump a version in the shared cache after their commit; a request compares the versions
# with those its copy was read at, one cache read and no query. Published rows are never edited (a change is
# a new version), so without a shared cache their count, the sum of their ids, the newest creation time and
# the newest change to their services (with the parameters' count and ids) name the set, and every call
# compares that stamp instead. The rows are shared: callers read them and never change them.
POLICIES_VERSION = "policies"  # bumped by authoring (publish, parameters) and the loader (install, import)
VERSIONS = (POLICIES_VERSION, SERVICES_VERSION)


@dataclass(frozen=True)
class InForce:
    """One process's copy of the published policies (by target) and the dated parameters."""

    tokens: tuple[str, ...]
    policies: dict[str, list[Policy]]
    parameters: list[tuple[str, date, Any]]  # (name, effective from, value), newest first per name

    def published(self, on: date, target: str = "talent") -> list[Policy]:
        return [p for p in self.policies.get(target, []) if p.effective_on(on)]

    def parameters_on(self, day: date) -> dict[str, Any]:
        """As ``models.parameters_on``: each parameter's newest value effective by ``day``."""
        values: dict[str, Any] = {}
        for name, start, value in self.parameters:
            if start <= day:
                values.setdefault(name, value)
        return values


_HELD: dict[str, InForce] = {}


def _stamp() -> str:
    """The state of what ``InForce`` holds, from the database (two aggregates)."""
    policies = Policy.objects.filter(status=PolicyStatus.PUBLISHED).aggregate(
        n=Count("id"), ids=Sum("id"), made=Max("created_at"), services=Max("service__updated_at")
    )
    params = Parameter.objects.aggregate(n=Count("id"), ids=Sum("id"))
    made, services = policies["made"], policies["services"]
    return ":".join(
        str(part)
        for part in (
            policies["n"],
            policies["ids"] or 0,
            made.timestamp() if made else 0,
            services.timestamp() if services else 0,
            params["n"],
            params["ids"] or 0,
        )
    )


def _load(tokens: tuple[str, ...]) -> InForce:
    # what evaluating needs, not what documents the policy
    rows = (
        Policy.objects.filter(status=PolicyStatus.PUBLISHED)
        .select_related("service")
        .defer("tests", "summary", "materials")
        .order_by("code")
    )
    policies: dict[str, list[Policy]] = {}
    for policy in rows:
        policies.setdefault(policy.target, []).append(policy)
    parameters = list(
        Parameter.objects.order_by("name", "-effective_from").values_list("name", "effective_from", "value")
    )
    return InForce(tokens, policies, parameters)


def in_force() -> InForce:
    """The published policies and the parameters, as this process holds them, read again when changed. A
    transaction that has changed them itself reads them afresh and keeps nothing (it may be rolled back)."""
    office_facts_refresh()  # the facts the office defined, as of their version (the rules below read them)
    if versions.unsettled(VERSIONS):
        return _load(())
    now = versions.tokens(VERSIONS, _stamp)
    held = _HELD.get("in_force")
    if held is None or held.tokens != now:
        held = _HELD["in_force"] = _load(now)
    return held


def published(on: date, target: str = "talent") -> list[Policy]:
    """The policies in force on ``on``."""
    return in_force().published(on, target)


def calculate_for_facts(
    facts: dict[str, Any],
    *,
    on: date | None = None,
    policies: list[Policy] | None = None,
    params: dict[str, Any] | None = None,
) -> list[Verdict]:
    """Every policy in force (or ``policies``) for these facts; ``params``: the parameters on ``on``."""
    on = on or timezone.localdate()
    if params is None or policies is None:
        held = in_force()
        params = held.parameters_on(on) if params is None else params
        policies = held.published(on) if policies is None else policies
    verdicts = [judge(policy, facts, params, on) for policy in policies]
    apply_exclusion_groups(verdicts)
    order = {ELIGIBLE: 0, MISSING: 1, EXCLUDED: 2, NOT_ELIGIBLE: 3}
    verdicts.sort(key=lambda v: (order[v.status], v.policy.code))
    return verdicts


def withhold_values(verdicts: list[Verdict], viewer: Any) -> list[Verdict]:
    """The verdicts as ``viewer`` may read them: the value of a fact they may not see (``Fact.perm``: a count
    of children needs family.view, ADR 0019) is withheld from the reasons; whether the condition holds, the
    status and the amount stay (who decides on the entitlement needs them). The verdicts given are unchanged:
    copies are returned."""
    hidden = {key for key, fact in FACTS.items() if fact.perm and not has_perm(viewer, fact.perm)}
    if not hidden:
        return verdicts
    withheld = str(_("(withheld: family data)"))
    shown: list[Verdict] = []
    for verdict in verdicts:
        copies = {
            id(c): replace(c, actual=withheld) if c.fact in hidden else c
            for c in (*verdict.outcome.clauses, *verdict.outcome.decisive)
        }
        outcome = replace(
            verdict.outcome,
            clauses=[copies[id(c)] for c in verdict.outcome.clauses],
            decisive=[copies[id(c)] for c in verdict.outcome.decisive],
        )
        shown.append(replace(verdict, outcome=outcome))
    return shown


def calculate(*, talent: Any = None, enterprise: Any = None, on: date | None = None) -> list[Verdict]:
    """Every published policy for this talent, or for this enterprise (the calculator)."""
    on = on or timezone.localdate()
    subject, target = (enterprise, "enterprise") if enterprise is not None else (talent, "talent")
    held = in_force()
    policies = held.published(on, target)
    keys: set[str] = set().union(*(facts_used(p.rule) for p in policies)) if policies else set()
    for policy in policies:
        keys |= benefit_facts(policy.benefit)
    return calculate_for_facts(
        fact_values(subject, keys, on), on=on, policies=policies, params=held.parameters_on(on)
    )


def continuing_conditions_hold(
    policy: Policy, *, talent: Any = None, enterprise: Any = None, on: date | None = None
) -> Verdict:
    """Whether the continuing conditions of a granted policy (``"when": "continuing"``: still insured, still
    employed, no home bought) hold on ``on`` for this talent or enterprise: what the payout ledger asks before
    every payment. Entry conditions (毕业 3 年以内, 不超过 35 周岁) were judged once, when the benefit was
    decided, and are not judged again, so a 24-month subsidy is not stopped in its 13th month. Eligible when
    they hold (or the policy has none), not eligible (the failed ones as reasons), or information missing."""
    on = on or timezone.localdate()
    subject = enterprise if enterprise is not None else talent
    rule = continuing_part(policy.rule)
    if rule is None:
        return Verdict(policy, ELIGIBLE, Outcome(TRUE))
    params = in_force().parameters_on(on)
    outcome = evaluate(rule, fact_values(subject, facts_used(rule), on), params, on=on)
    return Verdict(policy, {TRUE: ELIGIBLE, FALSE: NOT_ELIGIBLE, UNKNOWN: MISSING}[outcome.status], outcome)


def policy_problems(
    rule: Any, benefit: Any, params: dict[str, Any], target: str = "talent"
) -> list[RuleError]:
    return validate(rule, params, target=target) + validate_benefit(benefit, target)


# --- the anonymous calculator ------------------------------------------------------------------------------
# Every question has an honest way out. "Not sure" (UNSURE) leaves the fact unknown, so the rules that need it
# stay "information missing" (Kleene logic: never granted on a guess), and the fact is not asked again. A
# status someone may simply not have (a programme tier, a certification grade, a pyramid category, a degree)
# also offers "none" (NONE): a value no rule's list holds, so "tier == peak" is false and "tier != peak" true.
# The degree is asked once; its level (degree_rank) follows from the same answer.
UNSURE, NONE = "unsure", "none"
NONE_ANSWERS: dict[str, Any] = {
    "tier": _lazy("None: not selected for the programme"),
    "grade": _lazy("None: not certified"),
    "category": _lazy("None: in none of these categories"),
    "highest_degree": _lazy("None of these (no college degree)"),
}
UNSURE_ANSWER = _lazy("Not sure / prefer not to say")
DERIVED = {"degree_rank": "highest_degree"}  # fact → the question whose answer gives it


def quick_facts(answers: dict[str, Any]) -> dict[str, Any]:
    """The fact values a visitor's answers give (``parse_answers``), derived facts included."""
    facts = dict(answers)
    if "highest_degree" in answers:
        degree = answers["highest_degree"]
        facts["degree_rank"] = None if degree is None else (0 if degree == NONE else DEGREE_RANK.get(degree))
    return facts


def next_question(verdicts: list[Verdict], asked: Any = ()) -> str | None:
    """The fact that decides the most still-undecided policies (those whose verdict is "information
    missing"): asked next by the anonymous calculator. A fact derived from another answer counts for that
    question; a fact already asked (answered "not sure") is not asked again. Ties go to the fact of the
    lowest registry order."""
    counts: dict[str, int] = {}
    for verdict in verdicts:
        if verdict.status != MISSING:
            continue
        for key in {DERIVED.get(c.fact, c.fact) for c in verdict.outcome.missing}:
            if key not in asked:
                counts[key] = counts.get(key, 0) + 1
    if not counts:
        return None
    order = list(facts_for("talent"))
    return max(counts, key=lambda key: (counts[key], -order.index(key)))


def parse_answers(data: Any) -> dict[str, Any]:
    """Facts a visitor answered (query parameters named after facts); anything malformed is dropped. A fact
    answered "not sure" is present with the value None; "none" of a status is ``NONE``."""
    answers: dict[str, Any] = {}
    for key, fact in facts_for("talent").items():
        if key in DERIVED:
            continue
        given = data.getlist(key) if hasattr(data, "getlist") else [data.get(key, "")]
        values = [str(v).strip()[:20] for v in given]
        if UNSURE in values:  # the "not sure" button wins over a half-typed number beside it
            answers[key] = None
            continue
        raw = next((v for v in values if v), "")
        if not raw:
            continue
        if fact.type == "bool":
            if raw in ("yes", "no"):
                answers[key] = raw == "yes"
        elif fact.type == "int":
            if raw.lstrip("-").isdigit() and -1 <= int(raw) <= 120:
                answers[key] = int(raw)
        elif fact.type == "date":
            day = as_date(raw)
            if day is not None and date(1900, 1, 1) <= day <= date(2100, 12, 31):
                answers[key] = day
        elif raw in {c for c, _label in fact.choices}:
            answers[key] = raw
        elif raw == NONE and key in NONE_ANSWERS:
            answers[key] = NONE
    return answers


def answer_code(value: Any) -> str:
    """An answer as the address carries it."""
    if value is None:
        return UNSURE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def answer_text(key: str, value: Any) -> str:
    """An answer as the visitor reads it ("35 岁", "未认定", "不确定")."""
    if value is None:
        return str(UNSURE_ANSWER)
    if value == NONE and key in NONE_ANSWERS:
        return str(NONE_ANSWERS[key])
    return FACTS[key].show(value)
