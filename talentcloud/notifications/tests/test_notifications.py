"""Notifications: the inbox always; e-mail and SMS after the commit for those who chose them; SMS capped per
phone and hour; the HTTP SMS adapter against a local fake provider."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.cache import cache

from talentcloud.accounts import sms
from talentcloud.accounts.sms import HttpSmsBackend, SmsError
from talentcloud.notifications.models import Delivery, Notification
from talentcloud.notifications.services import notify, notify_events, notify_groups, preference_set

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean():
    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()


def test_inbox_always_email_and_sms_after_commit(make_user, login, django_capture_on_commit_callbacks):
    user = make_user("talent", None)
    preference_set(actor=user, email=True, sms=True, email_address="li@example.cn", phone="13912345678")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(
            recipient=user,
            event="case.answered",
            params={"number": "320115-20261126-00001", "service": "租房补贴"},
        )
    assert Notification.objects.filter(recipient=user).count() == 1
    assert sms.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert sms.outbox[0][0] == "13912345678"
    assert "320115-20261126-00001" in sms.outbox[0][1]
    assert mail.outbox[0].to == ["li@example.cn"]
    assert set(Delivery.objects.values_list("channel", "status")) == {("email", "sent"), ("sms", "sent")}
    page = login(user).get("/inbox/").content.decode()
    assert "已答复" in page


def test_groups_told_in_one_go_each_with_its_own_text(
    make_user, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """Three people told one event with two amounts: each reads their own amount, the rows go in together
    (one insert, one preference read, one delivery insert), e-mail only for the one who chose it."""
    first, second, third = (make_user("talent", None) for _n in range(3))
    preference_set(actor=third, email=True, sms=False, email_address="wang@example.cn", phone="")
    groups = [
        ({"number": "A-1", "service": "租房补贴"}, [(first.pk, "/a/"), (second.pk, "/b/")]),
        ({"number": "B-2", "service": "租房补贴"}, [(third.pk, "/c/")]),
        ({"number": "C-3", "service": "租房补贴"}, []),
    ]
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(6):
        told = notify_groups(event="case.answered", groups=groups)
    assert told == 3
    rows = {n.recipient_id: n for n in Notification.objects.all()}
    assert set(rows) == {first.pk, second.pk, third.pk}
    assert "A-1" in rows[first.pk].body
    assert "A-1" in rows[second.pk].body
    assert "B-2" in rows[third.pk].body
    assert (rows[first.pk].url, rows[third.pk].url) == ("/a/", "/c/")
    assert [m.to for m in mail.outbox] == [["wang@example.cn"]]
    assert notify_groups(event="case.answered", groups=[]) == 0


def test_sms_is_capped_per_phone_and_hour(make_user, settings, django_capture_on_commit_callbacks):
    settings.SMS_NOTIFY_PER_HOUR = 2
    user = make_user("talent", None)
    preference_set(actor=user, email=False, sms=True, email_address="", phone="13912345678")
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(4):
            notify(recipient=user, event="case.submitted", params={"number": str(i), "service": "x"})
    assert len(sms.outbox) == 2
    assert Delivery.objects.filter(status="skipped", detail="rate limited").count() == 2
    assert Notification.objects.filter(recipient=user).count() == 4  # the inbox has them all


class FakeProvider(BaseHTTPRequestHandler):
    received: list[dict[str, object]] = []
    answer_ok = True

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeProvider.received.append({"auth": self.headers.get("Authorization"), **body})
        answer: dict[str, object] = (
            {"ok": True} if FakeProvider.answer_ok else {"ok": False, "error": "blocked number"}
        )
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def provider(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_HTTP_KEY = "provider-key"
    FakeProvider.received = []
    FakeProvider.answer_ok = True
    yield FakeProvider
    server.shutdown()


def test_http_sms_adapter_sends_and_reports_refusals(provider):
    HttpSmsBackend().send(phone="13912345678", text="【人才云】测试")
    assert provider.received == [
        {"auth": "Bearer provider-key", "phone": "13912345678", "text": "【人才云】测试", "sign": "人才云"}
    ]
    provider.answer_ok = False
    with pytest.raises(SmsError, match="blocked number"):
        HttpSmsBackend().send(phone="13912345678", text="x")


def test_unreachable_provider_is_an_error_not_a_crash(settings):
    settings.SMS_HTTP_URL = "http://127.0.0.1:9/none"
    with pytest.raises(SmsError):
        HttpSmsBackend().send(phone="13912345678", text="x")


def test_preferences_page_checks_the_number(make_user, login):
    client = login(make_user("talent", None))
    response = client.post("/inbox/preferences/", {"sms": "on", "phone": "12345"})
    assert response.status_code == 400
    assert client.post("/inbox/preferences/", {"sms": "on", "phone": "13912345678"}).status_code == 302


def test_many_events_told_together_read_the_preferences_once(
    make_user, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """Two events, each with its own text, in one call: the preferences are one query; SMS only for whoever
    chose it and left a number (SMS is on by default, but a preference without a number sends nothing)."""
    first, second, third = (make_user("talent", None) for _n in range(3))
    preference_set(actor=second, email=False, sms=True, email_address="", phone="13912345678")
    preference_set(actor=third, email=False, sms=True, email_address="", phone="")
    groups = [
        ("case.answered", {"number": "A-1", "service": "租房补贴"}, [(first.pk, "/a/"), (second.pk, "/b/")]),
        ("case.answered", {"number": "B-2", "service": "租房补贴"}, [(third.pk, "/c/")]),
        ("case.answered", {"number": "C-3", "service": "租房补贴"}, []),
    ]
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(7):
        told = notify_events(groups)
    assert told == 3
    assert {n.recipient_id: n.url for n in Notification.objects.all()} == {
        first.pk: "/a/",
        second.pk: "/b/",
        third.pk: "/c/",
    }
    assert "B-2" in Notification.objects.get(recipient=third).body
    assert list(Delivery.objects.values_list("notification__recipient_id", "channel")) == [(second.pk, "sms")]
    assert [phone for phone, _text in sms.outbox] == ["13912345678"]
    assert notify_events([]) == 0
