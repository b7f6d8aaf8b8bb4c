"""Rules in plain words, for the public pages (a policy's page, the service guide, any eligibility question).

``logic.describe`` and the calculator's reasons speak the rule's own terms ("≥ 3", "硕士或博士") to staff
who write rules; the public reads sentences: "最高学历为硕士及以上", "年龄不超过 35 周岁",
"人才认定类别为 A 类、B 类或 C 类". No comparison symbol, no code of a fact or parameter reaches the
text: a parameter is shown by its value on the day, an enumerated value by its label. Money is shown in 元
and, from ten thousand up, in 万元 (English: yuan). How a fact reads is declared with it (``Fact.words``,
``phrases``, ``levels``, ``plain_label``), so a fact any app declares is put into words the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from .facts import BOOL, DATE, ENUM, FACTS, Fact
from .periods import as_date, period_of


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


def join_words(items: list[str]) -> str:
    """ "A、B 或 C" / "A, B or C"."""
    if len(items) <= 1:
        return "".join(items)
    if _zh():
        last = items[-1]
        return "、".join(items[:-1]) + "或" + (" " if last[:1].isascii() else "") + last
    return ", ".join(items[:-1]) + " " + _("or") + " " + items[-1]


def value_words(fact: Fact, value: Any) -> str:
    """A value of the fact as a sentence says it ("35 周岁", "5 年", "30%", "80 万元", "硕士", "A 类")."""
    if fact.words == "age":
        return _("%(n)s years old") % {"n": value}
    if fact.words == "years":
        return ngettext("%(n)s year", "%(n)s years", int(value)) % {"n": value}
    if fact.words == "percent":
        return f"{value}%"
    if fact.words == "ten_thousand_yuan":  # figures kept in 万元
        return money(Decimal(str(value)) * 10000)
    if fact.levels:
        return _level(fact, value)
    if fact.type == ENUM or fact.choices_from is not None:
        return str(dict(fact.options()).get(value, value))
    return str(value)


def _level(fact: Fact, rank: Any) -> str:
    name = dict(fact.levels).get(rank)
    return str(name) if name else str(rank)


def label_words(fact: Fact) -> str:
    """The fact's name in a sentence."""
    return str(fact.plain_label if fact.plain_label is not None else fact.label)


# -- clauses ------------------------------------------------------------------------------------------


def _bool_clause(fact: Fact, wanted: bool) -> str:
    phrase = dict(fact.phrases).get(wanted)
    if phrase is not None:
        return str(phrase)
    answer = _("yes") if wanted else _("no")
    return _("%(label)s: %(answer)s") % {"label": label_words(fact), "answer": answer}


def _level_clause(fact: Fact, op: str, value: Any) -> str:
    """A ranked fact (a degree's level) by the names of its levels: "硕士及以上"."""
    label = label_words(fact)
    ranks = [rank for rank, _name in fact.levels]
    if op in ("in", "not_in"):
        names = join_words([_level(fact, v) for v in value])
        template = _("%(label)s is %(values)s") if op == "in" else _("%(label)s is not %(values)s")
        return template % {"label": label, "values": names}
    if op == "between":
        return _("%(label)s from %(low)s to %(high)s") % {
            "label": label,
            "low": _level(fact, value[0]),
            "high": _level(fact, value[1]),
        }
    if op == ">":
        op, value = ">=", value + 1
    if op == "<":
        op, value = "<=", value - 1
    if op == ">=" and value <= min(ranks):
        op = "any"
    if op == "<=" and value >= max(ranks):
        op = "any"
    templates = {
        ">=": _("%(label)s %(degree)s or higher"),
        "<=": _("%(label)s %(degree)s or lower"),
        "==": _("%(label)s is %(degree)s"),
        "!=": _("%(label)s is not %(degree)s"),
        "any": _("%(label)s: any"),
    }
    return templates[op] % {"label": label, "degree": _level(fact, value)}


def continuing_mark() -> str:
    """Said after a condition judged again before every payment."""
    return _(" (checked again before every payment)")


def period_words(value: Any) -> str:
    """{"years": 5} → "5 年" / "5 years"; months and days alike."""
    unit, n = period_of(value) or ("days", 0)
    if unit == "years":
        return ngettext("%(n)s year", "%(n)s years", int(n)) % {"n": n}
    if unit == "months":
        return ngettext("%(n)s month", "%(n)s months", int(n)) % {"n": n}
    return ngettext("%(n)s day", "%(n)s days", int(n)) % {"n": n}


