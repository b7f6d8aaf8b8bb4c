"""Chinese full-text search: rjieba tokens through FTS5 (SQLite) or tsvector + GIN (PostgreSQL), scoped."""

from __future__ import annotations

import datetime as dt

import pytest

from talentcloud.enterprises.models import Enterprise, IndustryChain
from talentcloud.talents.models import Talent
from talentcloud.talents.selectors import talent_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(units):
    kfq = Enterprise.objects.create(
        name="南京紫峰软件有限公司",
        credit_code="91320115MA1X2Y3W4T",
        park=units["320115-P-KFQ"],
        street=units["320115-S-ML"],
        chain=IndustryChain.objects.get(code="software"),
    )
    gxq = Enterprise.objects.create(
        name="南京星火生物医药有限公司",
        credit_code="91320115MA1AAAAA01",
        park=units["320115-P-GXQ"],
        street=units["320115-S-QL"],
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
    assert names(talent_list(viewer=park, query="明")) == []
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
