from __future__ import annotations

import datetime as dt
import re

import pytest

from talentcloud.audit.models import AuditEvent
from talentcloud.talents.consents import current_consents, withdrawn
from talentcloud.talents.models import Talent
from talentcloud.talents.tests.test_archive_edit import staff_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def talent(kfq_firm):
    return Talent.objects.create(
        name="冯工",
        gender="M",
        birth_date=dt.date(1985, 1, 1),
        highest_degree="master",
        category="young",
        employer=kfq_firm,
        phone="13812345678",
    )


def test_staff_tag_a_talent(talent, make_user, login):

    client = login(make_user("park-staff", "320115-P-KFQ"))
    response = client.post(f"/talents/{talent.pk}/edit/", staff_form(talent, tags="海归、创业， 博士后"))
    assert response.status_code == 302
    talent.refresh_from_db()
    assert talent.tags == ["海归", "创业", "博士后"]
    assert "海归、创业、博士后" in client.get(f"/talents/{talent.pk}/").content.decode()


def test_a_talent_gives_and_withdraws_consent(talent, make_user, login):
    account = make_user("talent", None)
    talent.account = account
    talent.save()
    client = login(account)
    # 免申即享 notices are on until turned off, and the box says so; the others wait for an answer.
    assert current_consents(talent) == {
        "policy_push": True,
        "data_sharing": None,
        "recruitment": None,
        "cross_border": None,  # stations' purpose (#26)
        "visits": None,
    }
    assert re.search(r'name="consent_policy_push"[^>]* checked', client.get("/talents/me/").content.decode())
    client.post("/talents/me/", {"consent": "1", "consent_policy_push": "1", "consent_visits": "1"})
    assert current_consents(talent) == {
        "policy_push": True,
        "data_sharing": False,
        "recruitment": False,  # matching's purpose (#26), answered by the same form
        "cross_border": False,  # stations' purpose (#26), the same
        "visits": True,
    }
    client.post("/talents/me/", {"consent": "1", "consent_visits": "1"})
    assert current_consents(talent)["policy_push"] is False
    assert withdrawn("policy_push") == {talent.pk}
    assert AuditEvent.objects.filter(action="consent.set").count() == 5  # the default needs no row
    assert not re.search(
        r'name="consent_policy_push"[^>]* checked', client.get("/talents/me/").content.decode()
    )
    client.post("/talents/me/", {"consent": "1", "consent_policy_push": "1"})
    assert withdrawn("policy_push") == set()  # the newest answer counts
    page = client.get("/talents/me/")
    assert page.status_code == 200  # a plain visit is not a submission
    assert 'data-testid="consent-visits"' in page.content.decode()
