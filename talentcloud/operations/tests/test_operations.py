from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from talentcloud.accounts.permissions import AccountPerm, admin_groups_of
from talentcloud.accounts.selectors import session_ref
from talentcloud.accounts.services import role_validate_permissions
from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import ValidationFailed
from talentcloud.common.models import CalendarOverride, ScheduledSlot, SchedulerLease, SlotOutcome
from talentcloud.conftest import PASSWORD
from talentcloud.infra.scheduling import configured_jobs
from talentcloud.operations import selectors
from talentcloud.operations.permissions import OperationsPerm
from talentcloud.web import views as web_views

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(make_user):
    return make_user("system-admin", "320115-ZZB")


@pytest.fixture
def secadmin(make_user):
    return make_user("security-admin", "320115-ZZB")


def _failed_slot(job: str = "heartbeat") -> ScheduledSlot:
    at = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    return ScheduledSlot.objects.create(
        job=job,
        slot=at,
        runs=1,
        started_at=at,
        heartbeat_at=at,
        finished_at=at,
        outcome=SlotOutcome.FAILED,
        message="OperationalError",
    )


def test_sysadmin_reruns_a_failed_scheduled_job_from_its_page(sysadmin, login):
    failed = _failed_slot()
    client = login(sysadmin)
    page = client.get("/ops/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f"/ops/slots/{failed.pk}/rerun/" in body
    assert "OperationalError" in body
    response = client.post(f"/ops/slots/{failed.pk}/rerun/")
    assert response.status_code == 302
    new = ScheduledSlot.objects.exclude(pk=failed.pk).get(job="heartbeat")
    assert new.task_id  # enqueued through the scheduler's slot mechanism
    assert new.outcome == SlotOutcome.DONE  # the test settings run tasks at once
    assert new.runs == 1
    failed.refresh_from_db()
    assert failed.outcome == SlotOutcome.FAILED  # the failed run stays in the record
    event = AuditEvent.objects.get(action="schedule.rerun")
    assert event.actor_id == sysadmin.pk
    assert event.object_id == str(failed.pk)
    assert event.details["new_slot"] == new.pk
    assert event.source_ip == "127.0.0.1"
    # the failed-only list still offers the old run; the new one succeeded and offers nothing
    failed_list = client.get("/ops/?outcome=failed").content.decode()
    assert f"/ops/slots/{failed.pk}/rerun/" in failed_list
    assert f"/ops/slots/{new.pk}/rerun/" not in failed_list


def test_only_a_failed_run_can_be_run_again(sysadmin, login):
    client = login(sysadmin)
    client.cookies["tc_language"] = "en"
    done = _failed_slot()
    ScheduledSlot.objects.filter(pk=done.pk).update(outcome=SlotOutcome.DONE)
    response = client.post(f"/ops/slots/{done.pk}/rerun/", follow=True)
    assert response.status_code == 200
    assert "Only a failed run can be run again." in response.content.decode()
    assert ScheduledSlot.objects.count() == 1
    assert not AuditEvent.objects.filter(action="schedule.rerun").exists()
    assert client.post("/ops/slots/999999/rerun/").status_code == 404
    gone = _failed_slot(job="no_such_job")
    client.post(f"/ops/slots/{gone.pk}/rerun/")
    assert ScheduledSlot.objects.filter(job="no_such_job").count() == 1


def test_schedule_lists_every_job_with_its_next_run(sysadmin, login):
    body = login(sysadmin).get("/ops/").content.decode()
    for name in [job.name for job in configured_jobs()]:
        assert f"<code>{name}</code>" in body


def test_secadmin_forces_a_sign_out_and_the_users_next_request_is_refused(secadmin, make_user, login):
    office_user = make_user("talent-office", "320115-ZZB")
    victim = login(office_user)
    assert victim.get("/inbox/").status_code == 200  # signed in
    ref = session_ref(victim.session.session_key)
    admin = login(secadmin)
    page = admin.get("/ops/sessions/")
    assert page.status_code == 200
    body = page.content.decode()
    assert office_user.username in body
    assert ref in body
    assert victim.session.session_key not in body  # the key itself never leaves the server
    response = admin.post("/ops/sessions/", {"session": ref})
    assert response.status_code == 302
    refused = victim.get("/inbox/")
    assert refused.status_code == 302
    assert refused["Location"].startswith("/accounts/login/")
    event = AuditEvent.objects.get(action="session.end")
    assert event.actor_id == secadmin.pk
    assert event.object_id == str(office_user.pk)
    # the administrator's own session goes on; a session that has ended cannot be ended twice
    again = admin.post("/ops/sessions/", {"session": ref}, follow=True)
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action="session.end").count() == 1
    assert office_user.username not in again.content.decode().split("<tbody>")[1]


