"""Scope on writes: a park's staff cannot move a talent to another park's employer (page, API, import), and
the edit form offers only what the writer may name. The office names anything."""

from __future__ import annotations

import datetime as dt
import io
import random
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook

from talentcloud.accounts.models import Role
from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import ValidationFailed
from talentcloud.common.models import BackgroundJob
from talentcloud.demo.seed import resident_id
from talentcloud.enterprises.models import Enterprise
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.talents import liaison
from talentcloud.talents import services as archive
from talentcloud.talents.importing import TalentImporter
from talentcloud.talents.models import FactRecord, Talent, TalentChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def gxq_firm(units):
    return EnterpriseFactory.create(name="南京高新区乙公司", credit_code="91320115MA1BBBBB02", in_gxq=True)


@pytest.fixture
def talent(kfq_firm):
    return Talent.objects.create(
        name="赵云帆",
        gender="M",
        birth_date=dt.date(1990, 4, 2),
        highest_degree="master",
        category="young",
        employer=kfq_firm,
    )


@pytest.fixture
def park_kfq(make_user):
    return make_user("park-staff", "320115-P-KFQ", username="park-kfq")


def options(html: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, f"no <select name={name}>"
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select.group(1), re.S))


def unchanged(talent: Talent, kfq_firm: Enterprise, changes_before: int, events_before: int) -> None:
    talent.refresh_from_db()
    assert talent.employer_id == kfq_firm.pk
    assert TalentChange.objects.count() == changes_before
    assert AuditEvent.objects.count() == events_before


def test_edit_page_offers_own_park_employers_only_and_refuses_another(
    park_kfq, login, talent, kfq_firm, gxq_firm
):
    client = login(park_kfq)
    page = client.get(f"/talents/{talent.pk}/edit/").content.decode()
    employers = options(page, "employer")
    assert set(employers) == {"", str(kfq_firm.pk)}
    assert gxq_firm.name not in page
    # Streets cross parks: a park's staff name any street of residence.
    assert len(options(page, "residence_street")) > 2
    data = {
        "name": talent.name,
        "gender": "M",
        "birth_date": "1990-04-02",
        "highest_degree": "master",
        "category": "young",
        "employer": str(gxq_firm.pk),
        "owns_home_in_city": "unknown",
    }
    before = (TalentChange.objects.count(), AuditEvent.objects.count())
    response = client.post(f"/talents/{talent.pk}/edit/", data)
    assert response.status_code == 400
    assert "employer" in response.context["form"].errors
    unchanged(talent, kfq_firm, *before)


def test_api_patch_to_another_parks_employer_is_422_and_changes_nothing(
    park_kfq, login, talent, kfq_firm, gxq_firm
):
    client = login(park_kfq)
    before = (TalentChange.objects.count(), AuditEvent.objects.count())
    response = client.patch(
        f"/api/v1/talents/{talent.pk}", {"employer": str(gxq_firm.pk)}, content_type="application/json"
    )
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["employer"]
    unchanged(talent, kfq_firm, *before)


