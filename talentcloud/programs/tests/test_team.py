"""Team applications (#24): a member without an archive record gets a light person record (name, gender and
birth date from the ID number, the number encrypted, no account, no employer) that the person claims later
through the existing claim flow (signing up with that number); a member whose number the archive knows is
linked to that record; a bad number is refused at the member's row with nothing written."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from talentcloud.accounts import sms
from talentcloud.common.errors import ValidationFailed
from talentcloud.programs import services
from talentcloud.programs.models import Application, Member
from talentcloud.talents.models import Talent
from talentcloud.talents.tests.test_clashes import sign_up

from .world import make_world

pytestmark = pytest.mark.django_db


def resident_id(body: str) -> str:
    """An 18-character resident ID number with its GB 11643 check character."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


NEW = resident_id("32011519900307123")  # odd 17th digit: male
KNOWN = resident_id("32011519850612242")


@pytest.fixture
def clean_sms():
    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()


def test_a_member_without_a_record_gets_a_light_one_the_person_claims_later(make_user, clean_sms):
    world = make_world(make_user)
    known = Talent.objects.create(
        name="赵敏",
        gender="F",
        birth_date="1985-06-12",
        highest_degree="doctor",
        category="",
        id_number=KNOWN,
    )
    application = world.application(
        members=[
            services.MemberInput("王小明", "东南大学", id_number=NEW),
            services.MemberInput("赵敏", "南京大学", id_number=KNOWN),
            services.MemberInput("钱多多", "河海大学"),
        ]
    )
    new, linked, plain = Member.objects.filter(application=application).order_by("pk")
    assert linked.talent_id == known.pk
    assert plain.talent_id is None
    assert new.talent_id is not None
    light = Talent.objects.get(pk=new.talent_id)
    assert (light.name, light.gender, str(light.birth_date)) == ("王小明", "M", "1990-03-07")
    assert (light.account_id, light.employer_id, light.id_number) == (None, None, NEW)
    # the person signs up with their number: the light record is the archive they claim
    response = sign_up(Client(), username="wang.xiaoming", id_number=NEW, phone="13912345670")
    assert response.status_code == 302, response.content.decode()[:500]
    light.refresh_from_db()
    assert light.account is not None
    assert light.account.username == "wang.xiaoming"
    assert Talent.objects.filter(name="王小明").count() == 1


def test_a_bad_member_number_is_refused_at_its_row_and_nothing_is_written(make_user):
    world = make_world(make_user)
    applicant = world.talent()
    before = Talent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        world.application(
            applicant,
            members=[
                services.MemberInput("王小明", "东南大学", id_number=NEW),
                services.MemberInput("孙小美", "南京大学", id_number="320115199013011234"),
            ],
        )
    assert list(refused.value.fields) == ["members[1]"]
    assert Talent.objects.count() == before
    assert not Application.objects.exists()
