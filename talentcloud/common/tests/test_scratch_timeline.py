"""A scratch app's timeline entry (its ``timeline.py``) shows on the talent's archive page, in date order
with the lines the talents app and the service hall contribute, and is gone once the app is not installed.
(The timeline is on the archive page and its PDF; the API has no timeline.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from talentcloud.audit.models import AuditEvent
from talentcloud.talents.liaison import contact_log
from talentcloud.talents.models import Contact, RightsRequest, Talent, TalentChange
from talentcloud.talents.selectors import timeline
from talentcloud.talents.services import rights_request_create, talent_update

from .scratch import scratch_app

pytestmark = pytest.mark.django_db


def _story(client, talent):
    page = client.get(f"/talents/{talent.pk}/").content.decode()
    return page.split('data-testid="timeline"')[1].split("</ul>")[0]


def test_a_scratch_apps_timeline_entry_shows_in_date_order_on_the_archive_page(make_user, login):
    office = make_user("talent-office", "320115-ZZB")
    cadre = make_user("liaison-cadre", "320115-ZZB", display_name="李联络")
    account = make_user("talent", None, username="li.ming")
    talent = Talent.objects.create(
        name="李明", gender="M", birth_date=dt.date(1985, 3, 17), category="young", account=account
    )
    now = timezone.now()
    contact_log(actor=cadre, talent=talent, kind="visit", happened_on=timezone.localdate())
    Contact.objects.filter(talent=talent).update(created_at=now - dt.timedelta(days=2))
    # A change, and its audit event.
    talent_update(actor=office, talent=talent, changes={"post": "首席科学家"})
    TalentChange.objects.filter(talent=talent).update(at=now - dt.timedelta(days=1))
    rights_request_create(actor=account, talent=talent, kind="copy")
    RightsRequest.objects.filter(talent=talent).update(created_at=now + dt.timedelta(minutes=1))
    update = AuditEvent.objects.get(action="talent.update", object_id=str(talent.pk))
    client = login(office)

    story = _story(client, talent)
    assert "talent.update" not in story
    assert "scratch-audit" not in story
    with scratch_app():
        story = _story(client, talent)
        line = f'Audit event <a href="/scratch/audit/{update.pk}/">talent.update</a> · {office.username}'
        assert line in story
        assert '<span data-testid="timeline-scratch-audit-state">scratch</span>' in story
        # Newest first: the request, the audit event, the change, the contact.
        order = [story.index(text) for text in ("复制我的个人信息", line, "首席科学家", "走访 · 李联络")]
        assert order == sorted(order)
        events = timeline(talent)
        assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)
        audit = [e for e in events if e.kind == "scratch-audit"]
        assert audit
        assert all(e.item.title.startswith(("talent.", "pipl.")) for e in audit)
        assert {"change", "contact", "rights", "scratch-audit"} <= {e.kind for e in events}
        # Only the talent's own events: another talent's story does not show them.
        other = Talent.objects.create(name="王芳", gender="F", birth_date=dt.date(1990, 1, 1))
        assert not [e for e in timeline(other) if e.kind == "scratch-audit"]

    story = _story(client, talent)
    assert "talent.update" not in story
    assert "scratch-audit" not in story
    assert "scratch-audit" not in {e.kind for e in timeline(talent)}
