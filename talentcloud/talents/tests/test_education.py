from __future__ import annotations

import datetime as dt

import pytest

from talentcloud.common.errors import PermissionDenied
from talentcloud.talents.models import Education, Qualification, Talent, TalentChange
from talentcloud.talents.services import education_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def talent(kfq_firm):
    return Talent.objects.create(
        name="吴博士",
        gender="M",
        birth_date=dt.date(1985, 1, 1),
        highest_degree="doctor",
        category="young",
        employer=kfq_firm,
    )


def test_staff_add_education_and_titles(talent, make_user, login):
    client = login(make_user("park-staff", "320115-P-KFQ"))
    response = client.post(
        f"/talents/{talent.pk}/education/",
        {"degree": "doctor", "school": "东南大学", "major": "电子科学与技术", "graduated_on": "2015-06-30"},
    )
    assert response.status_code == 302
    client.post(
        f"/talents/{talent.pk}/qualifications/",
        {"kind": "title", "name": "正高级工程师", "level": "江苏省", "year": "2021"},
    )
    page = client.get(f"/talents/{talent.pk}/sections/education/").content.decode()
    assert "东南大学" in page
    assert "正高级工程师" in page
    assert Education.objects.get().source == "staff"
    assert TalentChange.objects.filter(field="education").exists()
    bad = client.post(f"/talents/{talent.pk}/qualifications/", {"kind": "award", "name": "", "year": "1800"})
    assert bad.status_code == 302
    assert Qualification.objects.count() == 1


def test_the_talent_may_declare_education_others_may_not(talent, make_user):
    account = make_user("talent", None)
    talent.account = account
    talent.save()
    record = education_add(actor=account, talent=talent, degree="master", school="河海大学")
    assert record.source == "self"
    with pytest.raises(PermissionDenied):
        education_add(actor=make_user("talent", None), talent=talent, degree="master", school="x")
