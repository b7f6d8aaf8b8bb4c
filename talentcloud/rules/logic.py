"""Rules as data, checked against the fact registry (``facts.FACTS``), and their two compilations: the one
rule language of every eligibility question (a policy, a service, a programme call, …).

A rule is plain data (no code, nothing evaluated):

    {"all": [rule, …]} | {"any": [rule, …]} | {"not": rule}
    {"fact": "age", "op": "<=", "value": 35}          ops: == != < <= > >= in not_in between any_of
    {"fact": "age", "op": "<=", "value": {"param": "young_max_age"}}   a dated parameter
    {"fact": "graduated_on", "op": "within", "value": {"years": 5}}     a date fact and a period (``periods``)
    {"fact": "birth_date", "op": "not_reached", "value": {"years": 36}, "as_of": "2025-12-31"}
                                                                        as of a date the policy text names
    {"all": [...], "when": "continuing"}      judged again before every payment (default "entry": judged once)

A clause whose value is unknown is "unknown"; the reasons of an outcome are the clauses that decided it
(``Outcome.decisive``): for "not eligible" the failed clauses of the branches that failed — never a clause
inside an ``any`` that was satisfied — and for "information missing" the unknown clauses whose answer could
still change the result.

``validate`` names each bad clause by its path (``all[1].any[0]``) and reason. ``evaluate`` explains every
clause — passed, failed (actual and required value) or unknown (the fact is missing) — and combines them
with Kleene's three-valued logic. ``to_sql`` builds one boolean SQL expression whose NULL is "unknown"; SQL's
own AND/OR/NOT are Kleene's, so the database gives the same answer for everyone at once.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.db.models.expressions import Expression
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, gettext_noop, override
from django.utils.translation import gettext as _

from .explain import continuing_mark, date_clause_text, join_words
from .facts import DATE, FACTS, OPS_BY_TYPE, And, Not, Or, subject_for, value_type_ok
from .periods import as_date, holds, period_of, thresholds

TRUE, FALSE, UNKNOWN = "passed", "failed", "unknown"
OP_TEXT = {
    "==": "=",
    "!=": "≠",
    "<": "<",
    "<=": "≤",
    ">": ">",
    ">=": "≥",
    "in": "∈",
    "not_in": "∉",
    "between": "∈",
    "any_of": "∩",
}
ENTRY, CONTINUING = "entry", "continuing"
# What a comparison requires, as words a reason reads ("（要求：不低于 40 岁）"), not as a symbol.
COMPARED = {
    "!=": gettext_lazy("not %(value)s"),
    "<": gettext_lazy("less than %(value)s"),
    "<=": gettext_lazy("at most %(value)s"),
    ">": gettext_lazy("more than %(value)s"),
    ">=": gettext_lazy("at least %(value)s"),
}


@dataclass(frozen=True)
class RuleError:
    path: str
    reason: str


def _resolve(value: Any, params: dict[str, Any]) -> Any:
    if isinstance(value, dict) and "param" in value:
        return params.get(value["param"])
    period = period_of(value)
    if period is not None and isinstance(period[1], dict) and "param" in period[1]:
        return {period[0]: params.get(period[1]["param"])}  # a period of N years, N a dated parameter
    return value


def _has_continuing(rule: Any) -> bool:
    if not isinstance(rule, dict):
        return False
    if rule.get("when") == CONTINUING:
        return True
    if "all" in rule or "any" in rule:
        return any(_has_continuing(p) for p in (rule.get("all") or rule.get("any") or []))
    return "not" in rule and _has_continuing(rule["not"])


def _when_errors(rule: dict[str, Any], here: str, inherited: str) -> list[RuleError]:
    when = rule.get("when", inherited)
    if when not in (ENTRY, CONTINUING):
        return [
            RuleError(
                here, _("“when” is “entry” (judged once) or “continuing” (judged before every payment).")
            )
        ]
    if "when" in rule and inherited != when and inherited == CONTINUING:
        return [RuleError(here, _("A condition inside a continuing group is continuing too."))]
    if ("any" in rule or "not" in rule) and when == ENTRY:
        parts = rule.get("any") or [rule.get("not")]
        if any(_has_continuing(p) for p in parts if isinstance(p, dict)):
            return [
                RuleError(
                    here,
                    _(
                        "A group of alternatives (any, none of) mixes entry and continuing conditions; "
                        "mark the whole group instead."
                    ),
                )
            ]
    return []


def validate(
    rule: Any, params: dict[str, Any] | None = None, path: str = "", target: str = "talent"
) -> list[RuleError]:
    """Every problem of the rule, each with the clause's path. ``params`` names the parameters known;
    ``target`` is whom the policy is for (a rule reads facts about talents, or about enterprises)."""
    return _validate(rule, params or {}, path, target, ENTRY)


def _validate(rule: Any, params: dict[str, Any], path: str, target: str, inherited: str) -> list[RuleError]:
    here = path or "rule"
    if not isinstance(rule, dict) or len(rule) == 0:
        return [RuleError(here, _("A clause is an object: all, any, not, or a fact with op and value."))]
    when_errors = _when_errors(rule, here, inherited)
    if when_errors:
        return when_errors
    when = rule.get("when", inherited)
    if "all" in rule or "any" in rule:
        key = "all" if "all" in rule else "any"
        parts = rule[key]
        if not isinstance(parts, list) or not parts:
            return [RuleError(here, _("“%(key)s” needs a non-empty list of clauses.") % {"key": key})]
        errors: list[RuleError] = []
        for index, part in enumerate(parts):
            errors += _validate(part, params, f"{path + '.' if path else ''}{key}[{index}]", target, when)
        return errors
    if "not" in rule:
        return _validate(rule["not"], params, f"{path + '.' if path else ''}not", target, when)
    fact = FACTS.get(str(rule.get("fact", "")))
    if fact is None:
        return [RuleError(here, _("Unknown fact “%(fact)s”.") % {"fact": rule.get("fact", "")})]
    if fact.target != target:
        subject = subject_for(fact.target)
        about = subject.plural if subject is not None else fact.target
        return [
            RuleError(
                here,
                _("“%(fact)s” is a fact about %(about)s; this policy is not.")
                % {"fact": fact.label, "about": about},
            )
        ]
    op = rule.get("op")
    if op not in OPS_BY_TYPE[fact.type]:
        allowed = " ".join(OPS_BY_TYPE[fact.type])
        return [
            RuleError(
                here,
                _("Operator “%(op)s” does not apply to %(fact)s; use one of: %(ops)s.")
                % {"op": op, "fact": fact.label, "ops": allowed},
            )
        ]
    if "as_of" in rule and (fact.type != DATE or as_date(rule["as_of"]) is None):
        return [RuleError(here, _("“as_of” is a date (YYYY-MM-DD) and applies to a date fact only."))]
    if "as_of" in rule and fact.dated:
        return [
            RuleError(
                here,
                _("“as_of” cannot be given for %(fact)s: its date is itself read as of the day judged.")
                % {"fact": fact.label},
            )
        ]
    raw = rule.get("value")
    period = period_of(raw)
    named = raw if isinstance(raw, dict) and "param" in raw else None
    if period is not None and isinstance(period[1], dict) and "param" in period[1]:
        named = period[1]
    if named is not None:
        if named["param"] not in params:
            return [RuleError(here, _("Unknown parameter “%(name)s”.") % {"name": named["param"]})]
        raw = _resolve(raw, params)
    if fact.type == DATE:
        ok = value_type_ok(fact, raw)
        if not ok:
            return [
                RuleError(
                    here,
                    _("A period is given as years, months or days: {years: 5}, {months: 24} or {days: 90}."),
                )
            ]
        return []
    if op in ("in", "not_in", "any_of"):
        ok = isinstance(raw, list) and bool(raw) and all(value_type_ok(fact, v) for v in raw)
    elif op == "between":
        ok = (
            isinstance(raw, list)
            and len(raw) == 2
            and all(value_type_ok(fact, v) for v in raw)
            and raw[0] <= raw[1]
        )
    else:
        ok = value_type_ok(fact, raw)
    if not ok:
        return [
            RuleError(
                here,
                _("The value does not fit %(fact)s (%(kind)s) with “%(op)s”.")
                % {"fact": fact.label, "kind": fact.type, "op": op},
            )
        ]
    return []


REASONS = {
    UNKNOWN: gettext_noop("%(label)s is not known yet (required: %(required)s)."),
    TRUE: gettext_noop("%(label)s is %(actual)s (required: %(required)s)."),
    FALSE: gettext_noop("%(label)s is %(actual)s, but %(required)s is required."),
}
NEGATED = gettext_noop("not (%(required)s)")  # a clause under "none of": its requirement is that it fails


@lru_cache(maxsize=64)
def _reason_template(language: str, status: str) -> str:
    with override(language or None):
        return _(REASONS[status])


@lru_cache(maxsize=64)
def _negated_template(language: str) -> str:
    with override(language or None):
        return _(NEGATED)


@dataclass
class Clause:
    """One condition as evaluated. ``status`` is the condition's own; under an odd number of "none of" its
    effect on the rule is the opposite (``negated``), and its reason says so."""

    path: str
    fact: str
    label: str
    status: str
    actual: str
    required: str
    language: str = field(default="", repr=False)
    negated: bool = False
    continuing: bool = False

    @property
    def effect(self) -> str:
        """What the clause does to the rule: passed, failed or unknown."""
        return {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}[self.status] if self.negated else self.status

    def reason(self) -> str:
        language = self.language or get_language() or ""
        required = self.required
        if self.negated:
            required = _negated_template(language) % {"required": required}
        template = _reason_template(language, self.effect)
        return template % {"label": self.label, "actual": self.actual, "required": required}


@dataclass
class Outcome:
    """``clauses``: every condition, in the rule's order; ``decisive``: those that decided ``status`` — of an
    "all", the parts with its result; of an "any", likewise (so never a failure inside an alternative that
    was satisfied, nor one of a branch that did not decide)."""

    status: str  # passed / failed / unknown
    clauses: list[Clause] = field(default_factory=list)
    decisive: list[Clause] = field(default_factory=list)

    @property
    def failed(self) -> list[Clause]:
        """Why it is not met: the failed conditions of the branches that decided (empty unless failed)."""
        return list(self.decisive) if self.status == FALSE else []

    @property
    def missing(self) -> list[Clause]:
        """What is not known and could still change the result (empty unless unknown)."""
        return list(self.decisive) if self.status == UNKNOWN else []

    @property
    def passed(self) -> list[Clause]:
        return list(self.decisive) if self.status == TRUE else []


def _kleene_all(values: list[str]) -> str:
    if FALSE in values:
        return FALSE
    return UNKNOWN if UNKNOWN in values else TRUE


def _kleene_any(values: list[str]) -> str:
    if TRUE in values:
        return TRUE
    return UNKNOWN if UNKNOWN in values else FALSE


def _compare(op: str, actual: Any, value: Any, ref: date | None = None) -> bool:
    if op == "==":
        return bool(actual == value)
    if op == "!=":
        return bool(actual != value)
    if op == "<":
        return bool(actual < value)
    if op == "<=":
        return bool(actual <= value)
    if op == ">":
        return bool(actual > value)
    if op == ">=":
        return bool(actual >= value)
    if op == "in":
        return actual in value
    if op == "not_in":
        return actual not in value
    if op == "between":
        return bool(value[0] <= actual <= value[1])
    if op == "any_of":  # a list fact shares at least one item with the value
        return bool(set(actual) & set(value))
    if op in ("within", "beyond", "reached", "not_reached"):
        unit, n = period_of(value) or ("days", 0)
        return holds(op, actual, unit, int(n), ref or timezone.localdate())
    raise ValueError(op)


def _required_text(
    fact: Any, op: str, value: Any, language: str | None = None, ref: date | None = None
) -> str:
    """What a clause requires, in words ("不低于 3", "硕士或博士"); remembered per language and clause."""
    if fact.type == DATE:
        return _date_required(fact, op, value, ref or timezone.localdate())
    frozen = tuple(value) if isinstance(value, list) else value
    try:
        return _required_cached(language if language is not None else get_language() or "", fact, op, frozen)
    except TypeError:  # an unhashable value
        return _required_words(fact, op, value)


def _date_required(fact: Any, op: str, value: Any, ref: date) -> str:
    """A date clause as the dates it admits, so the reader can check it: "晚于 2019-06-30、不晚于
    2024-06-30" ("after 2019-06-30, on or before 2024-06-30")."""
    unit, n = period_of(value) or ("days", 0)
    low, high = thresholds(op, unit, int(n), ref)
    parts = []
    if low is not None:
        parts.append(_("after %(date)s") % {"date": low.isoformat()})
    if high is not None:
        parts.append(_("on or before %(date)s") % {"date": high.isoformat()})
    return ("、" if not get_language() or not get_language().startswith("en") else ", ").join(parts)


