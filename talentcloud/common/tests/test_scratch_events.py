"""A new app declares a notification event, a retention rule, a consent purpose and a periodic job in its own
files (the scratch app), and each shows up where it should: the inbox renders the event in both languages,
the retention sweep applies the rule and counts it in its audit event, the talent's consents page lists the
purpose and saves it, the scheduler and the ``/ops/`` page have the job. Gone when the app is."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from datetime import timedelta
from types import ModuleType

import pytest
from django.utils import timezone

from talentcloud.audit.models import AuditEvent
from talentcloud.common import registries
from talentcloud.infra.scheduling import configured_jobs, run_job_now
from talentcloud.notifications.events import Event, UnknownEvent, events
from talentcloud.notifications.models import Notification
from talentcloud.notifications.services import notify
from talentcloud.privacy.retention import retention_sweep
from talentcloud.talents.consents import current_consents, purposes
from talentcloud.talents.models import Talent

from .scratch import scratch_app
from .scratchapp.tasks import RUNS

pytestmark = pytest.mark.django_db


def inbox(client, language: str) -> str:
    client.cookies["tc_language"] = language
    return client.get("/inbox/").content.decode()


def test_the_scratch_event_is_sent_and_read_in_either_language(make_user, login):
    user = make_user("talent", None)
    client = login(user)
    with scratch_app():
        assert "scratch.happened" in events()
        notify(recipient=user, event="scratch.happened", params={"number": "S-1"})
        assert "临时通知 S-1" in inbox(client, "zh-hans")
        assert "临时应用通知 S-1。" in inbox(client, "zh-hans")
        assert "Scratch notice S-1" in inbox(client, "en")
        assert "The scratch app says S-1." in inbox(client, "en")
    assert "scratch.happened" not in events()
    with pytest.raises(UnknownEvent, match=r"scratch\.happened"):
        notify(recipient=user, event="scratch.happened", params={"number": "S-2"})
    assert Notification.objects.filter(recipient=user).count() == 1  # nothing written for the refused one
    assert "临时通知 S-1" in inbox(client, "zh-hans")  # the stored text stands once its event is gone


def test_an_event_code_two_apps_declare_is_an_error(monkeypatch):
    other = ModuleType("other.notification_events")
    other.NOTIFICATION_EVENTS = {"case.submitted": Event(title="x", body="y")}  # type: ignore[attr-defined]
    real = registries.app_modules

    def with_other(module: str) -> Iterator[tuple[str, ModuleType]]:
        yield from real(module)
        if module == "notification_events":
            yield "other", other

    monkeypatch.setattr(registries, "app_modules", with_other)
    events.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"'case\.submitted' declared by both servicehall and other"):
            events()
    finally:
        events.cache_clear()


def test_the_retention_sweep_applies_the_scratch_rule(make_user):
    user = make_user("talent", None)
    with scratch_app():
        old = notify(recipient=user, event="scratch.happened", params={"number": "S-1"})
        fresh = notify(recipient=user, event="scratch.happened", params={"number": "S-2"})
        Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
        counts = retention_sweep()
        assert counts["scratch_notices"] == 1
        assert list(Notification.objects.values_list("pk", flat=True)) == [fresh.pk]
        event = AuditEvent.objects.get(action="retention.sweep")
        assert event.details["counts"]["scratch_notices"] == 1
        assert event.details["counts"] == counts
    assert "scratch_notices" not in retention_sweep()


def test_the_scratch_purpose_is_on_the_talents_page_and_can_be_given(make_user, login):
    account = make_user("talent", None)
    talent = Talent.objects.create(
        name="王五",
        gender="M",
        birth_date=dt.date(1980, 1, 1),
        highest_degree="master",
        category="young",
        account=account,
    )
    client = login(account)
    with scratch_app():
        assert list(purposes()) == [
            "policy_push",
            "data_sharing",
            "visits",
            "recruitment",
            "scratch_survey",
            "cross_border",
        ]
        page = client.get("/talents/me/").content.decode()
        assert re.findall(r'data-testid="consent-(\w+)"', page) == list(purposes())
        client.post(
            "/talents/me/", {"consent": "1", "consent_policy_push": "1", "consent_scratch_survey": "1"}
        )
        assert current_consents(talent)["scratch_survey"] is True
        assert re.search(
            r'name="consent_scratch_survey"[^>]* checked', client.get("/talents/me/").content.decode()
        )
    assert list(purposes()) == ["policy_push", "data_sharing", "visits", "recruitment", "cross_border"]
    assert 'data-testid="consent-scratch_survey"' not in client.get("/talents/me/").content.decode()
    assert talent.consents.filter(purpose="scratch_survey").exists()  # the answer stays in the history


def test_the_scratch_job_is_scheduled_and_listed_on_the_operations_page(make_user, login):
    client = login(make_user("system-admin", "320115-ZZB"))
    with scratch_app():
        job = next(job for job in configured_jobs() if job.name == "scratch_job")
        assert (job.func_path, job.cron) == (
            "talentcloud.common.tests.scratchapp.tasks.scratch_job",
            "0 4 * * *",
        )
        assert "<code>scratch_job</code>" in client.get("/ops/").content.decode()
        RUNS.clear()
        run_job_now("scratch_job")
        assert RUNS == ["ran"]
    assert "scratch_job" not in {job.name for job in configured_jobs()}
    assert "<code>scratch_job</code>" not in client.get("/ops/").content.decode()
    with pytest.raises(KeyError):
        run_job_now("scratch_job")
