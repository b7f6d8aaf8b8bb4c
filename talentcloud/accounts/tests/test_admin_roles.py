"""The three separated administrators (等保 三员): none can do another's job."""

from __future__ import annotations

import pytest

from talentcloud.accounts.models import OrgUnit, Role, User
from talentcloud.accounts.services import role_validate_permissions, user_set_roles
from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db

DOORS = {
    "system": ["/accounts/users/", "/accounts/units/"],
    "security": ["/accounts/lockouts/"],
    "audit": ["/audit/"],
}
ROLE_OF = {"system": "system-admin", "security": "security-admin", "audit": "audit-admin"}


@pytest.mark.parametrize("admin", ["system", "security", "audit"])
def test_each_admin_reaches_only_their_own_pages(make_user, login, admin):
    client = login(make_user(ROLE_OF[admin], "320115-ZZB"))
    for group, urls in DOORS.items():
        for url in urls:
            status = client.get(url).status_code
            if group == admin:
                assert status == 200, url
            elif not (group == "system" and admin == "security" and url == "/accounts/users/"):
                assert status == 403, f"{admin} admin reached {url}"
    # None of them reads talent records.
    assert "乙" not in client.get("/talents/").content.decode()
    assert client.get("/api/v1/talents").json()["count"] == 0


def test_audit_admin_reads_the_log_and_nothing_else(make_user, login):
    auditor = make_user("audit-admin", "320115-ZZB")
    client = login(auditor)
    page = client.get("/audit/?action=user.create")
    assert page.status_code == 200
    assert "user.create" in page.content.decode()
    assert client.post("/accounts/users/", {"username": "x"}).status_code == 403
    assert client.post("/accounts/lockouts/", {"username": "x"}).status_code == 403


def test_admin_roles_cannot_be_combined(make_user):
    secadmin = make_user("security-admin", "320115-ZZB")
    target = make_user("system-admin", "320115-ZZB")
    with pytest.raises(ValidationFailed):
        user_set_roles(
            actor=secadmin,
            user=target,
            roles=[Role.objects.get(code="system-admin"), Role.objects.get(code="audit-admin")],
        )
    with pytest.raises(ValidationFailed):
        role_validate_permissions(["user.manage", "audit.view"])
    with pytest.raises(ValidationFailed):
        role_validate_permissions(["no.such.permission"])


def test_security_admin_assigns_roles_and_it_is_audited(make_user, login):
    secadmin = make_user("security-admin", "320115-ZZB")
    target = make_user("park-staff", "320115-P-KFQ")
    client = login(secadmin)
    street = Role.objects.get(code="street-staff")
    response = client.post(f"/accounts/users/{target.pk}/roles/", {"roles": [street.pk]})
    assert response.status_code == 302
    assert list(target.roles.values_list("code", flat=True)) == ["street-staff"]
    event = AuditEvent.objects.get(action="user.roles_change")
    assert event.details == {"before": ["park-staff"], "after": ["street-staff"]}
    with pytest.raises(PermissionDenied):
        user_set_roles(actor=secadmin, user=secadmin, roles=[Role.objects.get(code="talent-office")])


def test_system_admin_creates_an_account_with_field_errors_first(make_user, login):
    sysadmin = make_user("system-admin", "320115-ZZB")
    client = login(sysadmin)
    role = Role.objects.get(code="park-staff")
    bad = client.post(
        "/accounts/users/", {"username": "a b", "display_name": "", "roles": [role.pk], "password": "short"}
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert body.count('class="errorlist"') >= 2

    unit = OrgUnit.objects.get(code="320115-P-KFQ")
    ok = client.post(
        "/accounts/users/",
        {
            "username": "new.staff",
            "display_name": "新同事",
            "unit": unit.pk,
            "roles": [role.pk],
            "password": "Good-Password-2026",
        },
    )
    assert ok.status_code == 302
    assert User.objects.get(username="new.staff").unit == unit
    weak = client.post(
        "/accounts/users/",
        {
            "username": "weak.staff",
            "display_name": "弱",
            "unit": unit.pk,
            "roles": [role.pk],
            "password": "weakpassword1",
        },
    )
    assert weak.status_code == 400
    assert not User.objects.filter(username="weak.staff").exists()
