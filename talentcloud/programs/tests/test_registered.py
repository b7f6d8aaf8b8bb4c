"""What the programmes declare through the registries reaches the platform: notices to the applicant at every
step others take and to an expert when drawn (nothing of a blind call's applicant in it), the application on
the talent's timeline, and the retention rules (a bank account of an application ended without an award,
objections' text after three years)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from talentcloud.notifications.models import Notification
from talentcloud.privacy.retention import retention_sweep
from talentcloud.programs import services
from talentcloud.programs.models import Application, Objection, Publicity, PublicityEntry
from talentcloud.talents.timeline_registry import timeline_entries

from .world import make_world

pytestmark = pytest.mark.django_db


def test_notices_to_the_applicant_and_the_drawn_experts(make_user):
    world = make_world(make_user, blind=True)
    experts = world.experts(3)
    talent = world.talent("欧阳晓明")
    account = talent.account
    assert account is not None
    application = world.application(talent, state="recommended")
    services.move(actor=world.office, application=application, action="return", note="请补充社保证明")
    told = Notification.objects.filter(recipient=talent.account, event="programs.moved").order_by("pk")
    assert [(n.params or {})["state"] for n in told] == [
        {"msgid": "Nominated, waiting for the park or street (属地推荐)"},
        {"msgid": "Recommended, in the office's formal check"},
        {"msgid": "Returned for correction"},
    ]
    assert told.count() == 3  # nominated, recommended, returned: their own submit is not told
    last = told.last()
    assert last is not None
    assert "请补充社保证明" in last.body
    services.move(actor=account, application=application, action="resubmit")
    services.move(actor=world.office, application=application, action="accept")
    ceremony = services.ceremony_record(actor=world.office, call=world.call, digits="123456", witnesses="甲")
    services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
    seated = Notification.objects.filter(event="programs.seated")
    assert {n.recipient_id for n in seated} == {e.user_id for e in experts}
    for notice in seated:
        text = notice.title + notice.body + notice.url
        assert "欧阳" not in text
        assert world.firm.name not in text
        assert application.number not in text


def test_the_timeline_shows_the_application(make_user):
    world = make_world(make_user)
    talent = world.talent()
    world.application(talent)  # a draft is not on the timeline
    assert not [e for e in timeline_entries(talent) if e.kind == "programme_application"]
    submitted = Application.objects.get(talent=talent)
    assert talent.account is not None
    services.move(actor=talent.account, application=submitted, action="submit", pledge=True)
    with translation.override("zh-hans"):
        [line] = [e for e in timeline_entries(talent) if e.kind == "programme_application"]
    assert line.item.title == world.call.title
    assert line.item.label == submitted.number


def test_retention_blanks_old_accounts_and_objections(make_user):
    world = make_world(make_user)
    rejected = world.application(state="recommended")
    services.move(actor=world.office, application=rejected, action="reject", note="不符合条件")
    kept = world.application(state="recommended")
    Application.objects.filter(pk=rejected.pk).update(updated_at=timezone.now() - timedelta(days=400))
    listed = Publicity.objects.create(call=world.call, days=5, published_by=world.office)
    entry = PublicityEntry.objects.create(
        publicity=listed,
        application=kept,
        masked_name="申*",
        employer_name="x",
        programme="x",
        starts_on=dt.date(2021, 1, 4),
        ends_on=dt.date(2021, 1, 8),
    )
    objection = Objection.objects.create(entry=entry, text="旧的异议", status="dismissed")
    retention_sweep()
    assert Application.objects.get(pk=rejected.pk).payee_account == ""
    assert Application.objects.get(pk=kept.pk).payee_account == "6222020000123456789"
    assert Objection.objects.get(pk=objection.pk).text == ""
