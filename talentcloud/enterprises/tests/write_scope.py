"""Write-scope cases of this app's reference-taking doors (read by ``api/tests/test_write_scope.py``)."""

from __future__ import annotations

from typing import Any

from talentcloud.accounts.models import User
from talentcloud.api.tests.writescope import (
    JOIN_REQUEST,
    REFERENCE_DATA,
    UNIT_NAME,
    Exempt,
    Probe,
    World,
    api_door,
    form_data,
    import_door,
    page_door,
)
from talentcloud.enterprises import services as enterprise_services
from talentcloud.enterprises.forms import EnterpriseForm
from talentcloud.enterprises.models import Enterprise, IndustryChain


def enterprise_page_data(w: World, user: User) -> dict[str, Any]:
    return form_data(EnterpriseForm(instance=Enterprise.objects.get(pk=w.ent_a.pk), viewer=user))


def new_enterprise_data(w: World, user: User) -> dict[str, Any]:
    return {
        "name": "新注册企业",
        "credit_code": "91320115MA1X2Y3W4K",
        "park": w.ent_a.park_id,
        "street": w.ent_a.street_id,
        "founded_on": "2020-01-01",
        "address": "",
        "tags": "",
    }


def new_enterprise_body(w: World) -> dict[str, Any]:
    return {
        "name": "新注册企业",
        "credit_code": "91320115MA1X2Y3W4K",
        "park": w.ent_a.park_id,
        "street": w.ent_a.street_id,
    }


ENTERPRISE_EDIT = page_door(
    lambda w: f"/enterprises/{w.ent_a.pk}/edit/",
    lambda w: f"/enterprises/{w.ent_a.pk}/edit/",
    enterprise_page_data,
)


ENTERPRISE_NEW = page_door(lambda w: "/enterprises/new/", lambda w: "/enterprises/new/", new_enterprise_data)


ENTERPRISE_PATCH = api_door("patch", lambda w: f"/api/v1/enterprises/{w.ent_a.pk}")


ENTERPRISE_POST = api_door("post", lambda w: "/api/v1/enterprises", new_enterprise_body)


def enterprise_update_service(w: World, user: User, name: str, value: Any) -> None:
    firm = Enterprise.objects.get(pk=w.ent_a.pk)
    enterprise_services.enterprise_update(actor=user, enterprise=firm, changes={name: value})


def enterprise_create_service(w: World, user: User, name: str, value: Any) -> None:
    values: dict[str, Any] = {
        "name": "新注册企业",
        "credit_code": "91320115MA1X2Y3W4K",
        "park": w.ent_a.park,
        "street": w.ent_a.street,
    }
    values[name] = value
    if name == "street":
        values["park"] = None
    enterprise_services.enterprise_create(actor=user, values=values)


WRITE_SCOPE_CASES: dict[str, Probe | Exempt] = {
    "enterprises.EnterpriseForm.park": Probe(
        "park", (ENTERPRISE_EDIT, ENTERPRISE_NEW), enterprise_update_service
    ),
    "enterprises.EnterpriseForm.street": Probe(
        "street", (ENTERPRISE_EDIT, ENTERPRISE_NEW), enterprise_create_service
    ),
    "enterprises.EnterpriseForm.chain": Exempt(REFERENCE_DATA, IndustryChain),
    "enterprises.EnterpriseForm.credit_code": Exempt("the enterprise's own identifier, not a reference"),
    "enterprises.EnterpriseAccountForm.credit_code": Exempt(JOIN_REQUEST),
    "enterprises.JoinForm.credit_code": Exempt(JOIN_REQUEST),
    "POST /api/v1/enterprises park": Probe("park", (ENTERPRISE_POST,), enterprise_create_service),
    "POST /api/v1/enterprises street": Probe("street", (ENTERPRISE_POST,), enterprise_create_service),
    "POST /api/v1/enterprises chain": Exempt(REFERENCE_DATA, IndustryChain),
    "POST /api/v1/enterprises credit_code": Exempt("the enterprise's own identifier, not a reference"),
    "PATCH /api/v1/enterprises/{enterprise_id} park": Probe(
        "park", (ENTERPRISE_PATCH,), enterprise_update_service
    ),
    "PATCH /api/v1/enterprises/{enterprise_id} street": Probe(
        "street", (ENTERPRISE_PATCH,), enterprise_update_service
    ),
    "PATCH /api/v1/enterprises/{enterprise_id} chain": Exempt(REFERENCE_DATA, IndustryChain),
    "PATCH /api/v1/enterprises/{enterprise_id} credit_code": Exempt(
        "the enterprise's own identifier, not a reference"
    ),
    "POST /api/v1/enterprises/memberships credit_code": Exempt(JOIN_REQUEST),
    "enterprise_import park": Probe(
        "park", (import_door("enterprise_import", UNIT_NAME),), enterprise_create_service
    ),
    "enterprise_import street": Probe(
        "street", (import_door("enterprise_import", UNIT_NAME),), enterprise_create_service
    ),
    "enterprise_import chain": Exempt(REFERENCE_DATA, IndustryChain),
    "enterprise_import credit_code": Exempt(
        "the enterprise's own identifier (an existing one must be in scope)"
    ),
}
