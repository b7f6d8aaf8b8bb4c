"""The talent detail page of a full archive: every fact, five fact records with their provenance, education,
titles, family, changes, contacts with needs, personal-data requests and cases. Its queries do not grow with
the archive (the timeline is one statement, the sections are read when opened), and the timeline shows
every line."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentcloud.accounts.models import OrgUnit
from talentcloud.enterprises.models import IndustryChain
from talentcloud.servicehall import cases
from talentcloud.servicehall.tests.factories import service
from talentcloud.talents.liaison import NeedInput, contact_log
from talentcloud.talents.models import (
    Education,
    FactRecord,
    FamilyMember,
    Qualification,
    RightsRequest,
    Talent,
    TalentChange,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(units: Any, make_user: Any, kfq_firm: Any) -> tuple[Talent, Any]:
    account, cadre = (
        make_user("talent", None),
        make_user("liaison-cadre", "320115-ZZB", display_name="李联络"),
    )
    talent = Talent.objects.create(
        name="冯博士",
        gender="M",
        birth_date=dt.date(1992, 3, 1),
        highest_degree="doctor",
        category="young",
        tier="elite",
        grade="C",
        employer=kfq_firm,
        post="首席工程师",
        chain=IndustryChain.objects.first(),
        residence_street=OrgUnit.objects.filter(kind="street").first(),
        arrived_on=dt.date(2020, 1, 1),
        graduated_on=dt.date(2025, 7, 1),
        social_insurance_since=dt.date(2020, 2, 1),
        owns_home_in_city=False,
        tags=["归国留学"],
        account=account,
        liaison=cadre,
        id_number="320102199203010011",
        phone="13800000000",
        email="feng@example.cn",
    )
    for key, value in (
        ("highest_degree", "doctor"),
        ("owns_home_in_city", False),
        ("graduated_on", "2025-07-01"),
        ("social_insurance_since", "2020-02-01"),
        ("employer", str(kfq_firm.pk)),
    ):
        FactRecord.objects.create(
            talent=talent, key=key, value=value, source="authority", as_of=dt.date(2026, 6, 1), verified=True
        )
    return talent, cadre


def _more(talent: Talent, cadre: Any, count: int) -> None:
    """``count`` more of every kind of row an archive holds."""
    department = OrgUnit.objects.get(code="320115-ZJJ")
    consultation = service("policy-consultation")
    applicant = talent.account
    assert applicant is not None
    for _ in range(count):
        n = talent.changes.count()
        Education.objects.create(talent=talent, degree="master", school=f"大学{n}", source="staff")
        Qualification.objects.create(talent=talent, kind="title", name=f"高级工程师{n}", year=2020)
        FamilyMember.objects.create(talent=talent, relation="child", name=f"孩子{n}", birth_date="2018-01-01")
        TalentChange.objects.create(talent=talent, actor=cadre, via="staff", field="post", after=f"岗位{n}")
        contact_log(
            actor=cadre,
            talent=talent,
            kind="visit",
            happened_on=dt.date.today(),
            needs=[NeedInput(title=f"需要{n}", owner_department=department)],
        )
        RightsRequest.objects.create(
            talent=talent,
            kind="copy",
            submitted_by=cadre,
            received_on=dt.date.today(),
            due_on=dt.date.today(),
        )
        cases.case_submit(
            actor=applicant, service=consultation, data={"question": f"问题{n}"}, idempotency_key=f"q{n}"
        )


def _count(client: Any, url: str) -> tuple[int, str]:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_more_history_adds_lines_and_no_queries(
    archive: tuple[Talent, Any], make_user: Any, login: Any
) -> None:
    talent, cadre = archive
    office, own = login(make_user("talent-office")), login(talent.account)
    pages = {
        "office": (office, f"/talents/{talent.pk}/"),
        "own": (own, f"/talents/{talent.pk}/"),
        **{
            section: (office, f"/talents/{talent.pk}/sections/{section}/")
            for section in ("education", "family", "documents")
        },
    }
    _more(talent, cadre, 1)
    before = {name: _count(client, url) for name, (client, url) in pages.items()}
    _more(talent, cadre, 3)
    after = {name: _count(client, url) for name, (client, url) in pages.items()}
    assert {name: n for name, (n, _page) in after.items()} == {name: n for name, (n, _page) in before.items()}

    page = after["office"][1]
    story = page.split('data-testid="timeline"')[1].split("</ul>")[0]
    # 4 of each kind (change, contact, need, request, case) besides the ones the services add, 5 facts
    assert story.count("<li>") == len(talent.changes.all()) + 4 * 4 + 5
    assert "李联络" in page  # the liaison cadre, read with the archive
    assert 'data-testid="timeline-case-state"' in story
    need = talent.needs.first()
    assert need is not None
    assert f'href="/talents/needs/{need.pk}/"' in story
    own_story = after["own"][1].split('data-testid="timeline"')[1].split("</ul>")[0]
    assert "/hall/cases/" in own_story  # a case links for its applicant …
    assert "/hall/cases/" not in story  # … only
    assert after["education"][1].count("高级工程师") == 4
    assert after["family"][1].count("孩**") == 4  # masked for staff
