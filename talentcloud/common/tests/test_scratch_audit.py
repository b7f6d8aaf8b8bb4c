"""A new app names its own audit actions: the audit log's viewer shows them, with no edit to the audit app."""

from __future__ import annotations

import pytest

from talentcloud.audit.registry import action_label
from talentcloud.audit.services import audit_record

from .scratch import scratch_app

pytestmark = pytest.mark.django_db


def test_a_new_apps_audit_action_is_named_in_the_viewer(make_user, login):
    audit_record(actor=None, actor_username="scratch-user", action="scratch.poke")
    client = login(make_user("audit-admin", "320115-ZZB"))
    assert action_label("scratch.poke") == "scratch.poke"
    with scratch_app():
        assert action_label("scratch.poke") == "Poked the scratch app"
        page = client.get("/audit/?action=scratch.")
        assert page.status_code == 200
        assert "Poked the scratch app" in page.content.decode()
    assert action_label("scratch.poke") == "scratch.poke"
    assert "Poked the scratch app" not in client.get("/audit/?action=scratch.").content.decode()
