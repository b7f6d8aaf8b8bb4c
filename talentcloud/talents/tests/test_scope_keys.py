"""Scope keys on the talent's row (ADR 0015): ``employer_park`` and ``employer_street`` are the employer's
park and street on every write path (an edit, an import, an enterprise moved or merged), so the staff of a
park see exactly the talents its enterprises employ; a renamed enterprise's talents are found by the new
name and not the old."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import uscc

from talentcloud.enterprises.clashes import clash_merge
from talentcloud.enterprises.models import ClashVia, Enterprise, EnterpriseClash
from talentcloud.enterprises.services import enterprise_update
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.enterprises.tests.test_enterprise_import import body as enterprise_rows
from talentcloud.enterprises.tests.test_enterprise_import import upload as enterprise_upload
from talentcloud.enterprises.tests.test_enterprise_import import workbook as enterprise_workbook
from talentcloud.talents.models import Talent
from talentcloud.talents.selectors import talent_list
from talentcloud.talents.services import talent_update
from talentcloud.talents.tests.test_import import HEADER as IMPORT_HEADER
from talentcloud.talents.tests.test_import import rows, upload, workbook

pytestmark = pytest.mark.django_db

PERSON = {"gender": "F", "birth_date": dt.date(1990, 1, 1), "highest_degree": "master", "category": "young"}


def keys(talent: Talent) -> tuple[str | None, str | None]:
    """The codes of the park and street on the talent's row, as stored."""
    found = Talent.objects.filter(pk=talent.pk).values_list("employer_park__code", "employer_street__code")
    return found.get()


def listed(viewer, **kwargs) -> set[str]:
    return {t.name for t in talent_list(viewer=viewer, **kwargs)}


@pytest.fixture
def staff(make_user):
    return {
        "office": make_user("talent-office", "320115-ZZB"),
        "kfq": make_user("park-staff", "320115-P-KFQ"),
        "gxq": make_user("park-staff", "320115-P-GXQ"),
        "ml": make_user("street-staff", "320115-S-ML"),
        "ql": make_user("street-staff", "320115-S-QL"),
    }


def test_a_talent_takes_its_employers_park_and_street_when_saved_and_bulk_created(units):
    firm = EnterpriseFactory.create()
    saved = Talent.objects.create(name="周晓梅", employer=firm, **PERSON)
    (bulk,) = Talent.objects.bulk_create([Talent(name="吴建国", employer=firm, **PERSON)])
    alone = Talent.objects.create(name="陈静", **PERSON)
    assert keys(saved) == keys(bulk) == ("320115-P-KFQ", "320115-S-ML")
    assert keys(alone) == (None, None)


def test_an_enterprise_moved_to_another_park_moves_its_talents_between_the_parks_lists(units, staff):
    firm = EnterpriseFactory.create(name="紫金山光电")
    other = EnterpriseFactory.create(name="留在原地的公司")
    Talent.objects.create(name="周晓梅", employer=firm, **PERSON)
    Talent.objects.create(name="吴建国", employer=firm, **PERSON)
    Talent.objects.create(name="陈静", employer=other, **PERSON)
    assert listed(staff["kfq"]) == {"周晓梅", "吴建国", "陈静"}
    assert listed(staff["gxq"]) == set()

    enterprise_update(
        actor=staff["office"],
        enterprise=firm,
        changes={"park": units["320115-P-GXQ"], "street": units["320115-S-QL"]},
    )

    assert listed(staff["gxq"]) == {"周晓梅", "吴建国"}
    assert listed(staff["ql"]) == {"周晓梅", "吴建国"}
    assert listed(staff["kfq"]) == {"陈静"}
    assert listed(staff["ml"]) == {"陈静"}
    assert set(Talent.objects.filter(employer=firm).values_list("employer_park__code", flat=True)) == {
        "320115-P-GXQ"
    }


def test_a_talent_edit_changing_employer_moves_the_talent(units, staff):
    kfq, gxq = EnterpriseFactory.create(), EnterpriseFactory.create(in_gxq=True)
    talent = Talent.objects.create(name="周晓梅", employer=kfq, **PERSON)

    talent_update(actor=staff["office"], talent=talent, changes={"employer": gxq})

    assert keys(talent) == ("320115-P-GXQ", "320115-S-QL")
    assert listed(staff["gxq"]) == {"周晓梅"}
    assert listed(staff["kfq"]) == set()
    talent_update(actor=staff["office"], talent=talent, changes={"employer": None})
    assert keys(talent) == (None, None)


