"""A service's grade / category / tag lists became one rule of the platform's rule language (ADR 0014): for
any lists and any talent, the old list check (copied here as it was) and the rule admit and refuse the same
people, the migration's conversion is the one the hall uses and reverses, and a refusal is worded by
``rules.explain``."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _
from hypothesis import given, settings
from hypothesis import strategies as st

from talentcloud.rules import explain
from talentcloud.rules.logic import validate
from talentcloud.servicehall.catalogue import eligibility_problem, lists_of_rule, rule_of_lists
from talentcloud.servicehall.forms import ServiceForm
from talentcloud.servicehall.models import Service
from talentcloud.talents.enums import CertificationGrade, PyramidCategory
from talentcloud.talents.models import Talent

MIGRATION = importlib.import_module("talentcloud.servicehall.migrations.0005_service_eligibility")
GRADES = list(CertificationGrade.values)
CATEGORIES = list(PyramidCategory.values)
TAGS = ["海归", "博士后", "创业", "双创"]


def old_eligibility_problem(lists: dict[str, list[str]], talent: Any) -> str | None:
    """The list check before the rule (servicehall/catalogue.py), with the service's lists as a dict."""
    if lists["grades"] and talent.grade not in lists["grades"]:
        return _("For talents of grade %(grades)s.") % {"grades": "、".join(lists["grades"])}
    if lists["categories"] and talent.category not in lists["categories"]:
        return _("Not open to your talent category.")
    if lists["tags"] and not set(lists["tags"]) & set(talent.tags or []):
        return _("For talents tagged %(tags)s.") % {"tags": "、".join(lists["tags"])}
    return None


def subset(values: list[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), unique=True, max_size=len(values)) | st.just([])


service_lists = st.fixed_dictionaries(
    {"grades": subset(GRADES), "categories": subset(CATEGORIES), "tags": subset(TAGS)}
)
talents = st.builds(
    lambda grade, category, tags: Talent(name="甲", grade=grade, category=category, tags=tags),
    grade=st.sampled_from(["", *GRADES]),
    category=st.sampled_from(["", *CATEGORIES]),
    tags=st.none() | st.lists(st.sampled_from([*TAGS, "其他"]), unique=True, max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(lists=service_lists, talent=talents, language=st.sampled_from(["zh-hans", "en"]))
def test_the_rule_admits_and_refuses_exactly_whom_the_lists_did(lists, talent, language):
    rule = MIGRATION.rule_of_lists(lists["grades"], lists["categories"], lists["tags"])
    assert rule == rule_of_lists(lists["grades"], lists["categories"], lists["tags"])  # the hall's own
    assert (
        MIGRATION.lists_of_rule(rule) == lists_of_rule(rule) == lists
    )  # the reverse migration restores them
    assert rule == {} or validate(rule) == []
    service = Service(code="s", name="服务", eligibility=rule)
    with translation.override(language):
        old = old_eligibility_problem(lists, talent)
        new = eligibility_problem(service, talent)
        assert (old is None) == (new is None), (lists, talent.grade, talent.category, talent.tags, new)
        if new is not None:
            # the refusal names, in the rule's plain words, each condition the talent does not meet
            unmet = [
                explain.clause_text(part["fact"], part["op"], part["value"])
                for part in rule["all"]
                if not (
                    (part["fact"] == "grade" and talent.grade in part["value"])
                    or (part["fact"] == "category" and talent.category in part["value"])
                    or (part["fact"] == "tags" and set(part["value"]) & set(talent.tags or []))
                )
            ]
            assert unmet
            assert all(text in new for text in unmet), (new, unmet)


def test_a_refusal_reads_as_the_rule_in_both_languages():
    service = Service(code="s", name="服务", eligibility=rule_of_lists(["A", "B"], [], ["海归"]))
    talent = Talent(name="甲", grade="C", category="young", tags=["海归"])
    with translation.override("en"):
        assert (
            eligibility_problem(service, talent)
            == "You can apply when: certification grade is Grade A or Grade B."
        )
    with translation.override("zh-hans"):
        assert eligibility_problem(service, talent) == "符合以下条件方可申请：人才认定类别为 A 类或 B 类。"
        unknown = Talent(name="乙", grade="", category="young", tags=["海归"])
        assert eligibility_problem(service, unknown) == (
            "我们尚不掌握您的人才认定类别；符合以下条件方可申请：人才认定类别为 A 类或 B 类。"
        )
        untagged = Talent(name="丙", grade="A", category="young", tags=[])
        assert eligibility_problem(service, untagged) == "符合以下条件方可申请：经人才办认定为海归。"
    assert (
        eligibility_problem(Service(code="o", name="开放"), talent) is None
    )  # {}: any talent with an archive
    assert eligibility_problem(service, None) is not None  # no archive


@pytest.mark.django_db
def test_the_catalogue_page_compiles_its_three_inputs_to_the_rule_and_words_it(catalogue, make_user, login):
    office = login(make_user("talent-office", "320115-ZZB"))
    service = catalogue["health-check"]
    assert service.eligibility == {"all": [{"fact": "grade", "op": "in", "value": ["A", "B", "C", "D", "E"]}]}
    form = ServiceForm(instance=service)
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, "")}
    data.update({"grades": ["A", "B"], "categories": [], "tags": "海归，博士后"})
    data["co_departments"] = [d.pk for d in service.co_departments.all()]
    response = office.post("/hall/manage/health-check/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    service.refresh_from_db()
    assert service.eligibility == {
        "all": [
            {"fact": "grade", "op": "in", "value": ["A", "B"]},
            {"fact": "tags", "op": "any_of", "value": ["海归", "博士后"]},
        ]
    }
    words = office.get("/hall/manage/health-check/").content.decode()
    words = words[words.index('data-testid="eligibility-words"') :]
    assert "人才认定类别为 A 类或 B 类；经人才办认定为海归或博士后" in words[: words.index("</p>")].replace(
        "; ", "；"
    )
    guide = Client().get("/hall/guide/health-check/").content.decode()
    assert "经人才办认定为海归或博士后" in guide
