"""The talents' step in an enterprise merge (``talents/enterprise_merge.py``): the people employed by the
removed record are found by the kept enterprise's name, and only they are re-indexed."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import uscc

from talentcloud.enterprises.clashes import clash_merge
from talentcloud.enterprises.models import ClashVia, Enterprise, EnterpriseClash
from talentcloud.talents.models import Talent
from talentcloud.talents.search import talent_tokens

pytestmark = pytest.mark.django_db


def test_the_talents_of_the_merged_record_are_found_by_the_kept_enterprises_name(units, make_user):
    first17 = "91320115MA1X2W901"
    code = first17 + uscc.calc_check_digit(first17)
    place = {"park": units["320115-P-KFQ"], "street": units["320115-S-ML"]}
    existing = Enterprise.objects.create(name="紫金山光电", credit_code=code, **place)
    new = Enterprise.objects.create(name="临时登记公司", credit_code=code, pending_merge=True, **place)
    born = dt.date(1990, 1, 1)
    person = {"gender": "F", "birth_date": born, "highest_degree": "master", "category": "young"}
    moved = Talent.objects.create(name="周晓梅", employer=new, **person)
    moved.search_tokens = talent_tokens(moved)
    stayed = Talent.objects.create(name="吴建国", employer=existing, **person)
    Talent.objects.filter(pk=stayed.pk).update(search_tokens="stale")  # not touched by the merge
    Talent.objects.filter(pk=moved.pk).update(search_tokens=moved.search_tokens)
    clash = EnterpriseClash.objects.create(new=new, existing=existing, via=ClashVia.CREATE)

    clash_merge(actor=make_user("talent-office", "320115-ZZB"), clash_id=clash.pk)

    moved.refresh_from_db()
    assert moved.employer_id == existing.pk
    assert moved.search_tokens == talent_tokens(moved)
    assert {"紫金山", "光电"} <= set(moved.search_tokens.split())
    assert "登记" not in moved.search_tokens.split()
    assert Talent.objects.get(pk=stayed.pk).search_tokens == "stale"
