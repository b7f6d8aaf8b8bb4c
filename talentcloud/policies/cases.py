"""The test-case builder beside the rule builder: a policy's test cases as form rows, so staff never type
YAML or JSON.

A case is a name, an optional day it is judged on, the facts of a made-up person (one row per fact: the
fact and its value, chosen as the rule builder chooses them) and the outcome expected: eligible, not
eligible or information missing, with the amount, the conditions not met or the facts missing. Fields are
named ``t.<case>.…`` and ``t.<case>.f.<row>.…``; buttons add or remove a case or a fact row. Reading the
form gives the test cases and the problems found, keyed ``tests[<case>]``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from talentcloud.rules.facts import BOOL, DATE, ENUM, FACTS, INT, TAGS, Fact, facts_for
from talentcloud.rules.periods import as_date

from .loader import STATUS_WORDS

MAX_CASES = 40
MAX_FACTS = 20
STATUSES = ("eligible", "not_eligible", "missing")


@dataclass
class CaseRow:
    name: str = ""
    as_of: str = ""
    status: str = "eligible"
    amount: str = ""
    failed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)  # (fact, value as the form holds it)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):  # tags
        return "、".join(str(v) for v in value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return "" if value is None else str(value)


def cases_from_tests(tests: Any) -> list[CaseRow]:
    rows = []
    for case in tests or []:
        expect = case.get("expect") or {}
        rows.append(
            CaseRow(
                name=str(case.get("name", "")),
                as_of=_text(case.get("as_of")),
                status=str(expect.get("status", "")),
                amount=_text(expect.get("amount")),
                failed=[str(k) for k in expect.get("failed") or []],
                missing=[str(k) for k in expect.get("missing") or []],
                facts=[(str(k), _text(v)) for k, v in (case.get("facts") or {}).items()],
            )
        )
    return rows


def cases_from_form(data: Any) -> list[CaseRow] | None:
    """The cases the form holds; None when the form has no case section (the draft's cases stay)."""
    if "t.present" not in data:
        return None
    rows = []
    index = 0
    while f"t.{index}.name" in data and index < MAX_CASES:
        here = f"t.{index}"
        row = CaseRow(
            name=str(data.get(f"{here}.name", "")).strip()[:120],
            as_of=str(data.get(f"{here}.as_of", "")).strip()[:10],
            status=str(data.get(f"{here}.status", "")).strip()[:20],
            amount=str(data.get(f"{here}.amount", "")).strip().replace(",", "").replace("，", "")[:20],
            failed=[str(v)[:60] for v in data.getlist(f"{here}.failed")][:MAX_FACTS],
            missing=[str(v)[:60] for v in data.getlist(f"{here}.missing")][:MAX_FACTS],
        )
        j = 0
        while f"{here}.f.{j}.fact" in data and j < MAX_FACTS:
            row.facts.append(
                (
                    str(data.get(f"{here}.f.{j}.fact", "")).strip()[:60],
                    str(data.get(f"{here}.f.{j}.value", "")).strip()[:40],
                )
            )
            j += 1
        rows.append(row)
        index += 1
    return rows


def apply(rows: list[CaseRow], action: str) -> list[CaseRow]:
    """One button: ``add-case``, ``remove-case:<i>``, ``add-fact:<i>`` or ``remove-fact:<i>.<j>``."""
    verb, _sep, where = action.partition(":")
    if verb == "add-case" and len(rows) < MAX_CASES:
        rows.append(CaseRow(facts=[("", "")]))
    elif verb == "remove-case" and where.isdigit() and int(where) < len(rows):
        del rows[int(where)]
    elif verb == "add-fact" and where.isdigit() and int(where) < len(rows):
        if len(rows[int(where)].facts) < MAX_FACTS:
            rows[int(where)].facts.append(("", ""))
    elif verb == "remove-fact" and re.fullmatch(r"\d+\.\d+", where):
        i, j = (int(p) for p in where.split("."))
        if i < len(rows) and j < len(rows[i].facts):
            del rows[i].facts[j]
    return rows


def _value(fact: Fact, text: str) -> tuple[Any, str | None]:
    if fact.type == BOOL:
        if text in ("true", "false"):
            return text == "true", None
        return None, _("choose yes or no for %(fact)s") % {"fact": fact.text()}
    if fact.type == INT:
        if re.fullmatch(r"-?\d{1,9}", text):
            return int(text), None
        return None, _("%(fact)s needs a whole number") % {"fact": fact.text()}
    if fact.type == ENUM and text in {key for key, _label in fact.choices}:
        return text, None
    if fact.type == TAGS:  # tags separated by commas; none is an empty list
        return [t for t in re.split(r"[\s,，、;；]+", text) if t], None
    if fact.type == DATE:  # kept as ISO text, as the policy's YAML and JSON keep dates
        day = as_date(text)
        if day is not None:
            return day.isoformat(), None
        return None, _("%(fact)s needs a date (YYYY-MM-DD)") % {"fact": fact.text()}
    return None, _("choose a value for %(fact)s") % {"fact": fact.text()}


def cases_to_tests(rows: list[CaseRow], target: str) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The test cases the rows write, and the problems of each case keyed ``tests[<i>]``."""
    known = facts_for(target)
    tests: list[dict[str, Any]] = []
    problems: dict[str, list[str]] = {}
    names: set[str] = set()
    for index, row in enumerate(rows):
        here: list[str] = []
        if not row.name:
            here.append(_("give the case a name"))
        elif row.name in names:
            here.append(_("another case has this name"))
        names.add(row.name)
        facts: dict[str, Any] = {}
        for key, text in row.facts:
            if not key:
                if text:
                    here.append(_("choose the fact of each value"))
                continue
            fact = known.get(key)
            if fact is None:
                here.append(_("%(fact)s is not a fact of this policy's target") % {"fact": key})
                continue
            if key in facts:
                here.append(_("%(fact)s is given twice") % {"fact": fact.text()})
                continue
            value, problem = _value(fact, text)
            if problem:
                here.append(problem)
            facts[key] = value
        expect: dict[str, Any] = {}
        if row.status not in STATUSES:
            here.append(_("choose the outcome expected"))
        else:
            expect["status"] = row.status
        if row.amount:
            try:
                amount = Decimal(row.amount)
            except InvalidOperation:
                amount = Decimal(-1)
            if amount < 0 or amount != amount.quantize(Decimal("0.01")):
                here.append(_("the amount is a number of yuan"))
            else:
                expect["amount"] = int(amount) if amount == amount.to_integral_value() else float(amount)
        if row.status == "not_eligible" and row.failed:
            expect["failed"] = sorted(set(row.failed))
        if row.status == "missing" and row.missing:
            expect["missing"] = sorted(set(row.missing))
        case: dict[str, Any] = {"name": row.name, "facts": facts, "expect": expect}
        if row.as_of:
            try:
                case["as_of"] = dt.date.fromisoformat(row.as_of).isoformat()
            except ValueError:
                here.append(_("the day is a date such as 2025-03-01"))
        if here:
            problems[f"tests[{index}]"] = here
        tests.append(case)
    return tests, problems


def rule_facts(rule: Any) -> list[str]:
    """The facts a rule names, in the order it names them (what a case's unmet or missing list picks from)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "fact" in node and node["fact"] not in found:
                found.append(str(node["fact"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(rule)
    return found


@dataclass
class ShownCase:
    index: int
    row: CaseRow
    errors: list[str]
    facts: list[tuple[int, str, Fact | None, str]]  # (row, key, fact, value text)
    picks: list[tuple[str, str]]  # (key, label) the unmet / missing lists pick from
    outcome: str | None = None  # with the rule as built: "" passes, else the failure in words; None: not run


def shown_cases(
    rows: list[CaseRow], rule: Any, problems: dict[str, list[str]], outcomes: dict[int, str] | None = None
) -> tuple[list[ShownCase], list[tuple[str, str]]]:
    """The cases as the page shows them, and the outcome choices."""
    named = rule_facts(rule)
    out = []
    for index, row in enumerate(rows):
        keys = [*named, *(k for k in row.failed + row.missing if k not in named)]
        picks = [(k, FACTS[k].text() if k in FACTS else k) for k in keys]
        facts = [(j, key, FACTS.get(key), value) for j, (key, value) in enumerate(row.facts)]
        errors = list(problems.get(f"tests[{index}]", []))
        out.append(ShownCase(index, row, errors, facts, picks, (outcomes or {}).get(index)))
    return out, [(s, str(STATUS_WORDS[s])) for s in STATUSES]
