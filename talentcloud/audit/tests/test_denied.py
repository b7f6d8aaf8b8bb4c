"""Denied attempts in the audit log: counted per actor, source IP, door and 10-minute window."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import translation

from talentcloud.audit.denied import record_denied, window_start
from talentcloud.audit.models import AuditEvent, DeniedAttempt, Outcome
from talentcloud.audit.registry import action_label, object_type_label
from talentcloud.audit.services import audit_record
from talentcloud.privacy.retention import retention_sweep
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"
NOON = dt.datetime(2026, 3, 2, 4, 1, tzinfo=dt.UTC)  # 12:01 in Shanghai, one minute into a window


def denied_events():
    return AuditEvent.objects.filter(action="security.denied")


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def talent(make_user):
    cadre = make_user("liaison-cadre", "320115-ZZB", username="cadre.zhou")
    return Talent.objects.create(
        name="顶尖专家甲",
        gender="M",
        birth_date=dt.date(1970, 1, 1),
        highest_degree="doctor",
        category="top_expert",
        liaison=cadre,
        contact_every_days=90,
    )


def test_a_denied_attempt_shows_in_the_log_with_its_ip_and_count(make_user, login):
    intruder = make_user("talent-office", "320115-ZZB", username="office.li")
    client = login(intruder)
    for _ in range(3):
        assert client.get("/audit/", REMOTE_ADDR=IP).status_code == 403
    event = denied_events().get()
    assert (event.actor_id, event.source_ip, event.outcome) == (intruder.pk, IP, Outcome.DENIED)
    assert event.details["door"] == "audit:list"
    assert event.details["status"] == 403
    counter = DeniedAttempt.objects.get()
    assert (counter.count, counter.event_id, counter.source_ip) == (3, event.pk, IP)

    auditor = login(make_user("audit-admin", "320115-ZZB"))
    page = auditor.get("/audit/?denied_only=on").content.decode()
    assert "拒绝访问" in page
    assert IP in page
    assert "office.li" in page
    assert "本 10 分钟内 3 次" in page
    assert 'class="outcome outcome-denied">拒绝<' in page
    english_page = english(auditor).get("/audit/?denied_only=on").content.decode()
    assert "Access denied" in english_page
    assert "3 attempts in this 10-minute window" in english_page
    assert 'class="outcome outcome-denied">denied<' in english_page


def test_a_flood_makes_one_event_per_ten_minutes_per_actor_ip_and_door(make_user, login):
    client = login(make_user("talent-office", "320115-ZZB"))
    with time_machine.travel(NOON, tick=False) as clock:
        for _ in range(1000):
            assert client.get("/audit/", REMOTE_ADDR=IP).status_code == 403
        assert denied_events().count() == 1
        assert DeniedAttempt.objects.get().count == 1000
        # Another door, another address: their own windows.
        assert client.get("/api/v1/audit/events", REMOTE_ADDR=IP).status_code == 403
        assert client.get("/audit/", REMOTE_ADDR="198.51.100.1").status_code == 403
        assert denied_events().count() == 3
        assert denied_events().filter(details__door="GET /api/v1/audit/events").exists()
        # Still the same window nine minutes on; the next one opens at 12:10.
        clock.move_to(NOON + dt.timedelta(minutes=8, seconds=59))
        assert client.get("/audit/", REMOTE_ADDR=IP).status_code == 403
        assert denied_events().count() == 3
        clock.move_to(NOON + dt.timedelta(minutes=9))
        for _ in range(5):
            assert client.get("/audit/", REMOTE_ADDR=IP).status_code == 403
    assert denied_events().count() == 4
    counts = sorted(
        DeniedAttempt.objects.filter(source_ip=IP, door="audit:list").values_list("count", flat=True)
    )
    assert counts == [5, 1001]


def test_a_404_on_an_object_out_of_scope_is_a_denied_attempt_a_missing_one_is_not(talent, make_user, login):
    other = login(make_user("liaison-cadre", "320115-ZZB"))
    assert other.get(f"/talents/{talent.pk}/", REMOTE_ADDR=IP).status_code == 404
    event = denied_events().get()
    assert (event.object_type, event.object_id, event.details["status"]) == ("talent", str(talent.pk), 404)
    assert other.get(f"/api/v1/talents/{talent.pk}", REMOTE_ADDR=IP).status_code == 404
    assert denied_events().count() == 2
    missing = "00000000-0000-4000-8000-000000000000"
    assert other.get(f"/talents/{missing}/").status_code == 404
    assert other.get(f"/api/v1/talents/{missing}").status_code == 404
    assert denied_events().count() == 2
    # The auditor sees the object by its masked name, with a link only where they may open it.
    page = login(make_user("audit-admin", "320115-ZZB")).get("/audit/?denied_only=on").content.decode()
    assert "顶*** " not in page
    assert "顶****" in page
    assert f'href="/talents/{talent.pk}/"' not in page


def test_the_auditor_filters_for_denied_attempts_on_the_page_and_the_api(make_user, login):
    audit_record(actor=None, actor_username="someone", action="auth.login", source_ip=IP)
    client = login(make_user("talent-office", "320115-ZZB"))
    assert client.get("/audit/", REMOTE_ADDR=IP).status_code == 403
    auditor = login(make_user("audit-admin", "320115-ZZB"))
    page = auditor.get("/audit/?denied_only=on").content.decode()
    assert "拒绝访问" in page
    assert "someone" not in page
    assert "someone" in auditor.get("/audit/").content.decode()
    body = auditor.get("/api/v1/audit/events?denied_only=true").json()
    assert [item["action"] for item in body["items"]] == ["security.denied"]
    assert body["items"][0]["source_ip"] == IP


def test_business_events_carry_the_source_ip_of_the_request(make_user, login):
    user = make_user("talent-office", "320115-ZZB")
    client = login(user)
    response = client.post("/i18n/setlang/", {"language": "en"}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code in (200, 302)
    event = AuditEvent.objects.get(action="account.language")
    assert event.source_ip == "198.51.100.9"
    # Outside a request (a job, a command) there is no address.
    assert audit_record(actor=None, action="retention.sweep").source_ip is None


def test_the_client_ip_honours_the_proxy_count(make_user, login, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    client = login(make_user("talent-office", "320115-ZZB"))
    client.get("/audit/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert denied_events().get().source_ip == "203.0.113.9"


def test_action_and_object_labels_read_in_chinese_and_english():
    with translation.override("zh-hans"):
        assert action_label("case.accept") == "受理办件"
        assert action_label("auth.otp") == "验证动态口令"
        assert object_type_label("talent") == "人才"
    with translation.override("en"):
        assert action_label("case.accept") == "Accepted a case"
        assert action_label("security.denied") == "Access denied"
    assert action_label("no.such_action") == "no.such_action"
    assert object_type_label("gadget") == "gadget"


def test_windows_are_aligned_and_recording_never_raises():
    assert window_start(NOON) == dt.datetime(2026, 3, 2, 4, 0, tzinfo=dt.UTC)
    assert record_denied(actor=None, source_ip=None, door="x", status=403) == 1
    assert record_denied(actor=None, source_ip=None, door="x", status=403) == 2


def test_old_counters_go_with_the_retention_sweep_the_events_stay():

    with time_machine.travel(NOON - dt.timedelta(days=400), tick=False):
        record_denied(actor=None, source_ip=IP, door="old", status=403)
    record_denied(actor=None, source_ip=IP, door="new", status=403)
    counts = retention_sweep()
    assert counts["denied_attempt_counters"] == 1
    assert list(DeniedAttempt.objects.values_list("door", flat=True)) == ["new"]
    assert denied_events().count() == 2


def test_every_action_the_code_records_has_a_label():

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r'action="([a-z_]+\.[a-z_]+)"')
    recorded = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "audit_record(" in text:
            recorded |= set(pattern.findall(text))
    assert len(recorded) > 50  # the scan found the recorded actions
    missing = sorted(code for code in recorded if action_label(code) == code)
    assert not missing, missing
