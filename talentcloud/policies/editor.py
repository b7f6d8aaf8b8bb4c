"""The rule builder behind the staff editor: form fields ⇄ rule data, so staff never type YAML or JSON.

The page shows the rule as a tree of rows. A group row says how its rows combine (all of / any of / none
of); a condition row picks a fact, a comparison and a value (or a dated parameter). Every row's fields are
named by the row's place in the tree (``r``, ``r.0``, ``r.0.1`` …), so the whole tree travels in one form
post; buttons add or remove rows. Reading the form gives the rule data and the problems found while reading
(a value that is not a number …), each keyed by the clause path ``rules.validate`` uses, so the problems
of reading and of checking land on the same row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentcloud.rules.facts import BOOL, DATE, ENUM, FACTS, INT, OPS_BY_TYPE, TAGS, Fact, facts_for
from talentcloud.rules.logic import CONTINUING, ENTRY, validate
from talentcloud.rules.periods import UNITS, as_date, period_of

GROUPS = ("all", "any", "none")
GROUP_LABELS = {
    "all": gettext_lazy("All of these"),
    "any": gettext_lazy("Any of these"),
    "none": gettext_lazy("None of these"),
}
OP_LABELS = {
    "==": gettext_lazy("is"),
    "!=": gettext_lazy("is not"),
    "<": gettext_lazy("is less than"),
    "<=": gettext_lazy("is at most"),
    ">": gettext_lazy("is more than"),
    ">=": gettext_lazy("is at least"),
    "in": gettext_lazy("is one of"),
    "not_in": gettext_lazy("is none of"),
    "between": gettext_lazy("is between"),
    "any_of": gettext_lazy("shares one of"),
    # a date and a period (ADR 0017): 以内 and 届满 include the anniversary, 超过 and 不满 exclude it
    "within": gettext_lazy("is within (以内, the anniversary included)"),
    "beyond": gettext_lazy("is more than (超过, the anniversary excluded)"),
    "reached": gettext_lazy("has reached (届满, the anniversary included)"),
    "not_reached": gettext_lazy("has not reached (不满, before the anniversary)"),
}
UNIT_LABELS = {
    "years": gettext_lazy("years"),
    "months": gettext_lazy("months"),
    "days": gettext_lazy("days"),
}
WHEN_LABELS = {
    ENTRY: gettext_lazy("Entry condition: judged once, when the benefit is decided"),
    CONTINUING: gettext_lazy("Continuing condition: judged again before every payment"),
}
MAX_ROWS = 60
SEPARATORS = re.compile(r"[\s,，、;；]+")


@dataclass
class Row:
    """One row of the builder as the form holds it (raw text, not yet checked)."""

    kind: str  # all / any / none / clause
    fact: str = ""
    op: str = ""
    value: str = ""
    value2: str = ""
    values: list[str] = field(default_factory=list)
    param: str = ""
    children: list[Row] = field(default_factory=list)
    when: str = ""  # "" (as its group: entry at the top) or "continuing"
    unit: str = ""  # a date condition's period: years, months or days
    as_of: str = ""  # a date condition judged as of a date the policy text names (YYYY-MM-DD)


# --- form → rows ----------------------------------------------------------------------------------


def rows_from_form(data: Any, name: str = "r", budget: list[int] | None = None) -> Row:
    budget = budget if budget is not None else [MAX_ROWS]
    budget[0] -= 1
    kind = str(data.get(f"{name}.kind", "clause"))
    when = str(data.get(f"{name}.when", "")).strip()
    when = when if when == CONTINUING else ""
    if kind in GROUPS:
        row = Row(kind, when=when)
        index = 0
        while f"{name}.{index}.kind" in data and budget[0] > 0:
            row.children.append(rows_from_form(data, f"{name}.{index}", budget))
            index += 1
        return row
    return Row(
        "clause",
        fact=str(data.get(f"{name}.fact", "")).strip()[:60],
        op=str(data.get(f"{name}.op", "")).strip()[:10],
        value=str(data.get(f"{name}.value", "")).strip()[:200],
        value2=str(data.get(f"{name}.value2", "")).strip()[:40],
        values=[str(v)[:60] for v in data.getlist(f"{name}.values")][:40] if hasattr(data, "getlist") else [],
        param=str(data.get(f"{name}.param", "")).strip()[:60],
        when=when,
        unit=str(data.get(f"{name}.unit", "")).strip()[:10],
        as_of=str(data.get(f"{name}.as_of", "")).strip()[:10],
    )


# --- rule → rows ----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def rows_from_rule(rule: Any) -> Row:
    if not isinstance(rule, dict):
        return Row("all")
    when = CONTINUING if rule.get("when") == CONTINUING else ""
    for key in ("all", "any"):
        if key in rule:
            return Row(key, children=[rows_from_rule(part) for part in rule[key] or []], when=when)
    if "not" in rule:
        inner = rule["not"]
        if isinstance(inner, dict) and "any" in inner:
            return Row("none", children=[rows_from_rule(part) for part in inner["any"] or []], when=when)
        return Row("none", children=[rows_from_rule(inner)], when=when)
    value = rule.get("value")
    row = Row("clause", fact=str(rule.get("fact", "")), op=str(rule.get("op", "")), when=when)
    row.as_of = str(rule.get("as_of") or "")
    period = period_of(value)
    if period is not None:
        row.unit = period[0]
        if isinstance(period[1], dict) and "param" in period[1]:
            row.param = str(period[1]["param"])
        else:
            row.value = _text(period[1])
    elif isinstance(value, dict) and "param" in value:
        row.param = str(value["param"])
    elif rule.get("op") == "between" and isinstance(value, list) and len(value) == 2:
        row.value, row.value2 = _text(value[0]), _text(value[1])
    elif isinstance(value, list):
        fact = FACTS.get(row.fact)
        if fact is not None and (fact.type == ENUM or fact.choices_from is not None):
            row.values = [_text(v) for v in value]
        else:
            row.value = "、".join(_text(v) for v in value)
    else:
        row.value = _text(value)
    return row


# --- rows → rule (with the problems found reading the values) ----------------------------------------


def _join(path: str, step: str) -> str:
    return f"{path}.{step}" if path else step


def _number(text: str) -> int | None:
    return int(text) if re.fullmatch(r"-?\d{1,9}", text) else None


def _clause(row: Row, path: str, problems: dict[str, list[str]]) -> dict[str, Any]:
    here = path or "rule"
    if not row.fact:
        problems.setdefault(here, []).append(_("Choose what to check."))
        return {"fact": "", "op": row.op, "value": None}
    fact = FACTS.get(row.fact)
    clause: dict[str, Any] = {"fact": row.fact, "op": row.op}
    if row.when == CONTINUING:
        clause["when"] = CONTINUING
    if fact is not None and fact.type == DATE:
        return _date_clause(row, clause, here, problems)
    if row.param:
        clause["value"] = {"param": row.param}
        return clause
    if fact is None or row.op not in OPS_BY_TYPE[fact.type]:
        clause["value"] = None  # validate names the unknown fact or the wrong comparison
        return clause
    value: Any = None
    if fact.type == BOOL:
        value = {"true": True, "false": False}.get(row.value)
        if value is None:
            problems.setdefault(here, []).append(_("Choose yes or no."))
    elif fact.type == ENUM and row.op in ("in", "not_in"):
        value = row.values
        if not value:
            problems.setdefault(here, []).append(_("Tick at least one value."))
    elif fact.type == ENUM:
        value = row.value
        if not value:
            problems.setdefault(here, []).append(_("Choose a value."))
    elif fact.type == TAGS:
        value = row.values if fact.choices_from is not None else [p for p in SEPARATORS.split(row.value) if p]
        if not value and fact.choices_from is not None:
            problems.setdefault(here, []).append(_("Tick at least one value."))
        elif not value:
            problems.setdefault(here, []).append(_("Give at least one tag, separated by commas."))
    elif row.op in ("in", "not_in"):
        parts = [p for p in SEPARATORS.split(row.value) if p]
        numbers = [_number(p) for p in parts]
        if not parts or None in numbers:
            problems.setdefault(here, []).append(_("Whole numbers, separated by commas."))
        value = numbers
    elif row.op == "between":
        low, high = _number(row.value), _number(row.value2)
        if low is None or high is None:
            problems.setdefault(here, []).append(_("Two whole numbers: from and to."))
        value = [low, high]
    else:
        value = _number(row.value)
        if value is None:
            problems.setdefault(here, []).append(_("A whole number."))
    clause["value"] = value
    return clause


def _date_clause(
    row: Row, clause: dict[str, Any], here: str, problems: dict[str, list[str]]
) -> dict[str, Any]:
    """A date condition: a period (a number and its unit, or a parameter) and, if the text names one, the
    date it is judged on."""
    unit = row.unit if row.unit in UNITS else "years"
    if row.param:
        clause["value"] = {unit: {"param": row.param}}
    else:
        number = _number(row.value)
        if number is None or number < 0:
            problems.setdefault(here, []).append(_("A whole number of years, months or days."))
        clause["value"] = {unit: number}
    if row.as_of:
        if as_date(row.as_of) is None:
            problems.setdefault(here, []).append(_("A date: YYYY-MM-DD."))
        clause["as_of"] = row.as_of
    return clause


def rule_from_rows(row: Row, path: str = "", problems: dict[str, list[str]] | None = None) -> dict[str, Any]:
    problems = problems if problems is not None else {}
    rule = _rule_from_rows(row, path, problems)
    if row.when == CONTINUING and row.kind in GROUPS:
        rule["when"] = CONTINUING
    return rule


def _rule_from_rows(row: Row, path: str, problems: dict[str, list[str]]) -> dict[str, Any]:
    if row.kind in ("all", "any"):
        return {
            row.kind: [
                rule_from_rows(child, _join(path, f"{row.kind}[{i}]"), problems)
                for i, child in enumerate(row.children)
            ]
        }
    if row.kind == "none":
        if len(row.children) == 1:
            return {"not": rule_from_rows(row.children[0], _join(path, "not"), problems)}
        inner = _join(path, "not")
        return {
            "not": {
                "any": [
                    rule_from_rows(child, _join(inner, f"any[{i}]"), problems)
                    for i, child in enumerate(row.children)
                ]
            }
        }
    return _clause(row, path, problems)


def check(
    row: Row, params: dict[str, Any], target: str = "talent"
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The rule the rows write and every problem, keyed by clause path: reading problems first; checking
    problems where a row has no reading problem."""
    problems: dict[str, list[str]] = {}
    rule = rule_from_rows(row, "", problems)
    for error in validate(rule, params, target=target):
        if error.path not in problems:
            problems.setdefault(error.path, []).append(error.reason)
    return rule, problems


