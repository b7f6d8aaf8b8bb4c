"""A new app's permission and sidebar entry, declared in its own files (the scratch app), show up where they
should: held by the standard role it is granted to (and the role stored in the database gains it at the sync),
checked at the app's page, shown in that role's sidebar and in no other's; gone once the app is."""

from __future__ import annotations

import pytest
from django.test import override_settings

from talentcloud.accounts.models import Role, User
from talentcloud.accounts.permissions import has_perm, permission_labels
from talentcloud.accounts.roles import standard_grants, standard_grants_sync
from talentcloud.audit.models import AuditEvent
from talentcloud.common.tests.scratch import scratch_app
from talentcloud.common.tests.scratchapp.permissions import ScratchPerm

pytestmark = pytest.mark.django_db

SCRATCH_URLS = "talentcloud.common.tests.scratchapp.root_urls"
ENTRY = '<a href="/scratch/">Scratch page</a>'


def sidebar(client) -> str:
    html = client.get("/").content.decode()
    start = html.index('data-testid="sidebar"')
    return html[start : html.index("</nav>", start)]


def test_a_new_apps_permission_reaches_its_role_and_its_sidebar_entry_shows(units, make_user, login):
    office_user = make_user("talent-office")
    park_user = make_user("park-staff")
    office, park = login(office_user), login(park_user)
    assert ENTRY not in sidebar(office)

    with scratch_app(), override_settings(ROOT_URLCONF=SCRATCH_URLS):
        assert "scratch.view" in standard_grants()["talent-office"]
        assert permission_labels()["scratch.view"] == "See the scratch page"

        assert standard_grants_sync() == {"talent-office": ["scratch.view"]}
        assert "scratch.view" in Role.objects.get(code="talent-office").permissions
        assert "scratch.view" not in Role.objects.get(code="park-staff").permissions
        assert AuditEvent.objects.filter(action="role.grant_standard", object_type="role").count() == 1
        assert standard_grants_sync() == {}  # once

        assert has_perm(User.objects.get(pk=office_user.pk), ScratchPerm.VIEW)
        assert not has_perm(User.objects.get(pk=park_user.pk), ScratchPerm.VIEW)
        assert office.get("/scratch/").status_code == 200
        assert park.get("/scratch/").status_code == 403

        assert ENTRY in sidebar(office)
        assert ENTRY not in sidebar(park)

    assert "scratch.view" not in standard_grants()["talent-office"]
    assert "scratch.view" not in permission_labels()
    assert ENTRY not in sidebar(office)