def _clash(existing: Enterprise, new: Enterprise) -> EnterpriseClash:
    return EnterpriseClash.objects.create(new=new, existing=existing, via=ClashVia.CREATE)


@pytest.mark.parametrize("take", [(), ("park", "street")])
def test_an_enterprise_merge_moves_the_talents_to_the_kept_records_place(units, staff, take):
    first17 = "91320115MA1X2W901"
    code = first17 + uscc.calc_check_digit(first17)
    kfq = {"park": units["320115-P-KFQ"], "street": units["320115-S-ML"]}
    gxq = {"park": units["320115-P-GXQ"], "street": units["320115-S-QL"]}
    existing = Enterprise.objects.create(name="紫金山光电", credit_code=code, **kfq)
    new = Enterprise.objects.create(name="临时登记公司", credit_code=code, pending_merge=True, **gxq)
    stayed = Talent.objects.create(name="吴建国", employer=existing, **PERSON)
    moved = Talent.objects.create(name="周晓梅", employer=new, **PERSON)

    clash_merge(actor=staff["office"], clash_id=_clash(existing, new).pk, take=list(take))

    expected = ("320115-P-GXQ", "320115-S-QL") if take else ("320115-P-KFQ", "320115-S-ML")
    assert keys(stayed) == keys(moved) == expected
    park = staff["gxq"] if take else staff["kfq"]
    assert listed(park) == {"吴建国", "周晓梅"}


def test_an_import_sets_and_moves_the_talents_keys(
    units, make_user, login, django_capture_on_commit_callbacks
):
    kfq = EnterpriseFactory.create(name="南京紫峰软件有限公司", credit_code="91320115MA1X2Y3W4T")
    gxq = EnterpriseFactory.create(
        name="南京星火生物医药有限公司", credit_code="91320115MA1AAAAA01", in_gxq=True
    )
    client = login(make_user("talent-office", "320115-ZZB"))

    upload(client, workbook(IMPORT_HEADER, rows(3, kfq.credit_code)), django_capture_on_commit_callbacks)
    assert Talent.objects.count() == 3
    assert {keys(t) for t in Talent.objects.all()} == {("320115-P-KFQ", "320115-S-ML")}

    upload(client, workbook(IMPORT_HEADER, rows(3, gxq.credit_code)), django_capture_on_commit_callbacks)
    assert Talent.objects.count() == 3  # the same people, updated
    assert {keys(t) for t in Talent.objects.all()} == {("320115-P-GXQ", "320115-S-QL")}


def test_renaming_an_enterprise_makes_its_talents_found_by_the_new_name_only(units, staff):
    firm = EnterpriseFactory.create(name="南京紫峰软件有限公司")
    Talent.objects.create(name="周晓梅", employer=firm, **PERSON)
    Talent.objects.create(name="吴建国", employer=firm, **PERSON)
    Talent.objects.create(
        name="陈静", employer=EnterpriseFactory.create(name="南京星火生物医药有限公司"), **PERSON
    )
    assert listed(staff["office"], query="紫峰") == {"周晓梅", "吴建国"}

    enterprise_update(actor=staff["office"], enterprise=firm, changes={"name": "南京蓝鲸数据有限公司"})

    assert listed(staff["office"], query="蓝鲸") == {"周晓梅", "吴建国"}
    assert listed(staff["office"], query="蓝鲸数据") == {"周晓梅", "吴建国"}
    assert listed(staff["office"], query="紫峰") == set()
    assert listed(staff["kfq"], query="蓝鲸") == {"周晓梅", "吴建国"}  # in the park staff's scope as well


def test_an_enterprise_import_moving_and_renaming_enterprises_moves_and_reindexes_their_talents(
    units, staff, login, django_capture_on_commit_callbacks
):
    client = login(staff["office"])
    rows = enterprise_rows(2)
    enterprise_upload(client, enterprise_workbook(rows), django_capture_on_commit_callbacks)
    first = Enterprise.objects.get(credit_code=rows[0][1])
    Talent.objects.create(name="周晓梅", employer=first, **PERSON)
    assert listed(staff["kfq"]) == {"周晓梅"}

    rows[0][0], rows[0][2], rows[0][3] = "南京蓝鲸数据有限公司", "麒麟街道", "江宁高新技术产业开发区"
    enterprise_upload(client, enterprise_workbook(rows), django_capture_on_commit_callbacks)

    assert listed(staff["gxq"]) == {"周晓梅"}
    assert listed(staff["ql"]) == {"周晓梅"}
    assert listed(staff["kfq"]) == set()
    assert listed(staff["office"], query="蓝鲸") == {"周晓梅"}
    assert listed(staff["office"], query="示例") == set()
