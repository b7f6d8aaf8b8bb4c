"""Rules and benefits in plain words, for the public pages (the policy page and the service guide).

``rules.describe`` and the calculator's reasons speak the rule's own terms ("≥ 3", "∈ {…}") to staff who
write rules; the public reads sentences: "最高学历为硕士及以上", "年龄不超过 35 周岁", "人才认定类别为 A 类、
B 类或 C 类". No comparison symbol, no code of a fact, parameter, policy or exclusion group reaches the text:
a parameter is shown by its value on the day, an enumerated value by its label. Money is shown in 元 and,
from ten thousand up, in 万元 (English: yuan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from talentcloud.rules.facts import BOOL, ENUM, FACTS, Fact
from talentcloud.talents.enums import Degree
from talentcloud.talents.facts import DEGREE_RANK

DEGREE_BY_RANK = {rank: degree for degree, rank in DEGREE_RANK.items()}
YEAR_FACTS = {
    "years_since_graduation",
    "social_insurance_years",
    "years_in_district",
    "enterprise_years",
}
PERCENT_FACTS = {"revenue_growth", "rd_intensity"}
TEN_THOUSAND_YUAN_FACTS = {"revenue"}  # figures kept in 万元


@dataclass(frozen=True)
class Line:
    depth: int
    text: str


def _zh() -> bool:
    return not (get_language() or "").startswith("en")


# -- money --------------------------------------------------------------------------------------------


def money(value: Any) -> str:
    """An amount of money as the public reads it: "600 元", "80 万元", "1.5 万元"; "800,000 yuan"."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    whole = amount == amount.to_integral_value()
    if not _zh():
        return f"{amount:,.0f} yuan" if whole else f"{amount:,.2f} yuan"
    if amount >= 10000 and (amount / 100) == (amount / 100).to_integral_value():
        wan = (amount / 10000).normalize()
        return f"{wan:f} 万元"
    return f"{amount:.0f} 元" if whole else f"{amount:.2f} 元"


# -- values -------------------------------------------------------------------------------------------


def _join(items: list[str]) -> str:
    """ "A、B 或 C" / "A, B or C"."""
    if len(items) <= 1:
        return "".join(items)
    if _zh():
        last = items[-1]
        return "、".join(items[:-1]) + "或" + (" " if last[:1].isascii() else "") + last
    return ", ".join(items[:-1]) + " " + _("or") + " " + items[-1]


def _value(fact: Fact, value: Any) -> str:
    if fact.key == "age":
        return _("%(n)s years old") % {"n": value}
    if fact.key in YEAR_FACTS:
        return ngettext("%(n)s year", "%(n)s years", int(value)) % {"n": value}
    if fact.key in PERCENT_FACTS:
        return f"{value}%"
    if fact.key in TEN_THOUSAND_YUAN_FACTS:
        return money(Decimal(str(value)) * 10000)
    if fact.key == "degree_rank":
        return _degree(value)
    if fact.type == ENUM:
        return str(dict(fact.choices).get(value, value))
    return str(value)


def _degree(rank: Any) -> str:
    degree = DEGREE_BY_RANK.get(rank)
    return str(Degree(degree).label) if degree else str(rank)


def _label(fact: Fact) -> str:
    if fact.key == "degree_rank":
        return str(FACTS["highest_degree"].label)
    return str(fact.label)


# -- clauses ------------------------------------------------------------------------------------------


def _bool_clause(fact: Fact, wanted: bool) -> str:
    phrases = {
        ("owns_home_in_city", True): _("owns a home in the city"),
        ("owns_home_in_city", False): _("owns no home in the city"),
        ("employed_in_district", True): _("works for an enterprise registered in the district"),
        ("employed_in_district", False): _("does not work for an enterprise registered in the district"),
        ("in_park", True): _("registered in one of the district's parks"),
        ("in_park", False): _("not registered in any of the district's parks"),
    }
    phrase = phrases.get((fact.key, wanted))
    if phrase is not None:
        return str(phrase)
    answer = _("yes") if wanted else _("no")
    return _("%(label)s: %(answer)s") % {"label": _label(fact), "answer": answer}


def _degree_clause(op: str, value: Any) -> str:
    label = _label(FACTS["degree_rank"])
    if op in ("in", "not_in"):
        names = _join([_degree(v) for v in value])
        template = _("%(label)s is %(values)s") if op == "in" else _("%(label)s is not %(values)s")
        return template % {"label": label, "values": names}
    if op == "between":
        return _("%(label)s from %(low)s to %(high)s") % {
            "label": label,
            "low": _degree(value[0]),
            "high": _degree(value[1]),
        }
    if op == ">":
        op, value = ">=", value + 1
    if op == "<":
        op, value = "<=", value - 1
    if op == ">=" and value <= min(DEGREE_BY_RANK):
        op = "any"
    if op == "<=" and value >= max(DEGREE_BY_RANK):
        op = "any"
    templates = {
        ">=": _("%(label)s %(degree)s or higher"),
        "<=": _("%(label)s %(degree)s or lower"),
        "==": _("%(label)s is %(degree)s"),
        "!=": _("%(label)s is not %(degree)s"),
        "any": _("%(label)s: any"),
    }
    return templates[op] % {"label": label, "degree": _degree(value)}


CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])")


def clause_text(fact_key: str, op: str, value: Any) -> str:
    """One condition as a sentence in the reader's language (no symbols, no codes). Chinese keeps a space
    between Chinese and Latin letters or digits ("为 A 类", "不超过 35 周岁") and none between two Chinese
    characters ("为博士")."""
    text = _clause_text(fact_key, op, value)
    return CJK_SPACE.sub("", text) if _zh() else text


def _clause_text(fact_key: str, op: str, value: Any) -> str:
    fact = FACTS[fact_key]
    if fact.type == BOOL:
        wanted = bool(value) if op == "==" else not bool(value)
        return _bool_clause(fact, wanted)
    if fact.key == "degree_rank":
        return _degree_clause(op, value)
    label = _label(fact)
    if op in ("in", "not_in"):
        values = _join([_value(fact, v) for v in value])
        template = _("%(label)s is %(values)s") if op == "in" else _("%(label)s is not %(values)s")
        return template % {"label": label, "values": values}
    if op == "between":
        return _("%(label)s from %(low)s to %(high)s") % {
            "label": label,
            "low": _value(fact, value[0]),
            "high": _value(fact, value[1]),
        }
    if op == ">=" and value == 0 and fact.key in YEAR_FACTS:
        return _("%(label)s: on record (any length)") % {"label": label}
    templates = {
        "==": _("%(label)s is %(value)s"),
        "!=": _("%(label)s is not %(value)s"),
        "<": _("%(label)s under %(value)s"),
        "<=": _("%(label)s not more than %(value)s"),
        ">": _("%(label)s more than %(value)s"),
        ">=": _("%(label)s at least %(value)s"),
    }
    return templates[op] % {"label": label, "value": _value(fact, value)}


def conditions(rule: dict[str, Any], params: dict[str, Any], depth: int = 0) -> list[Line]:
    """The rule as sentences: the conditions of a top-level "all" one per line; "any" and "not" with a
    heading and their parts indented under it. Parameters are shown by their value (``params``)."""
    if "all" in rule:
        if depth == 0:
            return [line for part in rule["all"] for line in conditions(part, params, 0)]
        lines = [Line(depth, _("all of the following:"))]
        for part in rule["all"]:
            lines += conditions(part, params, depth + 1)
        return lines
    if "any" in rule:
        lines = [Line(depth, _("one of the following:"))]
        for part in rule["any"]:
            lines += conditions(part, params, depth + 1)
        return lines
    if "not" in rule:
        return [Line(depth, _("none of the following:")), *conditions(rule["not"], params, depth + 1)]
    value = rule["value"]
    if isinstance(value, dict) and "param" in value:
        value = params.get(value["param"])
        if value is None:
            return [
                Line(
                    depth,
                    _("%(label)s: as the current rules set it") % {"label": _label(FACTS[rule["fact"]])},
                )
            ]
    return [Line(depth, clause_text(rule["fact"], rule["op"], value))]


def tags_line(tags: list[str]) -> str:
    """A service open to talents with one of some tags (until those become rules)."""
    return _("listed by the talent office as %(tags)s") % {"tags": _join([str(t) for t in tags])}


# -- benefits -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenefitRow:
    label: str  # "A 类", "博士"; "" for a single amount
    amount: str  # "300 万元"


@dataclass(frozen=True)
class Benefit:
    summary: str  # how it is paid ("一次性发放", "按月发放，最长 36 个月") or what is granted
    by: str  # "按人才认定类别" when the amount depends on a fact, else ""
    rows: list[BenefitRow]


def _period(benefit: dict[str, Any]) -> str:
    period = benefit.get("period", "once")
    months = benefit.get("months")
    if period == "month":
        if months:
            return _("paid monthly, for at most %(n)s months") % {"n": months}
        return _("paid monthly")
    if period == "year":
        return _("paid yearly")
    return _("paid once")


def benefit_words(benefit: dict[str, Any]) -> Benefit:
    """What a policy grants, in words: money by grade or degree in 元 / 万元, or the entitlement's text."""
    if benefit.get("kind") != "money":
        text = benefit.get("text_en") if not _zh() and benefit.get("text_en") else benefit.get("text", "")
        return Benefit(str(text), "", [])
    period = benefit.get("period", "once")
    per = {
        "month": pgettext("benefit", "%(amount)s a month"),
        "year": pgettext("benefit", "%(amount)s a year"),
    }.get(period, "%(amount)s")
    amount = benefit.get("amount")
    if isinstance(amount, dict):
        fact = FACTS.get(str(amount.get("by", "")))
        order = [code for code, _label in fact.choices] if fact else []
        table = amount.get("table") or {}
        keys = sorted(table, key=lambda k: order.index(k) if k in order else len(order))
        rows = [
            BenefitRow(_value(fact, key) if fact else str(key), per % {"amount": money(table[key])})
            for key in keys
        ]
        by = _("by %(label)s") % {"label": _label(fact)} if fact else ""
        return Benefit(_period(benefit), by, rows)
    return Benefit(_period(benefit), "", [BenefitRow("", per % {"amount": money(amount)})])
