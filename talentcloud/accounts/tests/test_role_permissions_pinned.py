"""The permissions of each standard role, pinned (assembled from every app's ``permissions.py``; the set per
role must stay exactly this unless a change means to alter it)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from talentcloud.accounts import roles
from talentcloud.accounts.models import Role
from talentcloud.accounts.permissions import admin_groups, admin_groups_of, permission_labels
from talentcloud.accounts.roles import ROLE_CATALOGUE, standard_grants, standard_grants_sync
from talentcloud.audit.models import AuditEvent

EXPECTED: dict[str, set[str]] = {
    "talent": set(),
    "enterprise-hr": {
        "campaigns.answer",
        "demand.post",
        "enterprise.report",
        "enterprise.view",
        "programs.nominate",
    },
    "service-staff": {"case.handle", "need.reply", "orgunit.view"},
    "department-head": {"case.escalations", "case.handle", "need.reply", "orgunit.view"},
    "park-staff": {
        "certification.view",
        "demand.review",
        "enterprise.edit",
        "enterprise.report",
        "enterprise.view",
        "fact.verify",
        "orgunit.view",
        "programs.recommend",
        "talent.edit",
        "talent.export",
        "talent.view",
        "talentcode.view",
    },
    "street-staff": {
        "certification.view",
        "demand.review",
        "enterprise.edit",
        "enterprise.report",
        "enterprise.view",
        "fact.verify",
        "orgunit.view",
        "programs.recommend",
        "talent.edit",
        "talent.export",
        "talent.view",
        "talentcode.view",
    },
    "liaison-cadre": {"contact.log", "orgunit.view", "talent.view"},
    "talent-office": {
        "calendar.manage",
        "campaigns.manage",
        "case.oversee",
        "catalogue.manage",
        "certification.manage",
        "certification.view",
        "demand.review",
        "taxonomy.manage",
        "clash.resolve",
        "contact.log",
        "dashboard.view",
        "enterprise.edit",
        "enterprise.import",
        "enterprise.report",
        "enterprise.view",
        "fact.verify",
        "family.view",
        "need.reply",
        "orgunit.view",
        "payouts.manage",
        "payouts.view",
        "pii.unmask",
        "pipl.handle",
        "policy.manage",
        "programme.manage",
        "programs.manage",
        "service.manage",
        "stations.events",
        "stations.manage",
        "stations.view",
        "talent.edit",
        "talent.export",
        "talent.import",
        "talent.view",
        "talentcode.manage",
        "talentcode.view",
    },
    "talent-office-head": {
        "calendar.manage",
        "campaigns.manage",
        "case.oversee",
        "catalogue.manage",
        "certification.manage",
        "certification.rules",
        "certification.view",
        "demand.review",
        "taxonomy.manage",
        "clash.resolve",
        "contact.log",
        "dashboard.view",
        "enterprise.edit",
        "enterprise.import",
        "enterprise.report",
        "enterprise.view",
        "fact.verify",
        "family.view",
        "need.reply",
        "orgunit.view",
        "payouts.check",
        "payouts.manage",
        "payouts.view",
        "pii.unmask",
        "pipl.handle",
        "policy.manage",
        "policy.publish",
        "programme.manage",
        "programs.manage",
        "service.manage",
        "stations.events",
        "stations.manage",
        "stations.view",
        "talent.edit",
        "talent.export",
        "talent.import",
        "talent.view",
        "talentcode.manage",
        "talentcode.view",
    },
    "expert": {"programs.review"},
    "think-tank": set(),
    "system-admin": {"calendar.manage", "orgunit.manage", "orgunit.view", "system.status", "user.manage"},
    "security-admin": {"account.unlock", "role.assign", "session.manage", "token.revoke_any"},
    "audit-admin": {"audit.view"},
    "code-verifier": {"talentcode.verify"},
    "finance-bureau": {"payouts.approve", "payouts.files", "payouts.view"},
    "station-partner": {"stations.partner"},
}


def test_catalogue_covers_every_standard_role():
    assert [spec.code for spec in ROLE_CATALOGUE] == list(EXPECTED)


@pytest.mark.django_db
def test_seeded_roles_hold_exactly_the_pinned_codes(units):
    stored = {role.code: set(role.permissions) for role in Role.objects.all()}
    assert stored == EXPECTED
    assert all(len(role.permissions) == len(set(role.permissions)) for role in Role.objects.all())


def test_the_apps_declarations_assemble_the_pinned_sets():
    assert {code: set(codes) for code, codes in standard_grants().items()} == EXPECTED
    assert all(len(codes) == len(set(codes)) for codes in standard_grants().values())


def test_every_declared_code_has_a_label_and_no_standard_role_spans_two_admin_groups():
    labels = permission_labels()
    assert set(labels) == set().union(*EXPECTED.values())
    assert all(str(label) for label in labels.values())
    assert admin_groups() == {
        "system": {"user.manage", "orgunit.manage", "system.status"},
        "security": {"role.assign", "account.unlock", "token.revoke_any", "session.manage"},
        "audit": {"audit.view"},
    }
    for codes in EXPECTED.values():
        assert len(admin_groups_of(codes)) <= 1


@pytest.mark.django_db
def test_the_sync_adds_a_new_grant_once_and_never_gives_back_a_removed_code(units, monkeypatch):
    assert standard_grants_sync() == {}  # the seed recorded every grant it gave
    office = Role.objects.get(code="talent-office")
    office.permissions = [code for code in office.permissions if code != "calendar.manage"]
    office.save()
    declared = dict(standard_grants())
    declared["talent-office"] = (*declared["talent-office"], "policy.publish")
    monkeypatch.setattr(roles, "standard_grants", lambda: declared)

    assert standard_grants_sync() == {"talent-office": ["policy.publish"]}
    office.refresh_from_db()
    assert "policy.publish" in office.permissions
    assert "calendar.manage" not in office.permissions  # taken away by an administrator: stays away
    event = AuditEvent.objects.get(action="role.grant_standard")
    assert event.object_id == str(office.pk)
    assert event.details == {"role": "talent-office", "permissions": ["policy.publish"]}

    office.permissions = [code for code in office.permissions if code != "policy.publish"]
    office.save()
    assert standard_grants_sync() == {}  # given once only
    office.refresh_from_db()
    assert "policy.publish" not in office.permissions


@pytest.mark.django_db
def test_migrate_runs_the_sync(units, monkeypatch):
    declared = dict(standard_grants())
    declared["talent-office"] = (*declared["talent-office"], "policy.publish")
    monkeypatch.setattr(roles, "standard_grants", lambda: declared)
    call_command("migrate", verbosity=0)
    assert "policy.publish" in Role.objects.get(code="talent-office").permissions