@lru_cache(maxsize=4096)
def _required_cached(language: str, fact: Any, op: str, value: Any) -> str:
    return _required_words(fact, op, list(value) if isinstance(value, tuple) else value)


def _required_words(fact: Any, op: str, value: Any) -> str:
    if op in ("in", "not_in", "any_of"):
        # A set reads as words, not "∈ {…}": "A 类、B 类或 C 类", "不是 A 类或 B 类", "含 X 或 Y".
        shown = join_words([str(fact.show(v)) for v in value])
        if op == "not_in":
            return str(COMPARED["!="]) % {"value": shown}
        if op == "any_of":
            return _("any of %(values)s") % {"values": shown}
        return shown
    if op == "between":
        return f"{fact.show(value[0])} – {fact.show(value[1])}"
    shown = str(fact.show(value))
    if op == "==":
        return shown
    return str(COMPARED[op]) % {"value": shown}


def evaluate(
    rule: dict[str, Any],
    facts: dict[str, Any],
    params: dict[str, Any],
    path: str = "",
    language: str | None = None,
    on: date | None = None,
) -> Outcome:
    """Evaluate a (valid) rule over known fact values (``facts``: key → value or None) on ``on`` (the
    evaluation date date clauses count from; today by default); the words are in ``language``."""
    words = language or get_language() or ""
    return compile_rule(rule, params, path, words, on or timezone.localdate())(facts)


