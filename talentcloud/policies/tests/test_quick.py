"""The anonymous calculator asks the most deciding question next and settles policies answer by answer."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from talentcloud.policies.engine import NONE, calculate_for_facts, parse_answers, quick_facts
from talentcloud.policies.loader import library_install
from talentcloud.policies.models import Policy, PolicyStatus
from talentcloud.rules.logic import facts_used
from talentcloud.servicehall.seed import catalogue_install

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(units):
    cache.clear()
    catalogue_install()
    library_install()
    yield
    cache.clear()


def asked(page: str) -> str:
    return re.search(r'name="(\w+)" id="q-', page).group(1)  # type: ignore[union-attr]


def test_questions_narrow_the_policies_down(library):
    client = Client()
    first = client.get("/policies/quick/").content.decode()
    assert asked(first) == "grade"  # grade decides the most policies of the library
    undecided = int(re.search(r'data-testid="undecided">\D*(\d+)', first).group(1))  # type: ignore[union-attr]
    page = client.get("/policies/quick/?grade=B").content.decode()
    now = int(re.search(r'data-testid="undecided">\D*(\d+)', page).group(1))  # type: ignore[union-attr]
    assert now < undecided
    assert 'data-testid="quick-school-place"' in page  # grade B: a school place
    assert asked(page) != "grade"
    ignored = client.get("/policies/quick/?grade=Z&age=abc").content.decode()
    assert asked(ignored) == "grade"  # malformed answers are dropped, not errors


def test_it_is_rate_limited(library, settings):
    settings.RATELIMIT_CALCULATOR = "3/d"  # a day: a window boundary never falls between the requests
    client = Client()
    codes = [client.get("/policies/quick/").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200]
    assert 403 in codes[3:] or 429 in codes[3:]


STATUS_FACTS = {"tier", "grade", "category"}


def walk(client: Client, choose) -> tuple[list[str], str, str]:
    """Answer every question the calculator asks with ``choose(page, key)``; the keys asked in order, the
    final page and its address."""
    url, keys = "/policies/quick/", list[str]()
    for _ in range(30):
        page = client.get(url).content.decode()
        if 'id="q-' not in page:
            return keys, page, url
        key = asked(page)
        keys.append(key)
        url += ("&" if "?" in url else "?") + f"{key}={choose(page, key)}"
    raise AssertionError(f"the calculator kept asking: {keys}")


def honest(page: str, key: str) -> str:
    """ "None" where the question offers it, else "not sure" (an earlier answer "none", carried in a hidden
    field, is not an offer of this question)."""
    question = re.search(rf'<select name="{key}" id="q-{key}".*?</select>', page, re.S)
    return "none" if question and 'value="none"' in question.group(0) else "unsure"


def granted(page: str) -> set[str]:
    return set(re.findall(r'data-testid="quick-([\w-]+)"', page))


def test_answering_none_or_not_sure_everywhere_grants_nothing_needing_a_tier_grade_or_category(library):

    rules = {p.code: p.rule for p in Policy.objects.filter(status=PolicyStatus.PUBLISHED, target="talent")}
    needing = {code for code, rule in rules.items() if facts_used(rule) & STATUS_FACTS}
    assert needing  # the library has such policies
    for choose in (honest, lambda page, key: "unsure"):
        keys, page, _url = walk(Client(), choose)
        assert len(keys) == len(set(keys))  # each fact asked once
        assert "degree_rank" not in keys  # the degree's level follows from the degree
        assert set(keys) >= STATUS_FACTS
        assert not granted(page) & needing, granted(page) & needing
        assert 'data-testid="undecided"' in page


def test_every_question_offers_an_honest_way_out(library):
    client = Client()
    keys, _page, _url = walk(client, honest)
    url = "/policies/quick/"
    for key in keys:
        page = client.get(url).content.decode()
        assert asked(page) == key
        assert 'value="unsure"' in page  # 不确定 on every question
        if key in (*STATUS_FACTS, "highest_degree"):
            assert 'value="none"' in page  # 无 / 未认定 where a status may simply be missing
        url += ("&" if "?" in url else "?") + f"{key}={honest(page, key)}"
    final = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "未认定" in final  # the visitor's answers read back in words
    assert "无（未入选英才计划）" in final


def test_none_is_a_value_and_not_sure_is_unknown(library):

    answers = parse_answers({"tier": "none", "grade": "unsure", "highest_degree": "none", "age": "30"})
    assert answers == {"tier": NONE, "grade": None, "highest_degree": NONE, "age": 30}
    facts = quick_facts(answers)
    assert facts["degree_rank"] == 0
    verdicts = {v.policy.code: v.status for v in calculate_for_facts(facts)}
    assert verdicts["pioneer-startup-grant"] == "not_eligible"  # no tier: decided, not granted
    assert verdicts["school-place"] == "missing"  # grade not known: information missing
    assert quick_facts(parse_answers({"highest_degree": "unsure"}))["degree_rank"] is None
    assert quick_facts(parse_answers({"highest_degree": "master"}))["degree_rank"] == 3


def test_ages_read_in_sui(library):
    page = Client().get("/policies/quick/?age=30", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "30 岁" in page
    assert "30 年" not in page
