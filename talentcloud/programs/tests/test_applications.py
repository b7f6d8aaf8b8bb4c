"""Applications (#24): eligibility clause by clause before applying, the way employer → park or street
(属地推荐, within data scope) → office formal check on the shared engine, return for correction pausing the
clock, rejection with a reason, and the applicant seeing every step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.programs import selectors, services
from talentcloud.programs.models import Application, Pause, Quota
from talentcloud.workflow.tables import NotAllowed

from .world import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    return make_world(make_user)


def test_the_applicant_sees_clause_by_clause_why_they_cannot_apply(world):
    old = world.talent("年长者", born=dt.date(1960, 1, 1))
    outcome = services.eligibility(world.call, old)
    assert outcome.status == "failed"
    [clause] = outcome.decisive
    assert clause.fact == "age"
    assert "45" in clause.reason()
    with pytest.raises(ValidationFailed) as refused:
        services.application_create(actor=old.account, call=world.call, title="项目", field="F03")
    assert "45" in str(refused.value.fields["call"][0])
    assert not Application.objects.exists()
    young = world.talent("年轻人")
    assert services.eligibility(world.call, young).status == "passed"


def test_bad_input_is_named_at_the_field_and_nothing_is_written(world):
    talent = world.talent()
    with pytest.raises(ValidationFailed) as refused:
        services.application_create(actor=talent.account, call=world.call, title=" ", field="xx")
    assert set(refused.value.fields) == {"title", "field"}
    assert not Application.objects.exists()


def test_a_closed_call_refuses_applications(world):
    world.call.closes_on = timezone.localdate() - dt.timedelta(days=1)
    world.call.save()
    talent = world.talent()
    with pytest.raises(Conflict):
        services.application_create(actor=talent.account, call=world.call, title="项目", field="F03")


def test_submit_needs_the_integrity_pledge(world):
    application = world.application()
    with pytest.raises(ValidationFailed) as refused:
        services.move(actor=application.talent.account, application=application, action="submit")
    assert "pledge" in refused.value.fields
    moved = services.move(
        actor=application.talent.account, application=application, action="submit", pledge=True
    )
    assert moved.state == "submitted"
    assert Application.objects.get(pk=application.pk).pledged_at is not None


def test_the_way_through_employer_park_and_office_with_every_step_seen(world):
    application = world.application(state="recommended")
    assert application.recommended_on == timezone.localdate()
    account = application.talent.account
    returned = services.move(
        actor=world.office, application=application, action="return", note="请补充学位证书"
    )
    assert returned.state == "returned"
    assert Pause.objects.get(application=application).end is None
    services.move(actor=account, application=returned, action="resubmit")
    assert Pause.objects.get(application=application).end == timezone.localdate()
    accepted = services.move(actor=world.office, application=returned, action="accept")
    assert accepted.state == "accepted"
    steps = list(
        selectors.application_get(viewer=account, pk=application.pk).events.values_list("action", "note")
    )
    assert [a for a, _n in steps] == ["submit", "nominate", "recommend", "return", "resubmit", "accept"]
    assert ("return", "请补充学位证书") in steps
    assert AuditEvent.objects.filter(
        action="programs.application.accept", object_id=str(application.pk)
    ).exists()


def test_reject_needs_a_reason(world):
    application = world.application(state="recommended")
    with pytest.raises(ValidationFailed) as refused:
        services.move(actor=world.office, application=application, action="reject")
    assert "note" in refused.value.fields
    rejected = services.move(actor=world.office, application=application, action="reject", note="材料不实")
    assert rejected.state == "rejected"


def test_a_park_sees_and_recommends_only_its_own_enterprises_applications(world):
    mine = world.application(state="nominated")
    elsewhere_firm = EnterpriseFactory.create(in_gxq=True)
    theirs = world.application(world.talent(firm=elsewhere_firm), state="nominated")
    assert list(selectors.application_list(viewer=world.park)) == [mine]
    assert list(selectors.application_list(viewer=world.other_park)) == [theirs]
    with pytest.raises(PermissionDenied):
        services.move(actor=world.other_park, application=mine, action="recommend")
    assert Application.objects.get(pk=mine.pk).state == "nominated"
    services.move(actor=world.other_park, application=theirs, action="recommend")


def test_only_the_employer_nominates(world):
    application = world.application(state="submitted")
    other_hr = world.hr_of(EnterpriseFactory.create())
    with pytest.raises(PermissionDenied):
        services.move(actor=other_hr, application=application, action="nominate")
    with pytest.raises(PermissionDenied):
        services.move(actor=application.talent.account, application=application, action="nominate")
    with pytest.raises(NotAllowed):
        services.move(actor=world.office, application=application, action="accept")


def test_the_nomination_quota_holds(world):
    Quota.objects.create(call=world.call, enterprise=world.firm, places=1)
    first = world.application(state="submitted")
    second = world.application(state="submitted")
    services.move(actor=world.hr, application=first, action="nominate")
    with pytest.raises(Conflict, match="名额"):
        services.move(actor=world.hr, application=second, action="nominate")
    assert Application.objects.get(pk=second.pk).state == "submitted"


def test_one_application_per_call(world):
    talent = world.talent()
    world.application(talent)
    with pytest.raises(Conflict):
        services.application_create(actor=talent.account, call=world.call, title="另一个", field="F03")
