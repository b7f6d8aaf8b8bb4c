"""Chinese full-text search: rjieba tokens through FTS5 (SQLite) or tsvector + GIN (PostgreSQL), scoped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentcloud.enterprises.models import IndustryChain
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.talents.models import Talent
from talentcloud.talents.selectors import filters_from, talent_list, talent_list_page
from talentcloud.talents.views.archive import LIST_COLUMNS

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(units):
    kfq = EnterpriseFactory.create(
        name="南京紫峰软件有限公司",
        credit_code="91320115MA1X2Y3W4T",
        chain=IndustryChain.objects.get(code="software"),
    )
    gxq = EnterpriseFactory.create(
        name="南京星火生物医药有限公司", credit_code="91320115MA1AAAAA01", in_gxq=True
    )
    common = {
        "gender": "M",
        "birth_date": dt.date(1985, 1, 1),
        "highest_degree": "doctor",
        "category": "young",
    }
    Talent.objects.create(name="王小明", employer=kfq, post="首席科学家", chain=kfq.chain, **common)
    Talent.objects.create(name="欧阳明月", employer=gxq, post="研发总监", **common)
    Talent.objects.create(name="李华", employer=kfq, post="算法工程师", **common)


def names(qs):
    return sorted(t.name for t in qs)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("王小明", ["王小明"]),
        ("小明", ["王小明"]),
        ("明月", ["欧阳明月"]),
        ("紫峰", ["李华", "王小明"]),
        ("紫峰 科学家", ["王小明"]),
        ("生物医药", ["欧阳明月"]),
        ("软件和信息服务", ["王小明"]),
        ("不存在的词", []),
    ],
)
def test_search_finds_by_name_employer_post_and_chain(people, make_user, query, expected):
    office = make_user("talent-office", "320115-ZZB")
    assert names(talent_list(viewer=office, query=query)) == expected


def test_search_respects_scope_and_follows_edits(people, make_user, login):
    park = make_user("park-staff", "320115-P-KFQ")
    assert names(talent_list(viewer=park, query="明")) == ["王小明"]  # 欧阳明月 works in another park
    assert names(talent_list(viewer=park, query="欧阳明月")) == []
    talent = Talent.objects.get(name="李华")
    talent.post = "首席架构师"
    talent.save()
    assert names(talent_list(viewer=park, query="架构师")) == ["李华"]
    page = login(park).get("/talents/?q=紫峰").content.decode()
    assert "王小明" in page
    assert "欧阳明月" not in page
    api = login(park).get("/api/v1/talents?q=生物医药").json()
    assert api["count"] == 0


# --- one character: a surname, or any character of a name -------------------------------------------------

CHARACTERS = "刘王李欧阳明伟小华"  # surnames (one compound: 欧阳) and given-name characters, overlapping


@pytest.fixture
def office(make_user):
    return make_user("talent-office", "320115-ZZB")


COMMON = {"gender": "F", "birth_date": dt.date(1990, 1, 1), "highest_degree": "master", "category": "young"}
names_strategy = st.text(alphabet=CHARACTERS, min_size=1, max_size=4)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(crowd=st.lists(names_strategy, min_size=1, max_size=12), char=st.sampled_from(CHARACTERS))
def test_one_character_finds_every_name_holding_it_and_no_other(office, crowd, char):
    with transaction.atomic():
        made = [Talent.objects.create(name=name, **COMMON) for name in crowd]
        found = list(talent_list(viewer=office, query=char))
        assert sorted(t.pk for t in found) == sorted(t.pk for t in made if char in t.name), (crowd, char)
        # Surname matches first, each part in name order.
        shown = [t.name for t in found]
        surnames = [n for n in shown if n.startswith(char)]
        assert shown[: len(surnames)] == surnames
        transaction.set_rollback(True)


def test_surname_matches_come_first_on_every_page(office, login):
    surname = [f"刘{given}" for given in "一二三四五六七八九十百千万亿甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳"]  # 30
    elsewhere = ["王刘洋", "张小刘", "欧阳刘", "陈刘"]
    for name in surname + elsewhere:
        Talent.objects.create(name=name, **COMMON)
    Talent.objects.create(name="王小明", **COMMON)
    assert talent_list(viewer=office, query="刘").count() == 34
    client = login(office)
    first = client.get("/talents/?q=刘")
    rows = [t.name for t in first.context["rows"]]
    assert len(rows) == 25
    assert all(n.startswith("刘") for n in rows)
    assert first.context["total"] == 34
    second = client.get("/talents/" + first.context["next_url"])
    rest = [t.name for t in second.context["rows"]]
    assert rest[:5] == [n for n in rest if n.startswith("刘")]  # the last five 刘…, then the others
    assert sorted(rows + rest) == sorted(surname + elsewhere)
    assert len(set(rows + rest)) == 34
    assert not second.context["next_url"]


@pytest.mark.parametrize("query", ["刘", "欧阳", "欧阳明月", "明", "王小", "liu"])
def test_the_pages_walk_the_list_in_its_order_and_count_it(office, query):
    """The list's pages (the surname part a range of the name index, then the other matches) hold exactly
    ``talent_list``'s rows in its order, and the first page counts them."""
    crowd = [
        "刘一",
        "刘二三",
        "王刘洋",
        "欧阳明月",
        "欧阳刘",
        "明欧阳",
        "王小明",
        "王小",
        "小王",
        "陈明",
        "Liu Wei",
    ]
    for n, name in enumerate(crowd * 2):
        Talent.objects.create(name=name, post="liu" if n % 3 == 0 else "", **COMMON)
    expected = [t.pk for t in talent_list(viewer=office, query=query)]
    filters = filters_from({"q": query})
    walked, after, total = [], None, None
    for _ in range(30):
        rows, has_next, counted = talent_list_page(
            viewer=office, filters=filters, columns=LIST_COLUMNS, after=after, cap=1000, size=3
        )
        total = counted if after is None else total
        walked += [t.pk for t in rows]
        if not has_next:
            break
        after = (rows[-1].name, str(rows[-1].pk))
    assert walked == expected
    assert total == len(expected)
