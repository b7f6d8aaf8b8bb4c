"""Documents in the archive: checked by content and size, names never trusted, stored encrypted, scoped,
read and removal audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import ValidationFailed
from talentcloud.talents import documents
from talentcloud.talents.models import Talent, TalentChange, TalentDocument

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n" + "王小明的学位证书".encode() * 20
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def talent(kfq_firm):
    return Talent.objects.create(
        name="孙晓燕",
        gender="F",
        birth_date=dt.date(1991, 7, 9),
        highest_degree="doctor",
        category="young",
        employer=kfq_firm,
    )


def files_on_disk(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def test_staff_upload_list_download_audited(private_media, make_user, login, talent):
    client = login(make_user("park-staff", "320115-P-KFQ"))
    upload = SimpleUploadedFile("学位证书.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/talents/{talent.pk}/documents/", {"kind": "degree", "title": "博士学位", "upload": upload}
    )
    assert response.status_code == 302
    document = TalentDocument.objects.get()
    assert (document.display_name, document.size, document.content_type) == (
        "学位证书.pdf",
        len(PDF),
        "application/pdf",
    )
    [stored] = files_on_disk(private_media)
    assert "学位证书" not in stored.name  # a generated name
    assert "王小明".encode() not in stored.read_bytes()  # encrypted at rest
    page = client.get(f"/talents/{talent.pk}/sections/documents/", headers={"HX-Request": "true"})
    assert "学位证书.pdf" in page.content.decode()
    download = client.get(f"/talents/documents/{document.pk}/")
    assert download.content == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="talent.document_read", object_id=str(talent.pk)).count() == 1
    assert TalentChange.objects.filter(talent=talent, field="documents", after="学位证书.pdf").exists()


def test_wrong_type_by_content_is_refused_and_leaves_nothing(private_media, make_user, login, talent):
    client = login(make_user("park-staff", "320115-P-KFQ"))
    book = io.BytesIO()
    Workbook().save(book)
    for name, data in (
        ("证书.pdf", b"MZ\x90\x00 an executable"),
        ("证书.pdf", book.getvalue()),
        ("a.pdf", b"just text"),
    ):
        response = client.post(
            f"/talents/{talent.pk}/documents/",
            {"kind": "degree", "upload": SimpleUploadedFile(name, data)},
            follow=True,
        )
        assert "PDF" in response.content.decode()
    assert TalentDocument.objects.count() == 0
    assert files_on_disk(private_media) == []


def test_over_the_limit_and_path_names_are_refused(private_media, settings, make_user, talent):
    staff = make_user("park-staff", "320115-P-KFQ")
    settings.DOCUMENT_MAX_BYTES = 100
    with pytest.raises(ValidationFailed) as too_big:
        documents.document_add(
            actor=staff, talent=talent, kind="degree", title="", upload=SimpleUploadedFile("a.pdf", PDF)
        )
    assert "100" in str(too_big.value.fields["file"][0])
    settings.DOCUMENT_MAX_BYTES = 10_000
    for name in ("../../etc/cron.d/x.pdf", "..\\..\\boot.ini", "a/b.pdf", "bad\x00name.pdf"):
        with pytest.raises(ValidationFailed) as bad_name:
            documents.document_add(actor=staff, talent=talent, kind="degree", title="", upload=PDF, name=name)
        assert bad_name.value.fields["file"]
    assert TalentDocument.objects.count() == 0
    assert files_on_disk(private_media) == []
    # A PNG named .pdf is kept as what it is.
    document = documents.document_add(
        actor=staff, talent=talent, kind="award", title="", upload=PNG, name="奖状.pdf"
    )
    assert (document.display_name, document.content_type) == ("奖状.png", "image/png")


def test_scope_other_parks_and_readers(private_media, make_user, login, talent):
    staff = make_user("park-staff", "320115-P-KFQ")
    document = documents.document_add(
        actor=staff, talent=talent, kind="degree", title="", upload=PDF, name="d.pdf"
    )
    other = login(make_user("park-staff", "320115-P-GXQ"))
    assert other.get(f"/talents/documents/{document.pk}/").status_code == 404
    assert other.post(f"/talents/documents/{document.pk}/remove/").status_code == 404
    assert other.get(f"/api/v1/talents/documents/{document.pk}").status_code == 404
    assert other.get(f"/api/v1/talents/{talent.pk}/documents").status_code == 404
    assert not AuditEvent.objects.filter(action="talent.document_read").exists()


def test_talent_adds_and_removes_own_document_but_not_staffs(
    private_media, make_user, login, talent, django_capture_on_commit_callbacks
):
    staff = make_user("park-staff", "320115-P-KFQ")
    staff_doc = documents.document_add(
        actor=staff, talent=talent, kind="contract", title="", upload=PDF, name="c.pdf"
    )
    account = make_user("talent", None)
    talent.account = account
    talent.save()
    client = login(account)
    response = client.post(
        f"/api/v1/talents/{talent.pk}/documents",
        {"kind": "title", "file": SimpleUploadedFile("职称.png", PNG)},
    )
    assert response.status_code == 201, response.content
    own_id = response.json()["id"]
    assert {d["id"] for d in client.get(f"/api/v1/talents/{talent.pk}/documents").json()} == {
        own_id,
        str(staff_doc.pk),
    }
    assert client.post(f"/talents/documents/{staff_doc.pk}/remove/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the removal is committed
        assert client.post(f"/talents/documents/{own_id}/remove/").status_code == 302
    assert set(TalentDocument.objects.values_list("pk", flat=True)) == {staff_doc.pk}
    assert len(files_on_disk(private_media)) == 1


def test_add_forms_load_when_opened_and_respect_permissions(make_user, login, talent):
    staff = login(make_user("park-staff", "320115-P-KFQ"))
    detail = staff.get(f"/talents/{talent.pk}/").content.decode()
    assert f"/talents/{talent.pk}/sections/education/" in detail
    section = staff.get(f"/talents/{talent.pk}/sections/education/", headers={"HX-Request": "true"})
    assert f"/talents/{talent.pk}/forms/education/" in section.content.decode()
    partial = staff.get(f"/talents/{talent.pk}/forms/education/", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert f'action="/talents/{talent.pk}/education/"' in partial.content.decode()
    page = staff.get(f"/talents/{talent.pk}/forms/document/")
    assert "<html" in page.content.decode()
    assert 'enctype="multipart/form-data"' in page.content.decode()
    assert staff.get(f"/talents/{talent.pk}/forms/nonsense/").status_code == 404
    cadre = make_user("liaison-cadre", "320115-ZZB")
    talent.liaison = cadre
    talent.save()
    assert login(cadre).get(f"/talents/{talent.pk}/forms/education/").status_code == 403  # sees, may not edit
    assert (
        login(make_user("park-staff", "320115-P-GXQ"))
        .get(f"/talents/{talent.pk}/forms/education/")
        .status_code
        == 404
    )
