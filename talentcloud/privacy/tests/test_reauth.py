from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from talentcloud.audit.models import AuditEvent
from talentcloud.conftest import PASSWORD
from talentcloud.privacy.decorators import reauth_required

pytestmark = pytest.mark.django_db


@reauth_required
def bulk_export(request):
    return HttpResponse("the export")


def test_reauth_page_then_the_guarded_action(make_user, login):
    user = make_user("talent-office", "320115-ZZB")
    client = login(user)
    factory = RequestFactory()
    request = factory.get("/export/")
    request.session = client.session
    request.user = user
    response = bulk_export(request)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauth/?next=%2Fexport%2F")
    wrong = client.post("/accounts/reauth/?next=/talents/", {"password": "Not-My-Password-1"})
    assert wrong.status_code == 400
    assert AuditEvent.objects.filter(action="auth.reauth", outcome="failure").exists()
    ok = client.post("/accounts/reauth/?next=/talents/", {"password": PASSWORD})
    assert ok["Location"] == "/talents/"
    request.session = client.session
    assert bulk_export(request).content == b"the export"
    # Five minutes later it asks again.
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert bulk_export(request).status_code == 302