def test_neither_administrator_opens_the_others_page(sysadmin, secadmin, make_user, login):
    failed = _failed_slot()
    sys_client, sec_client = login(sysadmin), login(secadmin)
    assert sys_client.get("/ops/sessions/").status_code == 403
    assert sys_client.post("/ops/sessions/", {"session": "x"}).status_code == 403
    for path in ("/ops/", "/ops/health/"):
        assert sec_client.get(path).status_code == 403
    assert sec_client.post(f"/ops/slots/{failed.pk}/rerun/").status_code == 403
    office = login(make_user("talent-office", "320115-ZZB"))
    for path in ("/ops/", "/ops/health/", "/ops/sessions/"):
        assert office.get(path).status_code == 403
    assert ScheduledSlot.objects.count() == 1
    assert not AuditEvent.objects.filter(action__in=["schedule.rerun", "session.end"]).exists()
    # the two codes stay in separate admin groups: no role may hold both
    assert admin_groups_of({OperationsPerm.SYSTEM_STATUS}) == {"system"}
    assert admin_groups_of({AccountPerm.SESSION_MANAGE}) == {"security"}
    with pytest.raises(ValidationFailed):
        role_validate_permissions([OperationsPerm.SYSTEM_STATUS, AccountPerm.SESSION_MANAGE])


def test_health_page_reports_each_check(sysadmin, login, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client = login(sysadmin)
    body = client.get("/ops/health/").content.decode()
    for key in ("database", "cache", "heartbeat", "lease", "disk", "calendar"):
        assert f'id="check-{key}"' in body
    assert 'id="check-database" data-status="ok"' in body
    assert 'id="check-cache" data-status="ok"' in body
    assert 'id="check-heartbeat" data-status="error"' in body  # no heartbeat yet
    assert 'id="check-lease" data-status="error"' in body  # no scheduler yet
    now = timezone.now()
    ScheduledSlot.objects.create(job="heartbeat", slot=now, finished_at=now, outcome=SlotOutcome.DONE)
    SchedulerLease.objects.create(
        name="scheduler", holder="host:1:abc", expires_at=now + dt.timedelta(seconds=30)
    )
    body = client.get("/ops/health/").content.decode()
    assert 'id="check-heartbeat" data-status="ok"' in body
    assert 'id="check-lease" data-status="ok"' in body
    assert "host:1:abc" in body
    SchedulerLease.objects.update(expires_at=now - dt.timedelta(seconds=1))
    ScheduledSlot.objects.update(finished_at=now - dt.timedelta(hours=1))
    body = client.get("/ops/health/").content.decode()
    assert 'id="check-heartbeat" data-status="error"' in body
    assert 'id="check-lease" data-status="error"' in body
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "missing"
    assert 'id="check-disk" data-status="error"' in client.get("/ops/health/").content.decode()


def test_calendar_coverage_check_follows_the_override_table(sysadmin, login, monkeypatch):

    monkeypatch.setattr(selectors, "years_without_data", lambda today: [today.year + 1])
    body = login(sysadmin).get("/ops/health/").content.decode()
    assert 'id="check-calendar" data-status="warning"' in body
    assert str(timezone.localdate().year + 1) in body
    monkeypatch.setattr(selectors, "years_without_data", lambda today: [])
    body = login(sysadmin).get("/ops/health/").content.decode()
    assert 'id="check-calendar" data-status="ok"' in body


def test_the_office_opens_and_edits_the_holiday_calendar(make_user, login, monkeypatch):

    office_user = make_user("talent-office", "320115-ZZB")
    client = login(office_user)
    year = timezone.localdate().year + 1
    # the home page asks for next year's holidays and links to the page the office may now open
    monkeypatch.setattr(web_views, "years_without_data", lambda today: [year])
    home = client.get("/").content.decode()
    assert 'data-testid="calendar-warning"' in home
    assert f'href="/calendar/?year={year}" data-testid="calendar-link"' in home
    assert client.get(f"/calendar/?year={year}").status_code == 200
    response = client.post(
        "/calendar/", {"day": f"{year}-01-01", "is_workday": "0", "name": "元旦", "source": "国办发明电"}
    )
    assert response.status_code == 302
    row = CalendarOverride.objects.get(day=dt.date(year, 1, 1))
    assert row.name == "元旦"
    assert not row.is_workday
    assert AuditEvent.objects.filter(action="calendar.set", actor_id=office_user.pk).exists()
    assert client.post("/calendar/", {"delete": row.pk, "year": year}).status_code == 302
    assert not CalendarOverride.objects.exists()
    # the office's navigation offers it, and park staff still may not open it
    assert "/calendar/" in client.get("/").content.decode()
    assert login(make_user("park-staff", "320115-P-KFQ")).get("/calendar/").status_code == 403


def test_session_list_shows_the_address_a_real_sign_in_came_from(secadmin, make_user, login):

    talent = make_user("talent", None)
    person = Client(REMOTE_ADDR="203.0.113.7")
    response = person.post("/accounts/login/", {"username": talent.username, "password": PASSWORD})
    assert response.status_code == 302
    body = login(secadmin).get("/ops/sessions/").content.decode()
    row = body.split(talent.username, 1)[1].split("</tr>", 1)[0]
    assert "203.0.113.7" in row
