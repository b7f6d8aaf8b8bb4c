from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from talentcloud.audit.models import AuditEvent
from talentcloud.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_audit_admin_exports_the_filtered_log_formula_safe(make_user, login):
    auditor = make_user("audit-admin", "320115-ZZB")
    audit_record(actor=None, actor_username='=HYPERLINK("http://x")', action="auth.login", outcome="failure")
    audit_record(actor=None, actor_username="other", action="user.create")
    client = login(auditor)
    response = client.get("/audit/export.xlsx?action=auth.login&outcome=failure")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # header + the one failure
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert AuditEvent.objects.filter(action="audit.export", actor_id=auditor.pk).exists()


def test_nobody_else_exports_the_audit_log(make_user, login):
    for role, unit in (
        ("talent-office", "320115-ZZB"),
        ("system-admin", "320115-ZZB"),
        ("security-admin", "320115-ZZB"),
    ):
        assert login(make_user(role, unit)).get("/audit/export.xlsx").status_code == 403
