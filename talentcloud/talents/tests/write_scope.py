"""Write-scope cases of this app's reference-taking doors (read by ``api/tests/test_write_scope.py``)."""

from __future__ import annotations

from typing import Any

from talentcloud.accounts.models import User
from talentcloud.api.tests.writescope import (
    REFERENCE_DATA,
    ROUTING,
    UNIT_NAME,
    Exempt,
    Probe,
    World,
    api_door,
    form_data,
    import_door,
    page_door,
)
from talentcloud.enterprises.models import IndustryChain
from talentcloud.talents import services as archive
from talentcloud.talents.forms import TalentForm
from talentcloud.talents.models import Talent, TalentProgramme


def talent_page_data(w: World, user: User) -> dict[str, Any]:
    return form_data(TalentForm(instance=Talent.objects.get(pk=w.talent_a.pk), viewer=user))


TALENT_EDIT = page_door(
    lambda w: f"/talents/{w.talent_a.pk}/edit/", lambda w: f"/talents/{w.talent_a.pk}/edit/", talent_page_data
)


TALENT_PATCH = api_door("patch", lambda w: f"/api/v1/talents/{w.talent_a.pk}")


def talent_service(w: World, user: User, name: str, value: Any) -> None:
    archive.talent_update(actor=user, talent=Talent.objects.get(pk=w.talent_a.pk), changes={name: value})


WRITE_SCOPE_CASES: dict[str, Probe | Exempt] = {
    "talents.TalentForm.employer": Probe("enterprise", (TALENT_EDIT,), talent_service),
    "talents.TalentForm.residence_street": Probe("street", (TALENT_EDIT,), talent_service),
    "talents.TalentForm.chain": Exempt(REFERENCE_DATA, IndustryChain),
    "talents.NeedForm.owner_department": Exempt(ROUTING),
    "talents.QualificationForm.programme": Exempt(REFERENCE_DATA, TalentProgramme),
    "PATCH /api/v1/talents/{talent_id} employer": Probe("enterprise", (TALENT_PATCH,), talent_service),
    "PATCH /api/v1/talents/{talent_id} residence_street": Probe("street", (TALENT_PATCH,), talent_service),
    "PATCH /api/v1/talents/{talent_id} chain": Exempt(REFERENCE_DATA, IndustryChain),
    "POST /api/v1/talents/{talent_id}/contacts needs[].owner_department_code": Exempt(ROUTING),
    "talent_import employer_code": Probe(
        "enterprise",
        (import_door("talent_import", lambda e: e.credit_code),),
        talent_service,
        field="employer",
    ),
    "talent_import residence_street": Probe(
        "street", (import_door("talent_import", UNIT_NAME),), talent_service
    ),
}