Compiled = Callable[[dict[str, Any]], Outcome]


def compile_rule(
    rule: dict[str, Any], params: dict[str, Any], path: str, language: str, on: date
) -> Compiled:
    """The rule as a function of the facts, for these parameters, language and day: everything that does not
    depend on the person — each clause's fact, label, required value and words, its comparison and its path
    — worked out once, so a caller that keeps it (the engine, per published version: ``engine.judge``)
    pays only for comparing and for the clauses' actual values."""
    return _compile(rule, params, path, language, on, False, ENTRY)


def _compile(
    rule: dict[str, Any],
    params: dict[str, Any],
    path: str,
    language: str,
    on: date,
    negated: bool,
    inherited: str,
) -> Compiled:
    when = rule.get("when", inherited)
    if "all" in rule or "any" in rule:
        key = "all" if "all" in rule else "any"
        parts = [
            _compile(part, params, f"{path + '.' if path else ''}{key}[{i}]", language, on, negated, when)
            for i, part in enumerate(rule[key])
        ]
        combine = _kleene_all if key == "all" else _kleene_any

        def combined(facts: dict[str, Any]) -> Outcome:
            outcomes = [part(facts) for part in parts]
            status = combine([o.status for o in outcomes])
            return Outcome(
                status,
                [c for o in outcomes for c in o.clauses],
                [c for o in outcomes if o.status == status for c in o.decisive],
            )

        return combined
    if "not" in rule:
        inner = _compile(
            rule["not"], params, f"{path + '.' if path else ''}not", language, on, not negated, when
        )

        def flipped(facts: dict[str, Any]) -> Outcome:
            found = inner(facts)
            return Outcome(_FLIPPED[found.status], found.clauses, found.decisive)

        return flipped
    fact = FACTS[rule["fact"]]
    key, op = fact.key, rule["op"]
    value = _resolve(rule["value"], params)
    ref = as_date(rule.get("as_of")) or on
    required = _required_text(fact, op, value, language, ref)
    label = fact.text(language)
    test = _tester(op, value, ref)
    where, continuing = path or "rule", when == CONTINUING
    shown: dict[Any, str] = {}
    keep = fact.choices_from is None  # a register's names may change: read them each time

    def show(actual: Any) -> str:
        try:
            return shown[actual]
        except KeyError:
            words = fact.show(actual, language)
            if keep and len(shown) < 64:
                shown[actual] = words
            return words
        except TypeError:  # an unhashable value (a list of tags)
            return fact.show(actual, language)

    def clause(facts: dict[str, Any]) -> Outcome:
        actual = facts.get(key)
        status = UNKNOWN if actual is None else (TRUE if test(actual) else FALSE)
        found = Clause(where, key, label, status, show(actual), required, language, negated, continuing)
        return Outcome(status, [found], [found])

    return clause


