"""Archive edits through the API: the same checks and history as the pages, the same scope."""

from __future__ import annotations

import datetime as dt

import pytest

from talentcloud.talents.models import FactRecord, Talent, TalentChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def talent(kfq_firm):
    return Talent.objects.create(
        name="赵云帆",
        gender="M",
        birth_date=dt.date(1990, 4, 2),
        highest_degree="master",
        category="young",
        employer=kfq_firm,
        id_number="320115199004021235",
    )


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def test_staff_patch_changes_only_what_is_sent_and_keeps_history(make_user, login, talent):
    client = login(make_user("park-staff", "320115-P-KFQ"))
    response = patch(
        client, f"/api/v1/talents/{talent.pk}", {"post": "首席科学家", "highest_degree": "doctor"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["post"] == "首席科学家"
    talent.refresh_from_db()
    assert (talent.highest_degree, talent.name) == ("doctor", "赵云帆")
    assert FactRecord.objects.get(talent=talent, key="highest_degree").verified
    history = client.get(f"/api/v1/talents/{talent.pk}/changes").json()["items"]
    assert {c["field"] for c in history} == {"post", "highest_degree"}


def test_bad_values_are_named_and_nothing_changes(make_user, login, talent):
    client = login(make_user("park-staff", "320115-P-KFQ"))
    response = patch(client, f"/api/v1/talents/{talent.pk}", {"post": "x", "id_number": "320115199004021236"})
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"id_number"}
    response = patch(client, f"/api/v1/talents/{talent.pk}", {"highest_degree": "postdoc"})
    assert response.status_code == 422
    assert "highest_degree" in response.json()["fields"]
    assert not TalentChange.objects.filter(talent=talent).exists()


def test_other_parks_and_readers_cannot_patch(make_user, login, talent):
    other = login(make_user("park-staff", "320115-P-GXQ"))
    assert patch(other, f"/api/v1/talents/{talent.pk}", {"post": "改"}).status_code == 404
    cadre = login(make_user("liaison-cadre", "320115-ZZB"))
    assert patch(cadre, f"/api/v1/talents/{talent.pk}", {"post": "改"}).status_code == 403
    talent.refresh_from_db()
    assert talent.post == ""


def test_a_talent_corrects_their_own_record_verified_facts_wait(make_user, login, talent):
    account = make_user("talent", None)
    talent.account = account
    talent.save()
    FactRecord.objects.create(
        talent=talent,
        key="highest_degree",
        value="master",
        source="staff",
        as_of=dt.date(2026, 1, 1),
        verified=True,
    )
    client = login(account)
    assert client.get("/api/v1/talents/me").json()["name"] == "赵云帆"
    response = patch(client, "/api/v1/talents/me", {"phone": "13912345678", "highest_degree": "doctor"})
    assert response.status_code == 200, response.content
    assert response.json() == {"applied": ["phone"], "pending": ["highest_degree"]}
    talent.refresh_from_db()
    assert talent.highest_degree == "master"
    refused = patch(client, "/api/v1/talents/me", {"name": "改名"})
    assert refused.status_code == 422
