"""Rules as data, checked against the fact registry (``facts.FACTS``), and their two compilations: the one
rule language of every eligibility question (a policy, a service, a programme call, …).

A rule is plain data (no code, nothing evaluated):

    {"all": [rule, …]} | {"any": [rule, …]} | {"not": rule}
    {"fact": "age", "op": "<=", "value": 35}          ops: == != < <= > >= in not_in between any_of
    {"fact": "age", "op": "<=", "value": {"param": "young_max_age"}}   a dated parameter

``validate`` names each bad clause by its path (``all[1].any[0]``) and reason. ``evaluate`` explains every
clause — passed, failed (actual and required value) or unknown (the fact is missing) — and combines them
with Kleene's three-valued logic. ``to_sql`` builds one boolean SQL expression whose NULL is "unknown"; SQL's
own AND/OR/NOT are Kleene's, so the database gives the same answer for everyone at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.db.models.expressions import Expression
from django.utils.translation import get_language, gettext_noop, override
from django.utils.translation import gettext as _

from .facts import FACTS, OPS_BY_TYPE, And, Not, Or, subject_for, value_type_ok

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


@dataclass(frozen=True)
class RuleError:
    path: str
    reason: str


def _resolve(value: Any, params: dict[str, Any]) -> Any:
    if isinstance(value, dict) and "param" in value:
        return params.get(value["param"])
    return value


def validate(
    rule: Any, params: dict[str, Any] | None = None, path: str = "", target: str = "talent"
) -> list[RuleError]:
    """Every problem of the rule, each with the clause's path. ``params`` names the parameters known;
    ``target`` is whom the policy is for (a rule reads facts about talents, or about enterprises)."""
    params = params or {}
    here = path or "rule"
    if not isinstance(rule, dict) or len(rule) == 0:
        return [RuleError(here, _("A clause is an object: all, any, not, or a fact with op and value."))]
    if "all" in rule or "any" in rule:
        key = "all" if "all" in rule else "any"
        parts = rule[key]
        if not isinstance(parts, list) or not parts:
            return [RuleError(here, _("“%(key)s” needs a non-empty list of clauses.") % {"key": key})]
        errors: list[RuleError] = []
        for index, part in enumerate(parts):
            errors += validate(part, params, f"{path + '.' if path else ''}{key}[{index}]", target)
        return errors
    if "not" in rule:
        return validate(rule["not"], params, f"{path + '.' if path else ''}not", target)
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
    raw = rule.get("value")
    if isinstance(raw, dict) and "param" in raw:
        if raw["param"] not in params:
            return [RuleError(here, _("Unknown parameter “%(name)s”.") % {"name": raw["param"]})]
        raw = params[raw["param"]]
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


@lru_cache(maxsize=64)
def _reason_template(language: str, status: str) -> str:
    with override(language or None):
        return _(REASONS[status])


@dataclass
class Clause:
    path: str
    fact: str
    label: str
    status: str
    actual: str
    required: str
    language: str = field(default="", repr=False)

    def reason(self) -> str:
        template = _reason_template(self.language or get_language() or "", self.status)
        return template % {"label": self.label, "actual": self.actual, "required": self.required}


@dataclass
class Outcome:
    status: str  # passed / failed / unknown
    clauses: list[Clause] = field(default_factory=list)

    @property
    def failed(self) -> list[Clause]:
        return [c for c in self.clauses if c.status == FALSE]

    @property
    def missing(self) -> list[Clause]:
        return [c for c in self.clauses if c.status == UNKNOWN]


def _kleene_all(values: list[str]) -> str:
    if FALSE in values:
        return FALSE
    return UNKNOWN if UNKNOWN in values else TRUE


def _kleene_any(values: list[str]) -> str:
    if TRUE in values:
        return TRUE
    return UNKNOWN if UNKNOWN in values else FALSE


def _compare(op: str, actual: Any, value: Any) -> bool:
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
    raise ValueError(op)


def _required_text(fact: Any, op: str, value: Any, language: str | None = None) -> str:
    """What a clause requires, in words ("≥ 3", "∈ {硕士、博士}"); remembered per language and clause."""
    frozen = tuple(value) if isinstance(value, list) else value
    try:
        return _required_cached(language if language is not None else get_language() or "", fact, op, frozen)
    except TypeError:  # an unhashable value
        return _required_words(fact, op, value)


@lru_cache(maxsize=4096)
def _required_cached(language: str, fact: Any, op: str, value: Any) -> str:
    return _required_words(fact, op, list(value) if isinstance(value, tuple) else value)


def _required_words(fact: Any, op: str, value: Any) -> str:
    if op in ("in", "not_in", "any_of"):
        shown = "、".join(fact.show(v) for v in value)
        return f"{OP_TEXT[op]} {{{shown}}}"
    if op == "between":
        return f"{fact.show(value[0])} – {fact.show(value[1])}"
    return f"{OP_TEXT[op]} {fact.show(value)}"


def evaluate(
    rule: dict[str, Any],
    facts: dict[str, Any],
    params: dict[str, Any],
    path: str = "",
    language: str | None = None,
) -> Outcome:
    """Evaluate a (valid) rule over known fact values (``facts``: key → value or None); the words are in
    ``language`` (the active one by default)."""
    if language is None:
        language = get_language() or ""
    if "all" in rule or "any" in rule:
        key = "all" if "all" in rule else "any"
        outcomes = [
            evaluate(part, facts, params, f"{path + '.' if path else ''}{key}[{i}]", language)
            for i, part in enumerate(rule[key])
        ]
        combine = _kleene_all if key == "all" else _kleene_any
        return Outcome(combine([o.status for o in outcomes]), [c for o in outcomes for c in o.clauses])
    if "not" in rule:
        inner = evaluate(rule["not"], facts, params, f"{path + '.' if path else ''}not", language)
        flipped = {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}[inner.status]
        return Outcome(flipped, inner.clauses)
    fact = FACTS[rule["fact"]]
    value = _resolve(rule["value"], params)
    actual = facts.get(fact.key)
    required = _required_text(fact, rule["op"], value, language)
    status = UNKNOWN if actual is None else (TRUE if _compare(rule["op"], actual, value) else FALSE)
    clause = Clause(
        path or "rule", fact.key, fact.text(language), status, fact.show(actual, language), required, language
    )
    return Outcome(status, [clause])


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
    return fact.compare(rule["op"], _resolve(rule["value"], params), on)


@dataclass(frozen=True)
class Line:
    depth: int
    text: str


def describe(rule: dict[str, Any], params: dict[str, Any], depth: int = 0) -> list[Line]:
    """The rule as readable lines (what the policy page shows), in the reader's language."""
    if "all" in rule or "any" in rule:
        key = "all" if "all" in rule else "any"
        head = _("All of:") if key == "all" else _("Any of:")
        lines = [Line(depth, head)]
        for part in rule[key]:
            lines += describe(part, params, depth + 1)
        return lines
    if "not" in rule:
        return [Line(depth, _("None of:")), *describe(rule["not"], params, depth + 1)]
    fact = FACTS[rule["fact"]]
    value = _resolve(rule["value"], params)
    return [Line(depth, f"{fact.text()} {_required_text(fact, rule['op'], value)}")]