# --- editing ------------------------------------------------------------------------------------------


def _find(row: Row, name: str, here: str = "r") -> tuple[Row | None, Row | None, int]:
    """The row named ``name``, its parent and its index there."""
    for index, child in enumerate(row.children):
        child_name = f"{here}.{index}"
        if child_name == name:
            return child, row, index
        if name.startswith(child_name + "."):
            return _find(child, name, child_name)
    return (row, None, -1) if name == here else (None, None, -1)


def _count(row: Row) -> int:
    return 1 + sum(_count(child) for child in row.children)


def apply(row: Row, action: str) -> Row:
    """Apply one builder button: ``add-clause:<row>``, ``add-group:<row>`` or ``remove:<row>``."""
    verb, _sep, name = action.partition(":")
    target, parent, index = _find(row, name)
    if target is None:
        return row
    if verb in ("add-clause", "add-group") and target.kind in GROUPS and _count(row) < MAX_ROWS:
        target.children.append(
            Row("clause") if verb == "add-clause" else Row("any", children=[Row("clause")])
        )
    elif verb == "remove" and parent is not None:
        del parent.children[index]
    return row


# --- rows → what the page shows ------------------------------------------------------------------------


@dataclass
class Shown:
    name: str
    depth: int
    row: Row
    errors: list[str]
    fact: Fact | None
    ops: list[tuple[str, Any]]
    removable: bool

    @property
    def is_group(self) -> bool:
        return self.row.kind in GROUPS