def test_service_refuses_in_the_users_language(park_kfq, talent, kfq_firm, gxq_firm, settings):

    before = (TalentChange.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as refused:
        archive.talent_update(actor=park_kfq, talent=talent, changes={"employer": gxq_firm})
    with translation.override("zh-hans"):
        assert "区域" in str(refused.value.fields["employer"][0])
    with translation.override("en"):
        assert "Outside your area" in str(refused.value.fields["employer"][0])
    unchanged(talent, kfq_firm, *before)


def test_own_park_employer_and_the_office_anything(park_kfq, make_user, units, talent, kfq_firm, gxq_firm):
    other_kfq = EnterpriseFactory.create(
        name="开发区丙公司", credit_code="91320115MA1CCCCC03", street_code="320115-S-DS"
    )
    assert archive.talent_update(actor=park_kfq, talent=talent, changes={"employer": other_kfq}) == [
        "employer"
    ]
    office = make_user("talent-office", "320115-ZZB")
    assert archive.talent_update(actor=office, talent=talent, changes={"employer": gxq_firm}) == ["employer"]
    talent.refresh_from_db()
    assert talent.employer == gxq_firm


def test_a_reference_left_as_it_is_is_not_checked_again(make_user, login, units, gxq_firm):
    """Street staff see a talent who lives in their street but works in another park: they may edit the
    record without touching the employer they cannot see, and the form keeps offering it."""
    resident = Talent.objects.create(
        name="钱多多",
        gender="F",
        birth_date=dt.date(1992, 1, 1),
        highest_degree="bachelor",
        category="young",
        employer=gxq_firm,
        residence_street=units["320115-S-DS"],
    )
    street_ds = make_user("street-staff", "320115-S-DS")
    client = login(street_ds)
    page = client.get(f"/talents/{resident.pk}/edit/").content.decode()
    assert set(options(page, "employer")) == {"", str(gxq_firm.pk)}
    assert set(options(page, "residence_street")) == {"", str(units["320115-S-DS"].pk)}
    response = client.patch(
        f"/api/v1/talents/{resident.pk}", {"post": "研究员"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    moved = client.patch(
        f"/api/v1/talents/{resident.pk}",
        {"residence_street": units["320115-S-QL"].pk},
        content_type="application/json",
    )
    assert moved.status_code == 422
    resident.refresh_from_db()
    assert (resident.post, resident.residence_street_id) == ("研究员", units["320115-S-DS"].pk)


def test_import_naming_another_parks_employer_is_refused_at_that_row(
    park_kfq, login, kfq_firm, gxq_firm, django_capture_on_commit_callbacks
):
    role = Role.objects.get(code="park-staff")
    role.permissions = [*role.permissions, "talent.import"]  # given the import, the park still holds
    role.save()
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["姓名", "性别", "出生日期", "证件号码", "最高学历", "金字塔类别", "工作单位统一社会信用代码"]
    )
    rng = random.Random(3)
    for name, code in (("本园区人才", kfq_firm.credit_code), ("别园区人才", gxq_firm.credit_code)):
        born = dt.date(1991, 3, 4)
        sheet.append([name, "男", born, resident_id(rng, born, "M"), "硕士", "青年人才", code])
    buffer = io.BytesIO()
    book.save(buffer)
    client = login(park_kfq)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/talents/import/", {"file": SimpleUploadedFile("t.xlsx", buffer.getvalue())})
    assert response.status_code == 302, response.content.decode()[-1000:]
    job = BackgroundJob.objects.get()
    assert job.status == "failed"
    assert [(e["row"], e["column"]) for e in job.summary["errors"]] == [(3, "工作单位统一社会信用代码")]
    assert "区域" in job.summary["errors"][0]["message"]
    assert Talent.objects.count() == 0


def test_a_need_is_routed_to_an_active_department_only(make_user, units, talent):

    cadre = make_user("liaison-cadre", "320115-ZZB")
    closed = units["320115-ZJJ"]
    closed.is_active = False
    closed.save()
    for department in (units["320115-P-GXQ"], closed):
        need = liaison.NeedInput(title="住房", owner_department=department)
        with pytest.raises(ValidationFailed) as refused:
            liaison.contact_log(
                actor=cadre, talent=talent, kind="visit", happened_on=timezone.localdate(), needs=[need]
            )
        assert list(refused.value.fields) == ["needs.0.owner_department"]
    assert not talent.contacts.exists()


def test_import_never_updates_a_talent_outside_the_importers_area(park_kfq, kfq_firm, gxq_firm):

    born = dt.date(1991, 3, 4)
    number = resident_id(random.Random(9), born, "M")
    theirs = Talent.objects.create(
        name="别园区人才",
        gender="M",
        birth_date=born,
        highest_degree="master",
        category="young",
        employer=gxq_firm,
        id_number=number,
    )
    book = Workbook()
    book.active.append(
        ["姓名", "性别", "出生日期", "证件号码", "最高学历", "金字塔类别", "工作单位统一社会信用代码"]
    )
    book.active.append(["别园区人才", "男", born, number, "硕士", "青年人才", kfq_firm.credit_code])
    buffer = io.BytesIO()
    book.save(buffer)
    result = TalentImporter().run(data=buffer.getvalue(), actor=park_kfq)
    # Answered as a new number would be (ADR 0010): a record of the importer's, pending the office's merge.
    assert result.ok
    assert result.summary()["created"] == 1
    theirs.refresh_from_db()
    assert theirs.employer == gxq_firm
    pending = Talent.objects.get(pending_merge=True)
    assert pending.employer == kfq_firm


def test_accepting_a_declared_employer_is_held_to_the_same_scope(park_kfq, talent, kfq_firm, gxq_firm):

    declared = FactRecord.objects.create(
        talent=talent,
        key="employer",
        value=str(gxq_firm.pk),
        source="self",
        as_of=timezone.localdate(),
        status="pending",
    )
    with pytest.raises(ValidationFailed) as refused:
        archive.fact_review(actor=park_kfq, record_id=declared.pk, accept=True)
    assert list(refused.value.fields) == ["employer"]
    declared.refresh_from_db()
    talent.refresh_from_db()
    assert (declared.status, talent.employer) == ("pending", kfq_firm)