_FLIPPED = {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}


def _tester(op: str, value: Any, ref: date) -> Callable[[Any], bool]:
    """``_compare`` for one clause, its value and day fixed."""
    if op in ("within", "beyond", "reached", "not_reached"):
        unit, n = period_of(value) or ("days", 0)
        return lambda actual: holds(op, actual, unit, int(n), ref)
    if op in ("==", "!=", "<", "<=", ">", ">="):
        compare = _OPERATORS[op]
        return lambda actual: bool(compare(actual, value))
    return lambda actual: _compare(op, actual, value, ref)


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def continuing_part(rule: dict[str, Any], inherited: str = ENTRY) -> dict[str, Any] | None:
    """The conditions of a (valid) rule judged again before every payment, as a rule of their own (None when
    it has none). ``validate`` keeps them out of alternatives, so they are parts of top-level "all"s."""
    when = rule.get("when", inherited)
    if when == CONTINUING:
        return rule
    if "all" in rule:
        parts = [kept for part in rule["all"] if (kept := continuing_part(part, when)) is not None]
        return {"all": parts} if parts else None
    return None


def is_continuing(rule: dict[str, Any], inherited: str = ENTRY) -> bool:
    return rule.get("when", inherited) == CONTINUING


def facts_used(rule: dict[str, Any]) -> set[str]:
    if "all" in rule or "any" in rule:
        return set().union(*(facts_used(part) for part in rule["all" if "all" in rule else "any"]))
    if "not" in rule:
        return facts_used(rule["not"])
    return {rule["fact"]}


