"""The permissions of each standard role, pinned (assembled from every app's ``permissions.py``; the set per
role must stay exactly this unless a change means to alter it)."""

from __future__ import annotations

import pytest

from talentcloud.accounts.models import Role
from talentcloud.accounts.roles import ROLE_CATALOGUE

EXPECTED: dict[str, set[str]] = {
    "talent": set(),
    "enterprise-hr": {"enterprise.report", "enterprise.view"},
    "service-staff": {"case.handle", "need.reply", "orgunit.view"},
    "department-head": {"case.escalations", "case.handle", "need.reply", "orgunit.view"},
    "park-staff": {
        "enterprise.edit",
        "enterprise.report",
        "enterprise.view",
        "fact.verify",
        "orgunit.view",
        "talent.edit",
        "talent.export",
        "talent.view",
    },
    "street-staff": {
        "enterprise.edit",
        "enterprise.report",
        "enterprise.view",
        "fact.verify",
        "orgunit.view",
        "talent.edit",
        "talent.export",
        "talent.view",
    },
    "liaison-cadre": {"contact.log", "orgunit.view", "talent.view"},
    "talent-office": {
        "calendar.manage",
        "case.oversee",
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
        "pii.unmask",
        "pipl.handle",
        "policy.manage",
        "service.manage",
        "talent.edit",
        "talent.export",
        "talent.import",
        "talent.view",
    },
    "talent-office-head": {
        "calendar.manage",
        "case.oversee",
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
        "pii.unmask",
        "pipl.handle",
        "policy.manage",
        "policy.publish",
        "service.manage",
        "talent.edit",
        "talent.export",
        "talent.import",
        "talent.view",
    },
    "expert": set(),
    "think-tank": set(),
    "system-admin": {"calendar.manage", "orgunit.manage", "orgunit.view", "system.status", "user.manage"},
    "security-admin": {"account.unlock", "role.assign", "session.manage", "token.revoke_any"},
    "audit-admin": {"audit.view"},
}


def test_catalogue_covers_every_standard_role():
    assert [spec.code for spec in ROLE_CATALOGUE] == list(EXPECTED)


@pytest.mark.django_db
def test_seeded_roles_hold_exactly_the_pinned_codes(units):
    stored = {role.code: set(role.permissions) for role in Role.objects.all()}
    assert stored == EXPECTED
    assert all(len(role.permissions) == len(set(role.permissions)) for role in Role.objects.all())
