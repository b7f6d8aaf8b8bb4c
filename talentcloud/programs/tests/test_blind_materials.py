"""Anonymised materials for blind calls (#24): the applicant uploads each material the call names and an
anonymised version of it (submission waits for both); the office checks the anonymised versions at the
formal check, which cannot pass before; reviewers receive only the anonymised versions, under a neutral file
name — no reviewer page, API response or file name carries the applicant's name, employer or ID; a reviewer
of another application gets 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from talentcloud.common.errors import Conflict, ValidationFailed
from talentcloud.programs import materials, services
from talentcloud.programs.enums import SeatStatus
from talentcloud.programs.models import Call

from .world import make_world, reviewer

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%anonymised plan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ID = "320115198805011234"


def pdf(name: str, body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def world(make_user):
    world = make_world(make_user, blind=True)
    Call.objects.filter(pk=world.call.pk).update(materials=[{"key": "plan", "label": "项目计划书"}])
    world.call.refresh_from_db()
    world.experts(4)
    return world


def test_blind_materials_from_upload_to_the_reviewer(world, login):
    talent = world.talent("欧阳晓明")
    talent.id_number = ID
    talent.save()
    application = world.application(talent)
    account = talent.account
    with pytest.raises(ValidationFailed) as refused:
        services.move(actor=account, application=application, action="submit", pledge=True)
    assert "materials" in refused.value.fields
    materials.material_add(
        actor=account,
        application=application,
        key="plan",
        upload=pdf("欧阳晓明-紫峰芯片-计划书.pdf", PDF + b"%original with names\n"),
    )
    with pytest.raises(ValidationFailed) as named_badly:
        materials.material_add(
            actor=account,
            application=application,
            key="plan",
            upload=pdf("欧阳晓明-计划书-匿名.pdf"),
            anonymised=True,
        )
    assert "plan_anonymised" in named_badly.value.fields
    # the page takes the anonymised version
    me = login(account)
    page = me.post(
        f"/programs/applications/{application.pk}/",
        {"material_key": "plan", "anonymised": "1", "file": pdf("计划书-匿名版.pdf")},
    )
    assert page.status_code == 302
    assert materials.missing(application) == []
    for action, actor in (
        ("submit", account),
        ("nominate", world.hr),
        ("recommend", world.park),
    ):
        services.move(actor=actor, application=application, action=action, pledge=True)
    with pytest.raises(Conflict):
        services.move(actor=world.office, application=application, action="accept")
    office = login(world.office)
    assert (
        office.post(f"/programs/applications/{application.pk}/", {"anonymised_check": "1"}).status_code == 302
    )
    services.move(actor=world.office, application=application, action="accept")
    ceremony = services.ceremony_record(actor=world.office, call=world.call, digits="123456", witnesses="甲")
    row = services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
    seat = row.seats.filter(status=SeatStatus.SEATED).first()
    assert seat is not None
    expert = login(reviewer(seat))
    secrets = ("欧阳", world.firm.name, ID, "紫峰", application.number)
    review = expert.get(f"/programs/reviews/{application.pk}/").content.decode()
    api = expert.get(f"/api/v1/programs/reviews/{application.pk}").content.decode("unicode_escape")
    download = expert.get(f"/programs/reviews/{application.pk}/materials/plan/")
    api_download = expert.get(f"/api/v1/programs/reviews/{application.pk}/materials/plan")
    assert download.status_code == api_download.status_code == 200
    assert download.content == api_download.content == PDF  # the anonymised version, not the original
    for text in (review, api, download["Content-Disposition"], api_download["Content-Disposition"]):
        for secret in secrets:
            assert secret not in text, (secret, text[:200])
    assert "plan" in download["Content-Disposition"]
    # an expert without a seat on this application gets 404
    other = login(world.make_user("expert", "320115"))
    assert other.get(f"/programs/reviews/{application.pk}/materials/plan/").status_code == 404
    assert other.get(f"/api/v1/programs/reviews/{application.pk}/materials/plan").status_code == 404