def params_named(rule: Any) -> set[str]:
    """The dated parameters a rule names."""
    if not isinstance(rule, dict):
        return set()
    if "all" in rule or "any" in rule:
        return set().union(*(params_named(part) for part in rule.get("all") or rule.get("any") or []))
    if "not" in rule:
        return params_named(rule["not"])
    value = rule.get("value")
    return {str(value["param"])} if isinstance(value, dict) and "param" in value else set()


def fact_values(talent: Any, keys: set[str], on: date) -> dict[str, Any]:
    """The values of ``keys`` for one talent or enterprise on ``on`` (None where unknown)."""
    talent.__dict__.pop("_fact_cache", None)  # figures read once per evaluation, never kept across them
    return {key: FACTS[key].get(talent, on) for key in keys}


def to_sql(rule: dict[str, Any], params: dict[str, Any], on: date) -> Expression:
    """One boolean SQL expression over the subject's table: TRUE, FALSE, or NULL for unknown (run it on a
    queryset passed through ``facts.with_sql_facts``)."""
    if "all" in rule:
        parts = [to_sql(part, params, on) for part in rule["all"]]
        return parts[0] if len(parts) == 1 else And(*parts)
    if "any" in rule:
        parts = [to_sql(part, params, on) for part in rule["any"]]
        return parts[0] if len(parts) == 1 else Or(*parts)
    if "not" in rule:
        return Not(to_sql(rule["not"], params, on))
    fact = FACTS[rule["fact"]]
    return fact.compare(rule["op"], _resolve(rule["value"], params), as_date(rule.get("as_of")) or on)


@dataclass(frozen=True)
class Line:
    depth: int
    text: str


def describe(
    rule: dict[str, Any], params: dict[str, Any], depth: int = 0, inherited: str = ENTRY
) -> list[Line]:
    """The rule as readable lines (what the policy page shows), in the reader's language; a continuing
    condition (or group) says it is judged again before every payment."""
    when = rule.get("when", inherited)
    mark = continuing_mark() if when == CONTINUING and inherited != CONTINUING else ""
    if "all" in rule or "any" in rule:
        key = "all" if "all" in rule else "any"
        head = _("All of:") if key == "all" else _("Any of:")
        lines = [Line(depth, head + mark)]
        for part in rule[key]:
            lines += describe(part, params, depth + 1, when)
        return lines
    if "not" in rule:
        return [Line(depth, _("None of:") + mark), *describe(rule["not"], params, depth + 1, when)]
    fact = FACTS[rule["fact"]]
    value = _resolve(rule["value"], params)
    if fact.type == DATE:
        return [Line(depth, date_clause_text(fact, rule["op"], value, rule.get("as_of")) + mark)]
    return [Line(depth, f"{fact.text()} {_required_text(fact, rule['op'], value)}{mark}")]
