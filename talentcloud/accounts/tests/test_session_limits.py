"""Idle limit (30 min) and absolute limit (12 h); background polling does not count as activity."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from talentcloud.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
POLL = {"X-Background": "1", "HX-Request": "true"}


def test_polling_does_not_keep_an_idle_session_alive(make_user, login):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        user = make_user("talent-office", "320115-ZZB")
        client = login(user)
        assert client.get("/").status_code == 200
        for minutes in (10, 20, 29):
            traveller.move_to(start + timedelta(minutes=minutes))
            poll = client.get("/session/status/", headers=POLL)
            assert poll.status_code == 200
        traveller.move_to(start + timedelta(minutes=30, seconds=1))
        expired = client.get("/session/status/", headers=POLL)
        assert expired.status_code == 204
        assert expired["HX-Redirect"] == "/accounts/login/"
        assert client.get("/hall/cases/")["Location"].startswith("/accounts/login/")
        assert AuditEvent.objects.filter(action="session.expire", actor_id=user.pk).exists()


def test_user_actions_extend_the_idle_limit(make_user, login):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = login(make_user("talent-office", "320115-ZZB"))
        client.get("/")
        for minutes in (25, 50, 75):
            traveller.move_to(start + timedelta(minutes=minutes))
            assert client.get("/talents/").status_code == 200


def test_absolute_limit_ends_even_an_active_session(make_user, login):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = login(make_user("talent-office", "320115-ZZB"))
        client.get("/")
        minutes = 0
        while minutes < 12 * 60 - 20:
            minutes += 20
            traveller.move_to(start + timedelta(minutes=minutes))
            assert client.get("/").status_code == 200
        traveller.move_to(start + timedelta(hours=12, minutes=1))
        assert client.get("/").status_code == 302


def test_api_session_requests_expire_with_json(make_user, login):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = login(make_user("talent-office", "320115-ZZB"))
        assert client.get("/api/v1/me").status_code == 200
        traveller.move_to(start + timedelta(minutes=31))
        response = client.get("/api/v1/me")
        assert response.status_code == 401
        assert response.json()["code"] == "session_expired"