def date_clause_text(fact: Fact, op: str, value: Any, as_of: Any = None) -> str:
    """A date clause as the policy text says it: "毕业 5 年以内", "不超过 35 周岁", "成立届满 1 年". 以内 and
    届满 include the anniversary, 超过 and 不满 exclude it (ADR 0017)."""
    event = label_words(fact)
    unit, n = period_of(value) or ("days", 0)
    if fact.words == "age" and unit == "years":
        if op == "not_reached":  # before the N-th birthday: not older than N − 1 周岁
            text = _("not older than %(n)s (before the %(next)s-th birthday)") % {"n": int(n) - 1, "next": n}
        elif op == "reached":
            text = _("aged %(n)s or older") % {"n": n}
        elif op == "within":
            text = _("at most %(n)s years since birth (the %(n)s-th birthday included)") % {"n": n}
        else:
            text = _("more than %(n)s years since birth") % {"n": n}
    elif op == "reached" and int(n) == 0:  # the day is on record and has come: "在区缴纳社保"
        text = _("%(event)s (on record)") % {"event": event}
    else:
        templates = {
            "within": _("%(event)s within %(period)s (the anniversary included)"),
            "beyond": _("%(event)s more than %(period)s ago"),
            "reached": _("%(event)s at least %(period)s ago (the anniversary included)"),
            "not_reached": _("%(event)s less than %(period)s ago"),
        }
        text = templates[op] % {"event": event, "period": period_words(value)}
    day = as_date(as_of)
    if day is not None:
        text += _(" (as of %(date)s)") % {"date": day.isoformat()}
    return text


CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])")


def clause_text(fact_key: str, op: str, value: Any) -> str:
    """One condition as a sentence in the reader's language (no symbols, no codes). Chinese keeps a space
    between Chinese and Latin letters or digits ("为 A 类", "不超过 35 周岁") and none between two Chinese
    characters ("为博士")."""
    text = _clause_text(fact_key, op, value)
    return CJK_SPACE.sub("", text) if _zh() else text


def _clause_text(fact_key: str, op: str, value: Any) -> str:
    fact = FACTS[fact_key]
    if fact.type == DATE:
        return date_clause_text(fact, op, value)
    if fact.type == BOOL:
        wanted = bool(value) if op == "==" else not bool(value)
        return _bool_clause(fact, wanted)
    if fact.levels:
        return _level_clause(fact, op, value)
    label = label_words(fact)
    if op == "any_of":  # a list of labels sharing one with the value
        if fact.words == "tags":
            return tags_line(list(value))
        names = join_words([value_words(fact, v) for v in value])
        return _("%(label)s include %(values)s") % {"label": label, "values": names}
    if op in ("in", "not_in"):
        values = join_words([value_words(fact, v) for v in value])
        template = _("%(label)s is %(values)s") if op == "in" else _("%(label)s is not %(values)s")
        return template % {"label": label, "values": values}
    if op == "between":
        return _("%(label)s from %(low)s to %(high)s") % {
            "label": label,
            "low": value_words(fact, value[0]),
            "high": value_words(fact, value[1]),
        }
    if op == ">=" and value == 0 and fact.words == "years":
        return _("%(label)s: on record (any length)") % {"label": label}
    templates = {
        "==": _("%(label)s is %(value)s"),
        "!=": _("%(label)s is not %(value)s"),
        "<": _("%(label)s under %(value)s"),
        "<=": _("%(label)s not more than %(value)s"),
        ">": _("%(label)s more than %(value)s"),
        ">=": _("%(label)s at least %(value)s"),
    }
    return templates[op] % {"label": label, "value": value_words(fact, value)}


def tags_line(tags: list[str]) -> str:
    """Talents the office listed with one of some tags (the ``tags`` fact with "any_of")."""
    return _("listed by the talent office as %(tags)s") % {"tags": join_words([str(t) for t in tags])}


def conditions(
    rule: dict[str, Any], params: dict[str, Any], depth: int = 0, inherited: str = "entry"
) -> list[Line]:
    """The rule as sentences: the conditions of a top-level "all" one per line; "any" and "not" with a
    heading and their parts indented under it. Parameters are shown by their value (``params``). A condition
    judged again before every payment (``"when": "continuing"``) says so."""
    when = rule.get("when", inherited)
    mark = continuing_mark() if when == "continuing" and inherited != "continuing" else ""
    if "all" in rule:
        if depth == 0 and not mark:
            return [line for part in rule["all"] for line in conditions(part, params, 0, when)]
        lines = [Line(depth, _("all of the following:") + mark)]
        for part in rule["all"]:
            lines += conditions(part, params, depth + 1, when)
        return lines
    if "any" in rule:
        lines = [Line(depth, _("one of the following:") + mark)]
        for part in rule["any"]:
            lines += conditions(part, params, depth + 1, when)
        return lines
    if "not" in rule:
        return [
            Line(depth, _("none of the following:") + mark),
            *conditions(rule["not"], params, depth + 1, when),
        ]
    value = rule["value"]
    named = value.get("param") if isinstance(value, dict) else None
    period = period_of(value)
    if period is not None and isinstance(period[1], dict):
        named = period[1].get("param")
        value = {period[0]: params.get(str(named))} if params.get(str(named)) is not None else None
    elif named is not None:
        value = params.get(named)
    if value is None:
        return [
            Line(
                depth,
                _("%(label)s: as the current rules set it") % {"label": label_words(FACTS[rule["fact"]])}
                + mark,
            )
        ]
    fact = FACTS[rule["fact"]]
    if fact.type == DATE:
        text = date_clause_text(fact, rule["op"], value, rule.get("as_of"))
        return [Line(depth, (CJK_SPACE.sub("", text) if _zh() else text) + mark)]
    return [Line(depth, clause_text(rule["fact"], rule["op"], value) + mark)]
