"""On an enterprise's accounts page the reader sees their own name in full and other people's masked; who
confirmed an account is named by name, not username."""

from __future__ import annotations

import pytest

from talentcloud.enterprises.models import EnterpriseMember

pytestmark = pytest.mark.django_db


def test_an_hr_account_sees_its_own_name_unmasked(kfq_firm, make_user, login):
    staff = make_user("park-staff", "320115-P-KFQ", display_name="王园区")
    admin = make_user("enterprise-hr", None, username="li.admin", display_name="李管理")
    hr = make_user("enterprise-hr", None, username="zhang.hr", display_name="张人事")
    EnterpriseMember.objects.create(enterprise=kfq_firm, user=admin, is_admin=True, confirmed_by=staff)
    EnterpriseMember.objects.create(enterprise=kfq_firm, user=hr, confirmed_by=admin)

    page = login(hr).get(f"/enterprises/{kfq_firm.pk}/members/").content.decode()
    assert 'data-testid="member-name-zhang.hr">张人事<' in page  # their own name, in full
    assert 'data-testid="member-name-li.admin">李**<' in page  # someone else's, masked
    assert "王园区" in page  # who confirmed: a name, not a username
    assert staff.username not in page

    as_admin = login(admin).get(f"/enterprises/{kfq_firm.pk}/members/").content.decode()
    assert 'data-testid="member-name-li.admin">李管理<' in as_admin
    assert 'data-testid="member-name-zhang.hr">张**<' in as_admin
