"""Applications on the workflow engine: the whole path, bad moves refused with clear messages, the channel
checked through the registry, consent and one application per post."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from talentcloud.audit.models import AuditEvent
from talentcloud.campaigns.channels import CHANNELS, Channel, channels, parse_via
from talentcloud.campaigns.models import InterviewSlot, JobApplication
from talentcloud.campaigns.services import ApplyInput, application_create
from talentcloud.campaigns.workflow import application_transition
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.workflow.tables import NotAllowed

from .world import apply

pytestmark = pytest.mark.django_db


def later(hours: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


def test_applied_invited_picked_interviewed_offered_accepted(cworld):
    w = cworld
    application = apply(w.talent, w.post_a, via=f"campaign:{w.campaign.pk}")
    assert (application.channel, application.campaign_id) == ("campaign", w.campaign.pk)
    hr = w.r.hr_a
    application_transition(
        actor=hr,
        application=application,
        action="invite",
        slots=[(later(48), "会议室 A"), (later(50), "会议室 A")],
    )
    slot = InterviewSlot.objects.filter(demand=w.post_a).order_by("starts_at")[0]
    application_transition(actor=w.talent, application=application, action="pick", slot=slot.pk)
    application_transition(actor=hr, application=application, action="interviewed")
    application_transition(actor=hr, application=application, action="offer", note="年薪 30 万")
    application_transition(actor=w.talent, application=application, action="accept")
    application.refresh_from_db()
    assert application.state == "accepted"
    steps = list(application.events.values_list("to_state", flat=True))
    assert steps == ["applied", "invited", "scheduled", "interviewed", "offered", "accepted"]
    slot.refresh_from_db()
    assert slot.taken_by_id == application.pk
    actions = set(AuditEvent.objects.filter(object_id=str(application.pk)).values_list("action", flat=True))
    assert {"job_application.apply", "job_application.invite", "job_application.accept"} <= actions


def test_bad_moves_are_refused_with_clear_messages(cworld):
    w = cworld
    application = apply(w.talent, w.post_a)
    with pytest.raises(NotAllowed) as not_now:
        application_transition(actor=w.r.hr_a, application=application, action="offer")
    assert str(not_now.value.message) in (
        "投递处于“已投递”阶段，不能“发出录用”。",
        "“Make an offer” is not possible while the job application is “Applied”.",
    )
    with pytest.raises(PermissionDenied):  # a talent does not invite themself
        application_transition(actor=w.talent, application=application, action="invite", slots=[])
    with pytest.raises(PermissionDenied):  # another enterprise does not answer this post
        application_transition(actor=w.r.hr_b, application=application, action="reject", note="x")
    with pytest.raises(ValidationFailed) as no_reason:
        application_transition(actor=w.r.hr_a, application=application, action="reject", note=" ")
    assert "note" in no_reason.value.fields
    with pytest.raises(ValidationFailed) as no_time:  # an invitation offers at least one time
        application_transition(actor=w.r.hr_a, application=application, action="invite", slots=[])
    assert "slots" in no_time.value.fields
    application.refresh_from_db()
    assert application.state == "applied"
    assert application.events.count() == 1  # nothing half-written
    with pytest.raises(Conflict):  # a stale page
        application_transition(
            actor=w.r.hr_a, application=application, action="reject", note="x", expected_revision=7
        )
    application_transition(actor=w.r.hr_a, application=application, action="reject", note="专业不符")
    application.refresh_from_db()
    assert (application.state, application.reason) == ("rejected", "专业不符")
    with pytest.raises(NotAllowed):
        application_transition(actor=w.talent, application=application, action="withdraw")


def test_a_taken_time_cannot_be_picked_twice(cworld):
    w = cworld
    first, second = apply(w.talent, w.post_a), apply(w.talent_2, w.post_a)
    application_transition(actor=w.r.hr_a, application=first, action="invite", slots=[(later(24), "线上")])
    application_transition(actor=w.r.hr_a, application=second, action="invite", slots=[])
    slot = InterviewSlot.objects.get(demand=w.post_a)
    application_transition(actor=w.talent, application=first, action="pick", slot=slot.pk)
    with pytest.raises(Conflict) as taken:
        application_transition(actor=w.talent_2, application=second, action="pick", slot=slot.pk)
    assert taken.value.message
    second.refresh_from_db()
    assert second.state == "invited"
    # rejecting the first frees the time for the next
    application_transition(actor=w.r.hr_a, application=first, action="reject", note="另有安排")
    application_transition(actor=w.talent_2, application=second, action="pick", slot=slot.pk)
    slot.refresh_from_db()
    assert slot.taken_by_id == second.pk


def test_consent_and_one_application_per_post(cworld):
    w = cworld
    with pytest.raises(ValidationFailed) as no_consent:
        application_create(actor=w.talent, demand=w.post_a, data=ApplyInput(degree="master", consent=False))
    assert "consent" in no_consent.value.fields
    apply(w.talent, w.post_a)
    with pytest.raises(Conflict):
        apply(w.talent, w.post_a)
    with pytest.raises(PermissionDenied):  # an enterprise account does not apply
        apply(w.r.hr_b, w.post_a)
    assert JobApplication.objects.count() == 1


def test_the_channel_is_checked_through_the_registry(cworld, settings):
    w = cworld
    for via, problem in (
        ("nonsense:1", "Unknown channel"),
        ("campaign:not-a-uuid", "does not list"),
        ("campaign:", "needs its reference"),
        ("direct:x", "takes no reference"),
    ):
        with pytest.raises(ValidationFailed) as bad:
            parse_via(via, demand=w.post_a, account=w.talent)
        assert "via" in bad.value.fields, via
        assert bad.value.fields["via"], problem
    assert parse_via("", demand=w.post_a, account=w.talent).kind == "direct"
    closed = w.campaign
    closed.ends_on = timezone.localdate() - dt.timedelta(days=1)
    closed.starts_on = closed.ends_on - dt.timedelta(days=3)
    closed.save()
    with pytest.raises(ValidationFailed):
        parse_via(f"campaign:{closed.pk}", demand=w.post_a, account=w.talent)


def test_a_higher_app_registers_a_channel_kind(cworld, monkeypatch):
    seen = []

    def event_check(ref, demand, account):
        seen.append(ref)
        return None if ref == "E1" else "no such event"

    monkeypatch.setattr(CHANNELS, "items", lambda: [Channel("event", "Talent event", check=event_check)])
    assert "event" in channels()
    application = apply(cworld.talent, cworld.post_a, via="event:E1")
    assert (application.channel, application.channel_ref) == ("event", "E1")
    with pytest.raises(ValidationFailed):
        apply(cworld.talent_2, cworld.post_a, via="event:E2")
    assert seen == ["E1", "E2"]
