"""一企一档 yearly figures: validated, kept as history, growth computed, scoped and audited."""

from __future__ import annotations

from decimal import Decimal

import pytest

from talentcloud.audit.models import AuditEvent
from talentcloud.enterprises.models import AnnualReport
from talentcloud.enterprises.services import annual_figures
from talentcloud.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm(units):
    return EnterpriseFactory.create(name="南京紫峰软件有限公司", credit_code="91320115MA1X2Y3W4T")


def post(client, firm, **figures):
    data = {
        "year": 2024,
        "revenue": "1000",
        "rd_spend": "120",
        "staff": "80",
        "patents": "12",
        "funding_raised": "0",
    }
    data.update({k: str(v) for k, v in figures.items()})
    return client.post(f"/enterprises/{firm.pk}/", data)


def test_figures_history_and_growth(firm, make_user, login):
    client = login(make_user("park-staff", "320115-P-KFQ"))
    assert post(client, firm, year=2024, revenue=1000).status_code == 302
    assert post(client, firm, year=2025, revenue=1250).status_code == 302
    assert post(client, firm, year=2025, revenue=1300).status_code == 302  # a correction
    figures = annual_figures(firm)
    assert [f.report.year for f in figures] == [2025, 2024]
    assert figures[0].report.revenue == Decimal("1300")
    assert figures[0].revenue_growth == Decimal("30.0")
    assert figures[0].revisions == 1
    assert AnnualReport.objects.count() == 3
    assert AuditEvent.objects.filter(action="enterprise.report").count() == 3
    page = client.get(f"/enterprises/{firm.pk}/").content.decode()
    assert "30.0%" in page


def test_bad_figures_are_refused_per_field(firm, make_user, login):
    client = login(make_user("park-staff", "320115-P-KFQ"))
    response = post(client, firm, year=2999, rd_spend=5000, staff=-1)
    assert response.status_code == 400
    assert response.content.decode().count('class="errorlist"') >= 2
    assert not AnnualReport.objects.exists()


def test_other_parks_and_read_only_roles_cannot_write(firm, make_user, login):
    assert post(login(make_user("park-staff", "320115-P-GXQ")), firm).status_code == 404
    cadre = login(make_user("liaison-cadre", "320115-ZZB"))
    assert post(cadre, firm).status_code in (403, 404)
    assert not AnnualReport.objects.exists()