def shown_rows(row: Row, problems: dict[str, list[str]]) -> list[Shown]:
    """The rows in page order, each with the problems found at its clause path."""
    out: list[Shown] = []

    def walk(current: Row, name: str, path: str, depth: int) -> None:
        errors = list(problems.get(path or "rule", []))
        fact = FACTS.get(current.fact) if current.kind == "clause" else None
        ops = [(op, OP_LABELS[op]) for op in OPS_BY_TYPE[fact.type]] if fact else []
        if current.kind == "none":
            errors += [e for e in problems.get(_join(path, "not"), []) if e not in errors]
        out.append(Shown(name, depth, current, errors, fact, ops, removable=depth > 0))
        for index, child in enumerate(current.children):
            if current.kind in ("all", "any"):
                child_path = _join(path, f"{current.kind}[{index}]")
            elif len(current.children) == 1:
                child_path = _join(path, "not")
            else:
                child_path = _join(_join(path, "not"), f"any[{index}]")
            walk(child, f"{name}.{index}", child_path, depth + 1)

    walk(row, "r", "", 0)
    return out


def fact_menu(target: str = "talent") -> list[tuple[str, str, str]]:
    """The facts a condition can check about whom the policy is for: key, label and kind."""
    kinds = {BOOL: _("yes/no"), INT: _("number"), ENUM: _("choice"), TAGS: _("tags"), DATE: _("date")}
    return [(key, str(fact.label), kinds[fact.type]) for key, fact in facts_for(target).items()]
